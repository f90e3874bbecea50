#!/usr/bin/env bash
# Starts or stops a real MLflow tracking server on loopback for the integration tests and local
# experiments: SQLite backend and artifact serving (--serve-artifacts), so the Java jobs upload
# artifacts through the server's proxy and need no Python themselves. MLflow comes from the
# project's Python environment (scripts/python-env.sh, pinned in scripts/python/requirements.txt).
# Data (mlflow.db, artifacts/, the server's pid and log) lives in $MLFLOW_DATA_DIR, by default
# .tools/mlflow-server-<port> (wiped by "start --clean"), one folder per port, so a test server on
# another port never touches a developer's server. scripts/run-local.sh points it at <storage root>/mlflow.
#   scripts/mlflow-server.sh start [--clean]   # idempotent: returns when /health answers
#   scripts/mlflow-server.sh stop
#   scripts/mlflow-server.sh status
# Tracking URI: http://127.0.0.1:${MLFLOW_PORT:-5055} (use it as MLFLOW_TRACKING_URI).
. "$(dirname "$0")/lib/common.sh"

tools="$DXPIPE_ROOT/.tools"
port="${MLFLOW_PORT:-5055}"
dir="$(realpath -m "${MLFLOW_DATA_DIR:-$tools/mlflow-server-$port}")"
pidfile="$dir/server.pid"
logfile="$dir/server.log"
url="http://127.0.0.1:$port"

healthy() { python3 -c "import urllib.request,sys; urllib.request.urlopen('$url/health', timeout=2)" 2>/dev/null; }

case "${1:-}" in
  start)
    python="$("$DXPIPE_ROOT/scripts/python-env.sh" | tail -1)"
    if [[ "${2:-}" == "--clean" ]]; then "$0" stop >/dev/null; rm -rf "$dir"; fi
    if healthy; then echo "[mlflow] already answering on $url"; exit 0; fi
    mkdir -p "$dir/artifacts"
    # --workers 1: one uvicorn worker is plenty for tests and keeps memory low. MLflow 3's job runner
    # (7 huey consumer processes, for GenAI evaluation jobs) is not used: off. setsid: the server and
    # every process it starts form one process group, which "stop" ends as a whole.
    MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false setsid nohup "$(dirname "$python")/mlflow" server \
      --host 127.0.0.1 --port "$port" --workers 1 \
      --backend-store-uri "sqlite:///$dir/mlflow.db" --artifacts-destination "$dir/artifacts" \
      --serve-artifacts > "$logfile" 2>&1 < /dev/null &
    echo $! > "$pidfile"
    # the first start creates the SQLite schema (MLflow 3: ~40 s on a busy 2-core machine)
    for _ in $(seq 1 360); do
      if healthy; then echo "[mlflow] tracking server up on $url (pid $(cat "$pidfile"))"; exit 0; fi
      if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then break; fi
      sleep 0.5
    done
    echo "[mlflow] did not start within 180 s; log:" >&2; cat "$logfile" >&2; exit 1 ;;
  stop)
    if [[ -f "$pidfile" ]]; then
      pid="$(cat "$pidfile")"
      # only a process that is still this MLflow server (a stale pid may have been reused)
      if ps -p "$pid" -o args= 2>/dev/null | grep -q "mlflow"; then
        # the server's process group (started with setsid: its pid is the group id): workers included
        kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -9 -- "-$pid" 2>/dev/null || true
      fi
      rm -f "$pidfile"
    fi
    echo "[mlflow] stopped" ;;
  status)
    if healthy; then echo "[mlflow] answering on $url"; else echo "[mlflow] not running"; exit 1; fi ;;
  *)
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
