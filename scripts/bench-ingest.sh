#!/usr/bin/env bash
# Benchmark of the ingest job on many small files (a benchmark, not a test).
#   scripts/bench-ingest.sh [FILES] [JSONL_RECORDS]     defaults 10,000 one-record JSON files, 1,000,000 JSONL records
# (plain Spark reads one-document JSON files with multiLine, whose splits grow with the file count:
#  100,000 files did not finish in 9 minutes here, so its reference runs on PLAIN_FILES files, default
#  the smaller of FILES and 10,000, generated apart when FILES is larger; the ratio is then of rates)
# Generates both data sets (clean, no dirt), ingests each with IngestJob, and runs plain
# spark.read().json(path) with default settings writing the same data to Delta as a reference, in
# the same invocation. Prints files/s and records/s, the ratios, and peak resident memory.
# Data in bench-data/ (removed afterwards unless KEEP=1).
. "$(dirname "$0")/lib/common.sh"
cd "$DXPIPE_ROOT"
files="${1:-10000}"
records="${2:-1000000}"
plain_files="${PLAIN_FILES:-$(( files < 10000 ? files : 10000 ))}"
heap="${DXPIPE_DRIVER_MEMORY:-3g}"
dxpipe_bench_prepare
export DXPIPE_DRIVER_MEMORY="$heap"

clean=(generate.dirty.corrupt-file-rate=0 generate.dirty.missing-required-rate=0 generate.dirty.type-mismatch-rate=0
  generate.dirty.impossible-value-rate=0 generate.dirty.duplicate-same-source-rate=0
  generate.dirty.duplicate-cross-source-rate=0 generate.mode=daily generate.date=2026-11-25)
only() { # format: shares that put every record in that format
  for f in json jsonl registry-xml csv fhir; do
    if [[ "$f" == "$1" ]]; then echo "generate.format-shares.daily.$f=1"; else echo "generate.format-shares.daily.$f=0"; fi
  done
}

echo "[bench] generating $files one-record JSON files and $records JSON-lines records ..."
dxpipe_run_timed gen-files dxpipe_run_java io.dxpipe.jobs.GenerateJob --conf conf/local.conf "storage.root=file:$out/files" \
  "generate.records=$files" "${clean[@]}" $(only json)
plain_in="$out/files"
if (( plain_files != files )); then
  plain_in="$out/plain-files-in"
  echo "[bench] generating $plain_files one-record JSON files for the plain-Spark reference ..."
  dxpipe_run_timed gen-plain-files dxpipe_run_java io.dxpipe.jobs.GenerateJob --conf conf/local.conf \
    "storage.root=file:$plain_in" "generate.records=$plain_files" "${clean[@]}" $(only json)
fi
dxpipe_run_timed gen-lines dxpipe_run_java io.dxpipe.jobs.GenerateJob --conf conf/local.conf "storage.root=file:$out/lines" \
  "generate.records=$records" "${clean[@]}" $(only jsonl)

echo "[bench] ingesting (dxpipe IngestJob) ..."
dxpipe_run_timed ingest-files dxpipe_run_java io.dxpipe.jobs.IngestJob --conf conf/local.conf "storage.root=file:$out/files"
dxpipe_run_timed ingest-lines dxpipe_run_java io.dxpipe.jobs.IngestJob --conf conf/local.conf "storage.root=file:$out/lines"
echo "[bench] reference: spark.read().json(path), default settings, to Delta ..."
dxpipe_run_timed plain-files dxpipe_run_java io.dxpipe.jobs.JsonToDeltaReference --conf conf/local.conf \
  "file:$plain_in/landing/*/*/*.json" "file:$out/plain-files" true
dxpipe_run_timed plain-lines dxpipe_run_java io.dxpipe.jobs.JsonToDeltaReference --conf conf/local.conf \
  "file:$out/lines/landing/*/*/*.jsonl" "file:$out/plain-lines" false

# Memory: two 100 MB single-record files (a note of 100 million characters), with the default
# max-file-bytes (64m: quarantined, not read) and with the limit raised above them (read and parsed).
echo "[bench] two 100 MB single-record files ..."
mkdir -p "$out/big/landing/north_ehr/2026-11-25"
for i in 1 2; do
  python3 -c "import sys; sys.stdout.write('{\"recordId\": \"big-$i\", \"encounter\": {\"note\": \"' + 'x' * 100_000_000 + '\"}}')" \
    > "$out/big/landing/north_ehr/2026-11-25/big-$i.json"
done
dxpipe_run_timed ingest-big dxpipe_run_java io.dxpipe.jobs.IngestJob --conf conf/local.conf "storage.root=file:$out/big"
dxpipe_run_timed ingest-big-read dxpipe_run_java io.dxpipe.jobs.IngestJob --conf conf/local.conf \
  "storage.root=file:$out/big" ingest.max-file-bytes=200m

check() { # the ingest wrote every record
  local got; got=$(dxpipe_bench_count "$1" written)
  [[ "$got" == "$2" ]] || echo "[bench] WARNING: $1 wrote $got records to bronze, expected $2"
}
check ingest-files "$files"; check ingest-lines "$records"
line() { # label, count, unit, secs-label
  awk -v l="$1" -v n="$2" -v u="$3" -v s="$(cat "$out/$4.secs")" -v r="$(cat "$out/$4.rss")" \
    'BEGIN { printf "  %-34s %8.1f s  %10.0f %s/s  peak RSS %s\n", l, s, n / s, u,
             (r > 0 ? sprintf("%.0f MiB", r / 1024) : "n/a") }'
}
ratio() { awk -v a="$(cat "$out/$1.secs")" -v b="$(cat "$out/$2.secs")" 'BEGIN { printf "%.1f", b / a }'; }
echo
echo "[bench] results ($(nproc) cores, $(date -u +%Y-%m-%d), wall time of whole jobs incl. JVM start):"
line "ingest $files JSON files" "$files" files ingest-files
line "plain Spark, $plain_files such files" "$plain_files" files plain-files
awk -v a="$(cat "$out/ingest-files.secs")" -v b="$(cat "$out/plain-files.secs")" -v n="$files" -v m="$plain_files" \
  'BEGIN { printf "  dxpipe / plain Spark (files/s): %.1fx\n", (n / a) / (m / b) }'
line "ingest $records JSONL records" "$records" records ingest-lines
line "plain Spark, same records" "$records" records plain-lines
echo "  dxpipe / plain Spark: $(ratio ingest-lines plain-lines)x"
big_line() { # label, what
  awk -v l="$1" -v s="$(cat "$out/$2.secs")" -v r="$(cat "$out/$2.rss")" \
    'BEGIN { printf "  %-48s %6.1f s  peak RSS %s\n", l, s, (r > 0 ? sprintf("%.0f MiB", r / 1024) : "n/a") }'
}
big_line "2 x 100 MB files, max-file-bytes 64m (quarantined)" ingest-big
big_line "same, limit raised to 200m (read, then refused by the parser)" ingest-big-read
grep -h "quarantine reasons" "$out/ingest-big.log" "$out/ingest-big-read.log" | sed 's/^/  /'
grep -h "ingest batch" "$out"/ingest-*.log | sed 's/^/  /'
[[ "${KEEP:-0}" == 1 ]] || rm -rf "$out"
