#!/usr/bin/env bash
# Benchmark of the sample-data generator at production scale (a benchmark, not a test).
#   scripts/bench-generate.sh [RECORDS]      default 5,000,000 daily records
# Writes to bench-data/ (removed afterwards unless KEEP=1). Prints, for the generator and for an
# I/O-only reference (Spark writing the same number of bytes as plain text in the same number of
# tasks): wall time, records/s, MB/s and peak resident memory; then the ratio of the two.
. "$(dirname "$0")/lib/common.sh"
cd "$DXPIPE_ROOT"
records="${1:-5000000}"
heap="${DXPIPE_DRIVER_MEMORY:-4g}"
dxpipe_bench_prepare


echo "[bench] generating $records daily records on $(nproc) cores, driver heap $heap ..."
DXPIPE_DRIVER_MEMORY="$heap" dxpipe_run_timed generate dxpipe_run_java io.dxpipe.jobs.GenerateJob --conf conf/local.conf \
  "storage.root=file:$out/root" generate.mode=daily "generate.records=$records" generate.date=2026-11-25
gen_written=$(dxpipe_bench_count generate written)
gen_bytes=$(sed -n 's/^  bytes *\([0-9,]*\)$/\1/p' "$out/generate.log" | tr -d ,)
gen_files=$(find "$out/root/landing" -type f | wc -l)
partitions=$(sed -n 's/.* in \([0-9]*\) tasks into .*/\1/p' "$out/generate.log")
bytes_per_record=$(( gen_bytes / gen_written ))

echo "[bench] I/O-only reference: $gen_written lines of $bytes_per_record bytes in $partitions tasks ..."
DXPIPE_DRIVER_MEMORY="$heap" dxpipe_run_timed reference dxpipe_run_java io.dxpipe.jobs.WriteReferenceBenchmark --conf conf/local.conf \
  "file:$out/reference" "$gen_written" "$bytes_per_record" "$partitions"

report() { # label records bytes
  awk -v l="$1" -v n="$2" -v b="$3" -v s="$(cat "$out/$1.secs")" -v r="$(cat "$out/$1.rss")" \
    'BEGIN { printf "  %-10s %8.1f s  %10.0f records/s  %7.1f MB/s  peak RSS %s\n", l, s, n / s, b / s / 1048576,
             (r > 0 ? sprintf("%.0f MiB", r / 1024) : "n/a (install GNU time)") }'
}
echo
echo "[bench] results ($(nproc) cores, $(date -u +%Y-%m-%d)):"
report generate "$gen_written" "$gen_bytes"
report reference "$gen_written" "$gen_bytes"
awk -v g="$(cat "$out/generate.secs")" -v r="$(cat "$out/reference.secs")" \
  'BEGIN { printf "  generator throughput / I/O-only reference throughput: %.2f\n", r / g }'
echo "  generator wrote $gen_files files, $gen_bytes bytes ($bytes_per_record bytes/record)"
grep -E "files per format|records per format|corrupt files" "$out/generate.log" | sed 's/^ */  /'
[[ "${KEEP:-0}" == 1 ]] || rm -rf "$out"
