#!/usr/bin/env bash
# Creates (once) the project's Python virtual environment with the pinned packages of
# scripts/python/requirements.txt (PySpark + delta-spark for the notebooks, pandas, matplotlib,
# MLflow, scikit-learn), and links it as .tools/python. Prints the venv's python path last.
# The environment itself lives in a per-user cache named by the requirements' hash
# (${DXPIPE_CACHE:-${XDG_CACHE_HOME:-~/.cache}/dxpipe}/python-<sha256>), so a fresh clone on a
# machine that has built it once links it instead of installing PySpark again (about 3 minutes), and
# changed requirements get an environment of their own. DXPIPE_CACHE=<dir> moves the cache.
#   scripts/python-env.sh            # install if needed, print the interpreter path
#   "$(scripts/python-env.sh | tail -1)" my_script.py
. "$(dirname "$0")/lib/common.sh"

link="$DXPIPE_ROOT/.tools/python"
req="$DXPIPE_ROOT/scripts/python/requirements.txt"
want="$(sha256sum "$req" | cut -d' ' -f1)"
cache="${DXPIPE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dxpipe}"
venv="$cache/python-$want"

if [[ ! -x "$venv/bin/python" || ! -f "$venv/.complete" ]]; then
  command -v python3 >/dev/null || { echo "python-env: python3 (3.11) is needed" >&2; exit 1; }
  mkdir -p "$cache"
  # one installer at a time (a test and a person, or two tests); the second finds it complete
  exec 9> "$cache/python-$want.lock"
  flock 9
  if [[ ! -f "$venv/.complete" ]]; then
    echo "[python-env] installing $req into $venv (first time: a few minutes, PySpark is ~300 MB) ..." >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" >&2
    touch "$venv/.complete"
  fi
  exec 9>&-
fi
# .tools/python -> the cached environment (an older checkout's real folder is replaced)
if [[ "$(readlink "$link" 2>/dev/null)" != "$venv" ]]; then
  mkdir -p "$DXPIPE_ROOT/.tools"
  if [[ -d "$link" && ! -L "$link" ]]; then rm -rf "$link"; fi
  ln -sfn "$venv" "$link.$$" && mv -fT "$link.$$" "$link" # a rename: callers at the same time all succeed
fi
echo "$venv/bin/python"
