#!/usr/bin/env bash
# Starts or stops a standalone Spark cluster on this machine: one Master and two Workers, each a
# separate JVM run from the Maven-resolved Spark jars (no Spark download). Used by the cluster
# integration test (ClusterIT) and for trying scripts/submit.sh against a real cluster.
#   scripts/spark-cluster.sh start     # idempotent: returns when both Workers have registered
#   scripts/spark-cluster.sh stop      # stops the Workers (and their executors/drivers) and the Master
#   scripts/spark-cluster.sh status    # the Master's view: workers, cores, running applications
# Master: spark://127.0.0.1:${DXPIPE_CLUSTER_PORT:-7077}, web UI http://127.0.0.1:${DXPIPE_CLUSTER_UI_PORT:-8080}.
# Each Worker offers ${DXPIPE_WORKER_CORES:-2} cores and ${DXPIPE_WORKER_MEMORY:-3g} (oversubscribing a small
# machine is fine: the point is separate JVMs, not speed). State and logs: .tools/spark-cluster/;
# Worker i keeps its drivers' and executors' output in .tools/spark-cluster/work-i/<app or driver id>/.
. "$(dirname "$0")/lib/common.sh"

port="${DXPIPE_CLUSTER_PORT:-7077}"
ui_port="${DXPIPE_CLUSTER_UI_PORT:-8080}"
workers=2
dir="$DXPIPE_ROOT/.tools/spark-cluster"
# A Worker starts executors and drivers with $SPARK_HOME/jars/* on their classpath: this folder
# holds links to the jars a Spark distribution would have (the provided classpath).
spark_home="$dir/spark-home"

answering() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

master_json() { curl -fsS "http://127.0.0.1:$ui_port/json/" 2>/dev/null; }

alive_workers() { master_json | python3 -c 'import json,sys; print(json.load(sys.stdin).get("aliveworkers", 0))' 2>/dev/null || echo 0; }

make_spark_home() {
  dxpipe_build_if_needed
  rm -rf "$spark_home"; mkdir -p "$spark_home/jars" "$spark_home/conf"
  local jar
  for jar in $(tr ':' ' ' < "$DXPIPE_ROOT/jobs/target/provided-classpath.txt") "$DXPIPE_ROOT"/jobs/target/distribution-jars/*.jar; do
    ln -sf "$jar" "$spark_home/jars/$(basename "$jar")"
  done
  cp "$DXPIPE_ROOT/conf/log4j2.properties" "$spark_home/conf/"
}

# Runs a Spark daemon in its own process group (so stop also ends the executors it started).
daemon() {
  local name="$1"; shift
  # shellcheck disable=SC2046
  SPARK_HOME="$spark_home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1 \
    setsid nohup java -Xmx512m $(dxpipe_java_opens) -Dlog4j2.configurationFile="$spark_home/conf/log4j2.properties" \
    -cp "$spark_home/jars/*" "$@" > "$dir/$name.log" 2>&1 < /dev/null &
  echo $! > "$dir/$name.pid"
}

stop() {
  local f pid
  for f in "$dir"/worker-*.pid "$dir"/master.pid; do
    [[ -f "$f" ]] || continue
    pid="$(cat "$f")"
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 -- "-$pid" 2>/dev/null || true
    rm -f "$f"
  done
}

case "${1:-}" in
  start)
    if answering "$port" && [[ "$(alive_workers)" -ge "$workers" ]]; then
      echo "[cluster] already running: spark://127.0.0.1:$port"; exit 0
    fi
    stop
    rm -rf "$dir"/work-*
    make_spark_home
    daemon master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port "$ui_port"
    for _ in $(seq 1 120); do answering "$port" && break; sleep 0.5; done
    answering "$port" || { echo "[cluster] the Master did not start; log:" >&2; tail -30 "$dir/master.log" >&2; exit 1; }
    for i in $(seq 1 "$workers"); do
      daemon "worker-$i" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --webui-port 0 \
        --cores "${DXPIPE_WORKER_CORES:-2}" --memory "${DXPIPE_WORKER_MEMORY:-3g}" --work-dir "$dir/work-$i" \
        "spark://127.0.0.1:$port"
    done
    for _ in $(seq 1 120); do
      if [[ "$(alive_workers)" -ge "$workers" ]]; then
        echo "[cluster] Master spark://127.0.0.1:$port with $workers Workers (UI http://127.0.0.1:$ui_port, logs $dir)"
        exit 0
      fi
      sleep 0.5
    done
    echo "[cluster] the Workers did not register within 60 s; logs:" >&2
    tail -20 "$dir"/worker-*.log >&2
    stop; exit 1 ;;
  stop)
    stop
    echo "[cluster] stopped" ;;
  status)
    json="$(master_json)" || { echo "[cluster] not running"; exit 1; }
    python3 - "$json" <<'EOF'
import json, sys
m = json.loads(sys.argv[1])
print(f"[cluster] {m['url']} {m['status']}: {m['aliveworkers']} workers, {m['coresused']}/{m['cores']} cores used")
for a in m.get("activeapps", []):
    print(f"  running: {a['name']} ({a['id']}), {a['cores']} cores")
for d in m.get("activedrivers", []):
    print(f"  driver: {d['id']} {d['state']}")
EOF
    ;;
  *)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
