#!/usr/bin/env bash
# Starts or stops the Azurite blob emulator used by the wasb:// integration tests and local
# experiments. Installs azurite@3.35.0 from npm on first use (later versions need a newer Node than
# 20) into a per-user cache, linked as .tools/azurite. Data lives in .tools/azurite-data (wiped by "start --clean").
#   scripts/azurite.sh start [--clean]   # idempotent: returns when the blob endpoint answers
#   scripts/azurite.sh stop
#   scripts/azurite.sh status
# Endpoint: http://127.0.0.1:${AZURITE_BLOB_PORT:-10000}/devstoreaccount1 (the well-known dev account).
. "$(dirname "$0")/lib/common.sh"

AZURITE_VERSION=3.35.0
tools="$DXPIPE_ROOT/.tools"
port="${AZURITE_BLOB_PORT:-10000}"
pidfile="$tools/azurite.pid"
logfile="$tools/azurite.log"

answering() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

npm_install() {
  command -v npm >/dev/null || { echo "azurite: npm (Node 20) is needed to install Azurite" >&2; exit 1; }
  echo "[azurite] installing azurite@$AZURITE_VERSION into $1 ..."
  mkdir -p "$1"
  (cd "$1" && npm install --no-audit --no-fund --silent --no-save "azurite@$AZURITE_VERSION" >/dev/null)
}

# into the per-user cache, linked as .tools/azurite (dxpipe_cached_tool)
install() {
  dxpipe_cached_tool azurite "$(dxpipe_cache_dir)/azurite-$AZURITE_VERSION" npm_install
}

case "${1:-}" in
  start)
    install
    if [[ "${2:-}" == "--clean" ]]; then "$0" stop >/dev/null; rm -rf "$tools/azurite-data"; fi
    if answering; then echo "[azurite] already answering on 127.0.0.1:$port"; exit 0; fi
    mkdir -p "$tools/azurite-data"
    nohup "$tools/azurite/node_modules/.bin/azurite-blob" --silent --skipApiVersionCheck --loose \
      --blobHost 127.0.0.1 --blobPort "$port" --location "$tools/azurite-data" > "$logfile" 2>&1 &
    echo $! > "$pidfile"
    for _ in $(seq 1 60); do
      if answering; then echo "[azurite] blob endpoint up on 127.0.0.1:$port (pid $(cat "$pidfile"))"; exit 0; fi
      sleep 0.5
    done
    echo "[azurite] did not start within 30 s; log:" >&2; cat "$logfile" >&2; exit 1 ;;
  stop)
    if [[ -f "$pidfile" ]]; then kill "$(cat "$pidfile")" 2>/dev/null || true; rm -f "$pidfile"; fi
    echo "[azurite] stopped" ;;
  status)
    if answering; then echo "[azurite] answering on 127.0.0.1:$port"; else echo "[azurite] not running"; exit 1; fi ;;
  *)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
