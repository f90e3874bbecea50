#!/usr/bin/env bash
# Benchmark of the clean and features jobs (a benchmark, not a test).
#   scripts/bench-clean-features.sh [RECORDS]      default 100,000 historical (labelled) records
# Generates and ingests the records into bench-data/ (removed afterwards unless KEEP=1), then times,
# in the same invocation: an I/O-only reference (bronze read and written as a Delta table, no
# rules), the clean job, and the features job. Prints wall time, records/s, peak resident memory,
# clean's ratio to the reference, and each job's own step timings.
. "$(dirname "$0")/lib/common.sh"
cd "$DXPIPE_ROOT"
records="${1:-100000}"
dxpipe_bench_prepare
root="file:$out/root"

echo "[bench] generating and ingesting $records historical records on $(nproc) cores ..."
dxpipe_run_timed generate dxpipe_run_java io.dxpipe.jobs.GenerateJob --conf conf/local.conf "storage.root=$root" \
  "generate.records=$records"
dxpipe_run_timed ingest dxpipe_run_java io.dxpipe.jobs.IngestJob --conf conf/local.conf "storage.root=$root"
bronze=$(dxpipe_bench_count ingest written)

echo "[bench] I/O-only reference: copy of bronze ($bronze records) to Delta ..."
dxpipe_run_timed reference dxpipe_run_java io.dxpipe.jobs.DeltaCopyReference --conf conf/local.conf \
  "$root/bronze/records" "$root/reference"
echo "[bench] clean ..."
dxpipe_run_timed clean dxpipe_run_java io.dxpipe.jobs.CleanJob --conf conf/local.conf "storage.root=$root"
echo "[bench] features ..."
dxpipe_run_timed features dxpipe_run_java io.dxpipe.jobs.FeaturesJob --conf conf/local.conf "storage.root=$root"
silver=$(dxpipe_bench_count features read)

echo
echo "[bench] results ($(nproc) cores, $(date -u +%Y-%m-%d)), $bronze bronze records, $silver silver records:"
dxpipe_bench_report reference "$bronze"
dxpipe_bench_report clean "$bronze"
dxpipe_bench_report features "$silver"
awk -v c="$(cat "$out/clean.secs")" -v r="$(cat "$out/reference.secs")" \
  'BEGIN { printf "  clean throughput / I/O-only reference throughput: %.2f\n", r / c }'
echo "  steps (each job prints them as it goes):"
grep -hE '^\[dxpipe\] (read|checked|cleaned|wrote|split|fitted|transformed|saved|[0-9]+ features)' \
  "$out/clean.log" "$out/features.log" | sed 's/^/    /'
grep -E "^  (elapsed|duplicates|flagged records)" "$out/clean.log" | sed 's/^ */  clean: /'
grep -E "^  (elapsed|pca)" "$out/features.log" | sed 's/^ */  features: /'
[[ "${KEEP:-0}" == 1 ]] || rm -rf "$out"
