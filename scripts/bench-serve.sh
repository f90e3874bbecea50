#!/usr/bin/env bash
# Benchmarks the online prediction service (scripts/serve.sh) against MLflow's own scoring server
# (mlflow models serve, spark flavour, project venv) on the same registered model, over loopback
# with the same request bodies (issue 16, "Figures to reach"). In one run:
#   1. the service on the storage root's champion (a free port, log in bench-data/serve/serve.log);
#   2. mlflow models serve -m models:/<model>@champion --env-manager local on another port;
#   3. closed-loop load (BENCH_CONNECTIONS connections) with 1- and 100-record bodies built from the
#      model's golden rows: our POST /v1/predict (canonical shape), our POST /invocations and MLflow's
#      POST /invocations (the same dataframe_split bytes); an open-loop run at BENCH_RATE req/s of
#      1-record /v1/predict for the latency target; the service's peak RSS (VmHWM);
#   4. the same load on the service while the alias moves to a new version of the model (registered
#      from the same run) and POST /admin/reload swaps it: failed requests, versions that answered;
#   5. a summary against the targets, PASS or MISSED each.
#   scripts/bench-serve.sh [STORAGE_ROOT]    # default $DXPIPE_STORAGE_ROOT, else file:./data
# With no MLflow store under the root (<root>/mlflow/mlflow.db) and the default root, it trains one
# first (scripts/run-local.sh training, ~10 min). The root is only read: the registry is copied to
# bench-data/serve/mlflow (the swap registers versions there), the service's audit and online
# predictions go to bench-data/serve. Settings (environment): BENCH_SECONDS per run (10),
# BENCH_WARMUP seconds before each (2), BENCH_CONNECTIONS ("8 32"), BENCH_RATE (500),
# BENCH_SWAP_SECONDS (30), BENCH_MLFLOW_WORKERS (1), DXPIPE_SERVE_MEMORY (heap, 1g),
# BENCH_FLUSH_SECONDS (the service's serve.audit.flush-seconds, its default 5: how often the
# audit and online-prediction spools are appended to Delta by the service's local[1] Spark).
# Exit 0 when everything ran, whether targets were met or not (it is a benchmark); non-zero when
# something could not run: 1 the service, the registry or a load run; 3 MLflow's scoring server did
# not start or answered none of the bodies (the summary is printed first, the comparison NOT MEASURED).
. "$(dirname "$0")/lib/common.sh"
cd "$DXPIPE_ROOT"

root="${1:-${DXPIPE_STORAGE_ROOT:-file:./data}}"
root="${root//\"/}"
[[ "$root" == *:* ]] || root="file:$root"
[[ "$root" == file:* ]] || { echo "[bench] $root: only a file: storage root can be benchmarked here" >&2; exit 2; }
seconds="${BENCH_SECONDS:-10}"
warmup="${BENCH_WARMUP:-2}"
read -r -a connections <<< "${BENCH_CONNECTIONS:-8 32}"
rate="${BENCH_RATE:-500}"
swap_seconds="${BENCH_SWAP_SECONDS:-30}"
model="dxpipe-disease-classifier"
alias=champion
bench="$DXPIPE_ROOT/bench-data/serve"
started=$(date +%s)

say() { echo "[bench] $*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

store="$(dxpipe_local_mlflow_dir "$root")"
if [[ ! -f "$store/mlflow.db" ]]; then
  if [[ "$root" == "file:./data" && -z "${DXPIPE_STORAGE_ROOT:-}" && $# -eq 0 ]]; then
    say "no MLflow store in $store: training the sample first (scripts/run-local.sh training) ..."
    scripts/run-local.sh training > "$DXPIPE_ROOT/bench-data-serve-training.log" 2>&1 \
      || { echo "[bench] training failed, see bench-data-serve-training.log" >&2; exit 1; }
  else
    echo "[bench] no MLflow store in $store (run scripts/run-local.sh training, or give a storage root that has one)" >&2
    exit 2
  fi
fi

rm -rf "$bench"; mkdir -p "$bench/mlflow" "$bench/bodies"
say "$(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc) cores, load average$(uptime | sed 's/.*load average//')"
say "storage root $root; results in ${bench#"$DXPIPE_ROOT"/}"

# ---- build: the service (serve.sh builds it when needed), the load generator (JDK only) ----
scripts/serve.sh token clinician,admin,monitor bench > "$bench/token.out" 2> "$bench/build.log" \
  || { cat "$bench/build.log" >&2; echo "[bench] cannot build the service or make a token" >&2; exit 1; }
token="$(sed -n 1p "$bench/token.out")"
(umask 077; sed -n 2p "$bench/token.out" > "$bench/tokens"); rm -f "$bench/token.out"
gen_src="serve/src/test/java/io/dxpipe/serve/http/bench/LoadGenerator.java"
gen_classes="serve/target/bench-classes"
if [[ ! -f "$gen_classes/io/dxpipe/serve/http/bench/LoadGenerator.class" \
      || "$gen_src" -nt "$gen_classes/io/dxpipe/serve/http/bench/LoadGenerator.class" ]]; then
  mkdir -p "$gen_classes"; javac -d "$gen_classes" "$gen_src"
fi
python="$(scripts/python-env.sh | tail -n 1)"
venv_bin="$(dirname "$python")"

# ---- the registry: a copy of the store, served on a free port (the swap writes to the copy only) ----
cp -a "$store/mlflow.db" "$store/artifacts" "$bench/mlflow/"
dxpipe_local_mlflow "$bench/mlflow" > "$bench/mlflow-server.out"
say "MLflow tracking server over a copy of $store: $MLFLOW_TRACKING_URI"

serve_pid=""; java_pid=""; mlflow_pid=""; load_pid=""
# The service is stopped with SIGTERM to its java process itself: SIGTERM to scripts/serve.sh ends only
# the subshell that runs java, which then keeps running (reported with the figures).
stop_service() {
  set +e
  if [[ -z "$java_pid" && -n "$serve_pid" ]]; then
    java_pid="$(ps -o pid=,args= --sid "$serve_pid" | awk '$2 ~ /java$/ && /ServeJob/ { print $1; exit }')"
  fi
  if [[ -n "$java_pid" ]] && kill -0 "$java_pid" 2>/dev/null; then
    kill -TERM "$java_pid" 2>/dev/null # in-flight requests finish, the spool is appended to Delta
    for _ in $(seq 1 480); do kill -0 "$java_pid" 2>/dev/null || break; sleep 0.25; done
  fi
  if [[ -n "$serve_pid" ]] && kill -0 "$serve_pid" 2>/dev/null; then
    kill -TERM "$serve_pid" 2>/dev/null
    for _ in $(seq 1 40); do kill -0 "$serve_pid" 2>/dev/null || break; sleep 0.25; done
  fi
  [[ -n "$serve_pid" ]] && kill -KILL -- "-$serve_pid" 2>/dev/null
  set -e
}
stop_all() {
  local status=$?
  set +e # stop everything, whatever fails
  [[ -n "$load_pid" ]] && kill "$load_pid" 2>/dev/null
  if [[ -n "$mlflow_pid" ]] && kill -0 "$mlflow_pid" 2>/dev/null; then
    kill -TERM -- "-$mlflow_pid" 2>/dev/null || kill -TERM "$mlflow_pid" 2>/dev/null
    for _ in $(seq 1 40); do kill -0 "$mlflow_pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$mlflow_pid" 2>/dev/null
  fi
  stop_service
  set +e
  dxpipe_local_mlflow_stop
  exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

champion="$("$python" scripts/python/bench_serve.py champion --tracking-uri "$MLFLOW_TRACKING_URI" --model "$model" \
  --alias "$alias")"
first_version="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["version"])' "$champion")"
model_path="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["model_path"] or "")' "$champion")"
[[ -n "$model_path" ]] || { echo "[bench] the champion's run has no dxpipe.model_path tag: $champion" >&2; exit 1; }
golden="$(sed -E 's,^file:(//)?,,; s,/+$,,' <<< "$model_path")"; golden="${golden%/*}/golden-rows"
say "$model@$alias is version $first_version (model ${model_path}); bodies from its golden rows:"
say "  $("$python" scripts/python/bench_serve.py bodies --golden "$golden" --out "$bench/bodies")"

# ---- 1. the service ----
serve_port="$(free_port)"
bench_uri="file:$bench"
setsid scripts/serve.sh "storage.root=\"$root\"" "serve.port=$serve_port" "serve.tokens-file=\"$bench/tokens\"" \
  serve.poll-seconds=0 "serve.audit.table=\"$bench_uri/audit/serve_requests\"" \
  "serve.audit.predictions=\"$bench_uri/predictions/online\"" "serve.audit.spool-dir=\"$bench/spool\"" \
  ${BENCH_FLUSH_SECONDS:+"serve.audit.flush-seconds=$BENCH_FLUSH_SECONDS"} \
  > "$bench/serve.log" 2>&1 < /dev/null &
serve_pid=$!

# ---- 2. MLflow's scoring server on the same registered model ----
mlflow_port="$(free_port)"
SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON="$python" PATH="$venv_bin:$PATH" setsid "$venv_bin/mlflow" models serve \
  -m "models:/$model@$alias" --env-manager local -h 127.0.0.1 -p "$mlflow_port" \
  -w "${BENCH_MLFLOW_WORKERS:-1}" > "$bench/mlflow-serve.log" 2>&1 < /dev/null &
mlflow_pid=$!

wait_ping() { # NAME URL PID SECONDS
  local t0=$SECONDS
  while (( SECONDS - t0 < $4 )); do
    if curl -fsS -o /dev/null --max-time 2 "$2/ping" 2>/dev/null; then
      say "$1 answers /ping after $((SECONDS - t0)) s"; return 0
    fi
    kill -0 "$3" 2>/dev/null || { say "$1 exited before answering /ping"; return 1; }
    sleep 1
  done
  say "$1 did not answer /ping within $4 s"; return 1
}
serve_url="http://127.0.0.1:$serve_port"
mlflow_url="http://127.0.0.1:$mlflow_port"
if ! wait_ping "the service" "$serve_url" "$serve_pid" 300; then
  tail -n 30 "$bench/serve.log" >&2; exit 1
fi
grep -E '\[dxpipe\] serve: (loaded|listening)' "$bench/serve.log" | sed 's/^/[bench]   /' || true
say "  (heap -Xmx${DXPIPE_SERVE_MEMORY:-1g}, spools appended to Delta every ${BENCH_FLUSH_SECONDS:-5} s, registry polling off: the swap is forced)"
mlflow_ok=true
if ! wait_ping "MLflow's scoring server" "$mlflow_url" "$mlflow_pid" 300; then
  mlflow_ok=false; tail -n 30 "$bench/mlflow-serve.log" >&2
fi

java_pid="$(ps -o pid=,args= --sid "$serve_pid" | awk '$2 ~ /java$/ && /ServeJob/ { print $1; exit }')"
[[ -n "$java_pid" ]] || { echo "[bench] cannot find the service's java process (group $serve_pid)" >&2; exit 1; }
rss_mib() { awk -v k="$2:" '$1 == k { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
tree_rss_mib() { # the sum of VmHWM over a session (MLflow's server: Python and its Spark JVM)
  local sum=0 p v
  for p in $(ps -o pid= --sid "$1"); do v=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$p/status" 2>/dev/null || echo 0); sum=$((sum + ${v:-0})); done
  echo $((sum / 1024))
}
say "service java pid $java_pid: after start VmRSS $(rss_mib "$java_pid" VmRSS) MiB, VmHWM $(rss_mib "$java_pid" VmHWM) MiB"

# ---- the load generator ----
auth="Authorization: Bearer $token"
results="$bench/results.txt"; : > "$results"
printf '[bench] %-22s %4s %5s %6s %9s %10s %8s %8s %9s %7s\n' target rec/ conns rate 'req/s' 'records/s' 'p50 ms' \
  'p99 ms' 'max ms' failed
load() { # NAME URL BODIES RECORDS CONNECTIONS [extra LoadGenerator args]
  local name="$1" url="$2" bodies="$3" records="$4" conns="$5"; shift 5
  local line
  java -Xmx256m -XX:+UseSerialGC -cp "$gen_classes" io.dxpipe.serve.http.bench.LoadGenerator --url "$url" \
    --bodies "$bench/bodies/$bodies" --records "$records" --connections "$conns" --label "$name" \
    --header "$auth" "$@" > "$bench/load-$name-$records-$conns.out" 2>&1 \
    || { cat "$bench/load-$name-$records-$conns.out" >&2; echo "[bench] the load generator failed" >&2; exit 1; }
  line="$(grep '^RESULT' "$bench/load-$name-$records-$conns.out")"
  echo "$line" >> "$results"
  awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
         printf "[bench] %-22s %4s %5s %6s %9s %10s %8s %8s %9s %7s\n", v["label"], v["records_per_request"],
           v["connections"], v["rate"], v["req_s"], v["records_s"], v["p50_ms"], v["p99_ms"], v["max_ms"], v["failed"] }' <<< "$line"
  grep '^ERROR' "$bench/load-$name-$records-$conns.out" | head -n 3 | sed 's/^/[bench]     /' || true
}
get() { # LABEL RECORDS CONNECTIONS RATE KEY: a field of a RESULT line
  awk -v l="$1" -v r="$2" -v c="$3" -v q="$4" -v k="$5" '{ delete v; for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    if (v["label"] == l && v["records_per_request"] == r && v["connections"] == c && v["rate"] == q) x = v[k] }
    END { print (x == "" ? "nan" : x) }' "$results"
}

# ---- 3. the same load on both ----
say "closed loop: ${seconds} s per run after ${warmup} s of warm-up, at most 200000 requests"
for records in 1 100; do
  for c in "${connections[@]}"; do
    load ours-v1-predict "$serve_url/v1/predict" "predict-$records.jsonl" "$records" "$c" \
      --duration "$seconds" --warmup "$warmup" --max-requests 200000
    load ours-invocations "$serve_url/invocations" "invocations-$records.jsonl" "$records" "$c" \
      --duration "$seconds" --warmup "$warmup" --max-requests 200000
  done
done
say "open loop: 1-record /v1/predict at $rate req/s (latency from when each request was due)"
load ours-v1-predict "$serve_url/v1/predict" predict-1.jsonl 1 "${connections[0]}" --rate "$rate" \
  --duration "$seconds" --warmup "$warmup"
rss_load="$(rss_mib "$java_pid" VmHWM)"
say "service VmHWM after the load: $rss_load MiB (VmRSS $(rss_mib "$java_pid" VmRSS) MiB)"

probe() { # BODIES: 1 when MLflow's server answers the first 1-record body of the file with 200; its answer in mlflow-probe.json
  head -n 1 "$bench/bodies/$1" > "$bench/mlflow-probe-body.json"
  local code
  code="$(curl -sS -o "$bench/mlflow-probe.json" -w '%{http_code}' --max-time 300 -H 'Content-Type: application/json' \
    --data-binary "@$bench/mlflow-probe-body.json" "$mlflow_url/invocations" || echo 000)"
  [[ "$code" == 200 ]] && return 0
  # the message and the innermost error of MLflow's answer (it sends its stack trace)
  mlflow_error="HTTP $code: $(python3 -c '
import json, re, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception:
    print(open(sys.argv[1], errors="replace").read()[:300]); sys.exit()
lines = [l.strip() for l in d.get("stack_trace", "").splitlines() if re.search(r"(Error|Exception)[:\[ ]", l)]
print(d.get("message", "")[:200], "|", (lines[-1] if lines else "")[:400])' "$bench/mlflow-probe.json")"
  return 1
}
mlflow_error=""; mlflow_real_error=""; mlflow_bodies=""
if [[ "$mlflow_ok" == true ]]; then
  if probe invocations-1.jsonl; then
    mlflow_bodies=invocations
  else
    mlflow_real_error="$mlflow_error"
    say "MLflow's scoring server refuses the records as they are (dataframe_split of the signature's columns):"
    say "  a record with a null or empty column: $mlflow_real_error"
    if ! probe complete-1.jsonl; then
      say "  a record with every column given: $mlflow_error"
    fi
    if probe mlflow-1.jsonl; then
      mlflow_bodies=mlflow; mlflow_error=""
      say "it answers the same records without symptom severities (one-record bodies: records with no null or empty"
      say "column only), so MLflow and our /invocations both get those bodies, byte for byte"
    fi
  fi
else
  mlflow_error="the scoring server did not start: $(grep -E 'Error|Exception' "$bench/mlflow-serve.log" | tail -n 3 | tr '\n' ' ')"
fi
if [[ -n "$mlflow_bodies" ]]; then
  say "load average now$(uptime | sed 's/.*load average//')"
  say "MLflow's answer to a 1-record body: $(head -c 160 "$bench/mlflow-probe.json")"
  if [[ "$mlflow_bodies" == mlflow ]]; then
    for records in 1 100; do
      for c in "${connections[@]}"; do
        load ours-invocations-same "$serve_url/invocations" "mlflow-$records.jsonl" "$records" "$c" \
          --duration "$seconds" --warmup "$warmup" --max-requests 200000
      done
    done
  fi
  for records in 1 100; do
    for c in "${connections[@]}"; do
      load mlflow-invocations "$mlflow_url/invocations" "$mlflow_bodies-$records.jsonl" "$records" "$c" \
        --duration "$seconds" --warmup "$warmup" --max-requests 200000 --timeout-ms 120000
    done
  done
  mlflow_rss="$(tree_rss_mib "$mlflow_pid")"
  say "MLflow's scoring server (Python and its Spark JVM): sum of VmHWM $mlflow_rss MiB"
else
  say "MLflow's scoring server cannot be driven: $mlflow_error"
fi
kill -TERM -- "-$mlflow_pid" 2>/dev/null || true # frees its cores for the swap

# ---- 4. the load during a swap ----
say "load average now$(uptime | sed 's/.*load average//')"
say "swap: 1-record /v1/predict on ${connections[0]} connections; the alias moves after 5 s, the load goes on until"
say "  ${swap_seconds} s after /admin/reload answered (at most 300 s in all)"
rm -f "$bench/swap-stop"
load_args=(--url "$serve_url/v1/predict" --bodies "$bench/bodies/predict-1.jsonl" --records 1 --connections
  "${connections[0]}" --duration 300 --stop-file "$bench/swap-stop" --label ours-swap --header "$auth"
  --tally '"version":(\d+)')
java -Xmx256m -XX:+UseSerialGC -cp "$gen_classes" io.dxpipe.serve.http.bench.LoadGenerator "${load_args[@]}" \
  > "$bench/load-swap.out" 2>&1 &
load_pid=$!
sleep 5
moved="$("$python" scripts/python/bench_serve.py new-version --tracking-uri "$MLFLOW_TRACKING_URI" --model "$model" \
  --alias "$alias")"
new_version="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["new"])' "$moved")"
say "registered version $new_version (same run), alias $alias moved from $first_version to it; POST /admin/reload ..."
t0=$(date +%s.%N)
reload="$(curl -sS --max-time 300 -X POST -H "$auth" "$serve_url/admin/reload" || echo '{"error":"no answer"}')"
say "  /admin/reload answered after $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s: $(head -c 400 <<< "$reload")"
sleep "$swap_seconds"; touch "$bench/swap-stop"
wait "$load_pid" || { cat "$bench/load-swap.out" >&2; load_pid=""; echo "[bench] the load generator failed" >&2; exit 1; }
load_pid=""
swap_line="$(grep '^RESULT' "$bench/load-swap.out")"
echo "$swap_line" >> "$results"
awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
  printf "[bench] during the swap: %s requests, %s failed, %s req/s, p50 %s ms, p99 %s ms, max %s ms; answered by version:count %s\n",
    v["requests"], v["failed"], v["req_s"], v["p50_ms"], v["p99_ms"], v["max_ms"], v["tally"] }' <<< "$swap_line"
grep '^ERROR' "$bench/load-swap.out" | head -n 3 | sed 's/^/[bench]     /' || true
health="$(curl -sS --max-time 10 "$serve_url/health" || true)"
say "/health now: $(python3 -c 'import json,sys; h=json.loads(sys.argv[1]); print(h["status"], "version", h["model"]["version"], "-", h["last_check"]["outcome"][:160])' "$health" 2>/dev/null || echo "$health")"
rss_peak="$(rss_mib "$java_pid" VmHWM)"
say "service VmHWM over the whole run: $rss_peak MiB"
t0=$SECONDS; stop_service
say "service stopped (SIGTERM to its java process: requests finished, spool appended) in $((SECONDS - t0)) s:"
grep -E '^\s+(requests|records predicted|audit rows appended|prediction rows appended|model swaps) ' "$bench/serve.log" \
  | sed 's/^ */[bench]   /' || true

# ---- 5. summary ----
c0="${connections[0]}"
p99="$(get ours-v1-predict 1 "$c0" "$(printf '%.2f' "$rate")" p99_ms)"
got_rate="$(get ours-v1-predict 1 "$c0" "$(printf '%.2f' "$rate")" req_s)"
best() { # LABEL RECORDS: the best req/s over the connection counts, and at which
  local b="nan" bc="" v c
  for c in "${connections[@]}"; do
    v="$(get "$1" "$2" "$c" max req_s)"
    if [[ "$b" == nan ]] || awk -v a="$v" -v b="$b" 'BEGIN { exit !(a > b) }'; then b="$v"; bc="$c"; fi
  done
  echo "$b $bc"
}
rows=()
verdict() { awk -v ok="$1" 'BEGIN { print (ok == 1 ? "PASS" : "MISSED") }'; }
ok=$(awk -v p="$p99" -v r="$got_rate" -v want="$rate" 'BEGIN { print (p < 10 && r >= 500 && r >= 0.98 * want) ? 1 : 0 }')
rows+=("1-record p99 < 10 ms at >= 500 req/s|p99 $p99 ms at $got_rate req/s (open loop, $c0 connections, /v1/predict)|$(verdict "$ok")")
if [[ -z "$mlflow_error" ]]; then
  figures=""; all=1
  for records in 1 100; do
    read -r ours oc <<< "$(best "$([[ "$mlflow_bodies" == mlflow ]] && echo ours-invocations-same || echo ours-invocations)" "$records")"
    read -r theirs tc <<< "$(best mlflow-invocations "$records")"
    x="$(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.0f", (b > 0 ? a / b : 0) }')"
    figures+="${figures:+; }$records-record: ${x}x ($ours vs $theirs req/s)"
    (( x >= 20 )) || all=0
  done
  figures+=" (/invocations, the same bytes to both, best of ${connections[*]} connections$([[ "$mlflow_bodies" == mlflow ]] && echo '; records without severities, the only form MLflow takes'))"
  rows+=(">= 20x MLflow's throughput|$figures|$(verdict "$all")")
else
  rows+=(">= 20x MLflow's throughput|MLflow's scoring server could not be driven: $mlflow_error|NOT MEASURED")
fi
failed="$(awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } print v["failed"] }' <<< "$swap_line")"
tally="$(awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } print v["tally"] }' <<< "$swap_line")"
both=$(awk -v t=",$tally," -v a="$first_version" -v b="$new_version" 'BEGIN { print (index(t, "," a ":") && index(t, "," b ":")) ? 1 : 0 }')
ok=$(( failed == 0 && both == 1 ? 1 : 0 ))
rows+=("0 failed requests during a swap|$failed failed of $(awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } print v["requests"] }' <<< "$swap_line"); version:answers $tally$( ((both == 1)) || echo ' (not both versions answered)')|$(verdict "$ok")")
ok=$(awk -v r="$rss_peak" 'BEGIN { print (r < 1536) ? 1 : 0 }')
rows+=("peak RSS < 1.5 GiB|VmHWM $rss_peak MiB (heap -Xmx${DXPIPE_SERVE_MEMORY:-1g}; $rss_load MiB before the swap)|$(verdict "$ok")")
say ""
say "summary ($(nproc) cores, load average$(uptime | sed 's/.*load average//'), $(( $(date +%s) - started )) s):"
for r in "${rows[@]}"; do
  IFS='|' read -r target figure result <<< "$r"
  printf '[bench]   %-42s %-12s %s\n' "$target" "$result" "$figure"
done
if [[ -z "$mlflow_bodies" ]]; then
  exit 3
fi
