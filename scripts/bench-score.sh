#!/usr/bin/env bash
# Benchmark of the daily score job (a benchmark, not a test).
#   scripts/bench-score.sh [RECORDS]      default 5,000,000 daily records
# In bench-data/ (removed afterwards unless KEEP=1), in one invocation:
#   1. a model: 1,500 historical records through generate, ingest, clean, features and train
#      (logistic regression), registered as version 1 in an MLflow server started for the benchmark (store in bench-data/mlflow);
#   2. the day: RECORDS daily records synthesised straight into bronze (generate.output=bronze);
#   3. an I/O-only reference: bronze read and written to another Delta table, no rules, no model;
#   4. the score job on the day's bronze partition (cleaned by the clean rules, then the model, then
#      the predictions Delta table) on 2 cores, then again on 1 core (local[1]), with the row engine;
#      then with the pipeline engine on 2 cores (PIPELINE=0 skips it);
#   5. the same score job submitted (scripts/submit.sh, client mode) to the standalone cluster of
#      scripts/spark-cluster.sh with 2 Workers of 1 core each: executors in separate JVMs, the
#      model broadcast to them (CLUSTER=0 skips it; the driver shares this machine's 2 cores).
# CANDIDATES=phenotype trains the phenotype model (4,138 diseases) instead of a logistic regression.
# Prints records/s of each, the ratio to the reference, peak resident memory (driver = executor in
# local mode, heap -Xmx${DXPIPE_DRIVER_MEMORY:-4g}), and the cores needed to score N million records
# in 30 minutes, extrapolated linearly from the 1- and 2-core runs.
. "$(dirname "$0")/lib/common.sh"
cd "$DXPIPE_ROOT"
records="${1:-5000000}"
day=2026-06-01
dxpipe_bench_prepare
root="file:$out/root"
dxpipe_local_mlflow "$out/mlflow" # exports MLFLOW_TRACKING_URI, which the jobs' config reads
common=(--conf conf/local.conf "storage.root=$root")

dxpipe_bench_train_model "${CANDIDATES:-logistic-regression}" "${common[@]}"
echo "[bench] synthesising $records daily records into bronze (delivery date $day) ..."
dxpipe_run_timed day dxpipe_run_java io.dxpipe.jobs.GenerateJob "${common[@]}" generate.output=bronze \
  generate.mode=daily "generate.date=$day" "generate.records=$records" generate.records-per-partition=100000
echo "[bench] I/O-only reference: bronze copied to another Delta table ..."
dxpipe_run_timed reference dxpipe_run_java io.dxpipe.jobs.DeltaCopyReference --conf conf/local.conf \
  "$root/bronze/records" "$root/reference"
reference_rows=$(dxpipe_bench_count reference written)
# the row engine (the default: one pass, row evaluator) on 2 cores and 1, then the pipeline engine
# (PipelineModel.transform, a reject pass) on 2 cores as the engine it replaces (PIPELINE=0 skips it)
runs="row:2 row:1"
[[ "${PIPELINE:-1}" == 1 ]] && runs="$runs pipeline:2"
for run in $runs; do
  engine=${run%:*} cores=${run#*:}
  name="score-$cores"; [[ "$engine" == row ]] || name="score-$engine-$cores"
  echo "[bench] score, $engine engine, on $cores core(s) ..."
  dxpipe_run_timed "$name" dxpipe_run_java io.dxpipe.jobs.ScoreJob "${common[@]}" score.input=bronze \
    "score.date=$day" score.model.version=1 "spark.master=local[$cores]" "score.engine=$engine"
done
if [[ "${CLUSTER:-1}" == 1 ]]; then
  echo "[bench] score, row engine, on the standalone cluster (2 Workers of 1 core, client mode) ..."
  bash scripts/spark-cluster.sh stop > /dev/null
  DXPIPE_WORKER_CORES=1 DXPIPE_WORKER_MEMORY=3g bash scripts/spark-cluster.sh start
  dxpipe_run_timed score-cluster bash scripts/submit.sh --master "spark://127.0.0.1:${DXPIPE_CLUSTER_PORT:-7077}" \
    --executor-memory 2g score "${common[@]}" score.input=bronze "score.date=$day" score.model.version=1
  bash scripts/spark-cluster.sh stop > /dev/null
fi
scored=$(dxpipe_bench_count score-2 written)
rejected=$(dxpipe_bench_count score-2 rejected)
read_rows=$(dxpipe_bench_count score-2 read)

echo
echo "[bench] results ($(nproc) cores, $(date -u +%Y-%m-%d)): $read_rows records of $day, $scored scored + $rejected rejected"
echo "  (wall time of each job, JVM start-up included; the reference copies $reference_rows bronze rows)"
dxpipe_bench_report reference "$reference_rows"
dxpipe_bench_report score-2 "$read_rows"
dxpipe_bench_report score-1 "$read_rows"
if [[ -f "$out/score-pipeline-2.secs" ]]; then
  dxpipe_bench_report score-pipeline-2 "$read_rows"
  awk -v s="$(cat "$out/score-2.secs")" -v p="$(cat "$out/score-pipeline-2.secs")" \
    'BEGIN { printf "  row engine / pipeline engine throughput (2 cores): %.2fx\n", p / s }'
fi
awk -v s="$(cat "$out/score-2.secs")" -v r="$(cat "$out/reference.secs")" -v n="$read_rows" -v m="$reference_rows" \
  'BEGIN { printf "  score (2 cores) throughput / I/O-only reference throughput: %.2f\n", (n / s) / (m / r) }'
if [[ -f "$out/score-cluster.secs" ]]; then
  dxpipe_bench_report score-cluster "$read_rows"
  echo "  (cluster: peak RSS is the driver's; each executor has -Xmx2g, one core)"
  cluster_written=$(dxpipe_bench_count score-cluster written)
  [[ "$cluster_written" == "$scored" ]] || echo "  WARNING: the cluster run scored $cluster_written records, local mode $scored"
fi
for log in score-2 score-pipeline-2 score-cluster; do
  [[ -f "$out/$log.log" ]] || continue
  echo "  inside the score job ($log):"
  grep -hE '^\[dxpipe\] (engine|loaded|planned|read|rejected|scored) ' "$out/$log.log" | sed 's/^/    /'
  grep -E "^  (scoring|elapsed) " "$out/$log.log" | sed 's/^ */    /'
done
# cores for N million in 30 minutes: linear in cores through the 1- and 2-core rates
awk -v s1="$(cat "$out/score-1.secs")" -v s2="$(cat "$out/score-2.secs")" -v n="$read_rows" 'BEGIN {
  r1 = n / s1; r2 = n / s2; per = r2 - r1;
  printf "  end-to-end rate: 1 core %.0f records/s, 2 cores %.0f records/s (+%.0f per extra core)\n", r1, r2, per;
  split("5 10 50 100", millions, " ");
  for (i = 1; i <= 4; i++) {
    need = millions[i] * 1e6 / 1800;
    if (r1 >= need) { c = 1 } else if (per <= 0) { c = -1 } else { c = 1 + (need - r1) / per; c = (c == int(c)) ? c : int(c) + 1 }
    printf "  %3d million in 30 min needs %s records/s: %s\n", millions[i], sprintf("%.0f", need),
      (c < 0 ? "no linear estimate (2 cores were not faster than 1)" : c " core(s) by linear extrapolation");
  }
}'
if [[ -f "$out/score-cluster.secs" ]]; then
  # the pass scales with executor cores; the rest of the job (JVM start, model load, planning, commits) does not
  pass=$(sed -n 's/^  scoring *\([0-9.]*\) s in .*/\1/p' "$out/score-cluster.log")
  awk -v s="$(cat "$out/score-cluster.secs")" -v p="$pass" -v n="$read_rows" 'BEGIN {
    per = n / p / 2; fixed = s - p;
    printf "  cluster: the pass %.0f records/s per executor core (2 executors of 1 core); the rest of the job %.1f s\n", per, fixed;
    split("10 50 100", millions, " ");
    for (i = 1; i <= 3; i++) {
      c = millions[i] * 1e6 / (per * (1800 - fixed)); c = (c == int(c)) ? c : int(c) + 1;
      printf "  %3d million in 30 min at that per-core rate (plus the same %.0f s): %d executor cores\n", millions[i], fixed, c;
    }
  }'
fi
dxpipe_local_mlflow_stop
[[ "${KEEP:-0}" == 1 ]] || rm -rf "$out"
