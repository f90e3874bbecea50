#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium (package "chromium") when it is missing, for the
# serve module's browser test (WebFormBrowserTest drives it over the DevTools protocol, so no
# chromium-driver is needed). Idempotent; needs root (or sudo) only when it has to install.
#   scripts/chromium.sh          # install if missing, print the version
#   scripts/chromium.sh path     # install if missing, print the binary's path (alone on stdout)
# Messages go to stderr, so "$(scripts/chromium.sh path)" is the path. CHROMIUM=/path/to/binary
# uses that binary instead (no install).
. "$(dirname "$0")/lib/common.sh"

find_binary() {
  if [[ -n "${CHROMIUM:-}" ]]; then
    [[ -x "$CHROMIUM" ]] && { echo "$CHROMIUM"; return 0; }
    echo "[chromium] CHROMIUM=$CHROMIUM is not an executable file" >&2; return 1
  fi
  local b
  for b in chromium chromium-browser; do
    if command -v "$b" >/dev/null 2>&1; then command -v "$b"; return 0; fi
  done
  return 1
}

apt() {
  local sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null || { echo "[chromium] not root and no sudo: install Debian's 'chromium' package" >&2; return 1; }
    sudo=(sudo)
  fi
  # the lock timeout lets two callers (a test and a person) install at the same time without failing
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 -y -q \
    --no-install-recommends "$@"
}

install() {
  find_binary >/dev/null 2>&1 && return 0
  [[ -n "${CHROMIUM:-}" ]] && { find_binary >/dev/null; return 1; }
  command -v apt-get >/dev/null || { echo "[chromium] no apt-get here: install Chromium and set CHROMIUM=<binary>" >&2; return 1; }
  echo "[chromium] installing Debian's chromium package ..." >&2
  # the package lists may be missing or stale (a fresh machine): update once, then try again
  if ! apt install chromium fonts-dejavu-core >&2; then
    echo "[chromium] install failed; running apt-get update and trying again" >&2
    apt update >&2 && apt install chromium fonts-dejavu-core >&2
  fi
  find_binary >/dev/null || { echo "[chromium] installed, but no chromium binary on PATH" >&2; return 1; }
}

case "${1:-}" in
  "")
    install
    "$(find_binary)" --version ;;
  path)
    install
    find_binary ;;
  *)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
