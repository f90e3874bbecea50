#!/usr/bin/env bash
# Benchmark of one whole day (a benchmark, not a test): the daily path ingest -> clean -> score on
# RECORDS records delivered as JSON lines, timed per stage, against the 30-minute window.
#   scripts/bench-day.sh [RECORDS]      default 10,000,000 records (1,000 per file, the generator's default)
# In bench-data/ (removed afterwards unless KEEP=1), in one invocation:
#   1. a model: 1,500 historical records through generate, ingest, clean, features and train
#      (CANDIDATES, default phenotype: the 4,138-disease model), registered as version 1 in an MLflow
#      server started for the benchmark;
#   2. the day: RECORDS daily records written to landing as JSON lines (with the generator's usual dirt:
#      duplicates, missing fields, impossible values, a few corrupt files), every patient with a
#      distinct national id (generate.distinct-national-ids: the default's 1,000,000 values made clean
#      fold 8.9 of 10 million records as one person's duplicates, so scoring saw one million);
#   3. IngestJob, CleanJob and ScoreJob (score.input = silver, the row engine) on this machine's cores.
# Prints each stage's wall time (JVM start-up included), records/s and peak resident memory, the day's
# total against 1,800 s and, when RECORDS is below 10 million, the 10-million-record day extrapolated
# linearly from the measured stage rates (labelled as such: a measured 10M run is the real figure).
. "$(dirname "$0")/lib/common.sh"
cd "$DXPIPE_ROOT"
records="${1:-10000000}"
day=2026-06-01
dxpipe_bench_prepare
root="file:$out/root"
dxpipe_local_mlflow "$out/mlflow" # exports MLFLOW_TRACKING_URI, which the jobs' config reads
common=(--conf conf/local.conf "storage.root=$root")
candidates="${CANDIDATES:-phenotype}"

dxpipe_bench_train_model "$candidates" "${common[@]}"
shares=()
for f in json registry-xml csv fhir; do shares+=("generate.format-shares.daily.$f=0"); done
echo "[bench] writing $records daily records to landing as JSON lines (delivery date $day) ..."
dxpipe_run_timed generate dxpipe_run_java io.dxpipe.jobs.GenerateJob "${common[@]}" generate.mode=daily \
  "generate.date=$day" "generate.records=$records" generate.format-shares.daily.jsonl=1 "${shares[@]}" \
  generate.distinct-national-ids=true
for stage in Ingest Clean Score; do
  echo "[bench] $stage ..."
  dxpipe_run_timed "$stage" dxpipe_run_java "io.dxpipe.jobs.${stage}Job" "${common[@]}" score.input=silver \
    "score.date=$day" score.model.version=1
done

echo
echo "[bench] results ($(nproc) cores, $(date -u +%Y-%m-%d)): a day of $records records as JSON lines, model $candidates"
echo "  (wall time of each job, JVM start-up included; read = written + rejected as each job's summary gives)"
total=0
for stage in Ingest Clean Score; do
  read_n=$(dxpipe_bench_count "$stage" read); written=$(dxpipe_bench_count "$stage" written)
  rejected=$(dxpipe_bench_count "$stage" rejected)
  awk -v l="$stage" -v n="$read_n" -v w="$written" -v r="$rejected" -v s="$(cat "$out/$stage.secs")" \
    -v m="$(cat "$out/$stage.rss")" 'BEGIN { printf "  %-7s %8.1f s  %9.0f records/s  read %s, written %s, rejected %s  peak RSS %s\n",
      l, s, n / s, n, w, r, (m > 0 ? sprintf("%.0f MiB", m / 1024) : "n/a") }'
  total=$(awk -v a="$total" -v b="$(cat "$out/$stage.secs")" 'BEGIN { print a + b }')
done
awk -v t="$total" 'BEGIN { printf "  day     %8.1f s  (%s the 1,800 s window)\n", t, (t <= 1800 ? "inside" : "OUTSIDE") }'
if (( records < 10000000 )); then
  echo "  10 million records, EXTRAPOLATED linearly from these rates (not measured; run with 10000000 for the figure):"
  ten=0
  for stage in Ingest Clean Score; do
    s=$(awk -v n="$records" -v s="$(cat "$out/$stage.secs")" 'BEGIN { printf "%.0f", s * 1e7 / n }')
    echo "    $stage ~$s s"
    ten=$((ten + s))
  done
  awk -v t="$ten" 'BEGIN { printf "    day ~%d s (%s the 1,800 s window)\n", t, (t <= 1800 ? "inside" : "outside") }'
fi
dxpipe_local_mlflow_stop
[[ "${KEEP:-0}" == 1 ]] || rm -rf "$out"
