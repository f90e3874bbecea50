# Shared by the scripts in scripts/: repository paths, Java options, building the job jar.
# Source it: . "$(dirname "$0")/lib/common.sh"
set -euo pipefail

DXPIPE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export DXPIPE_ROOT

# A JVM names files in the locale's encoding: under a POSIX locale (LANG unset or C) it cannot read
# landing files with non-ASCII names (Müller.json), and ingest refuses to start. Every JVM the scripts
# start (Maven, its test forks, spark-submit, the cluster) gets a UTF-8 locale unless it has one.
if [[ "$(locale charmap 2>/dev/null || true)" != "UTF-8" ]]; then
  export LC_ALL=C.UTF-8
fi

# The --add-opens flags Spark needs on Java 17: one source of truth, the extraJavaTestArgs property in pom.xml.
dxpipe_java_opens() {
  sed -n 's:.*<extraJavaTestArgs>\(.*\)</extraJavaTestArgs>.*:\1:p' "$DXPIPE_ROOT/pom.xml"
}

# The per-user cache of installed tools (the Python environment, Azurite): DXPIPE_CACHE moves it.
dxpipe_cache_dir() {
  echo "${DXPIPE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dxpipe}"
}

# Installs a tool once into DIR (a folder of dxpipe_cache_dir, named by its version) and links it as
# .tools/NAME, so a fresh clone on a machine that has installed it once links it instead. INSTALL
# runs with DIR as its last argument, under a lock (two installers at once: the second waits and
# finds it complete); DIR/.complete marks a finished install, so a failed one is redone.
#   dxpipe_cached_tool NAME DIR INSTALL [ARGS...]
dxpipe_cached_tool() {
  local name="$1" dir="$2"; shift 2
  if [[ ! -f "$dir/.complete" ]]; then
    mkdir -p "$(dirname "$dir")"
    exec 9> "$dir.lock"
    flock 9
    if [[ ! -f "$dir/.complete" ]]; then
      rm -rf "$dir"
      "$@" "$dir"
      touch "$dir/.complete"
    fi
    exec 9>&-
  fi
  local link="$DXPIPE_ROOT/.tools/$name"
  if [[ "$(readlink "$link" 2>/dev/null)" != "$dir" ]]; then
    mkdir -p "$DXPIPE_ROOT/.tools"
    if [[ -d "$link" && ! -L "$link" ]]; then rm -rf "$link"; fi # an older checkout's real folder
    ln -sfn "$dir" "$link.$$" && mv -fT "$link.$$" "$link" # a rename: callers at the same time all succeed
  fi
}

# The pipeline's jobs in order, and the class of each (scripts/run-local.sh, scripts/submit.sh).
DXPIPE_STAGES=(generate ingest clean features train validate score monitor)
declare -A DXPIPE_JOB_CLASS=(
  [generate]=io.dxpipe.jobs.GenerateJob
  [ingest]=io.dxpipe.jobs.IngestJob
  [clean]=io.dxpipe.jobs.CleanJob
  [features]=io.dxpipe.jobs.FeaturesJob
  [train]=io.dxpipe.jobs.TrainJob
  [validate]=io.dxpipe.jobs.ValidateJob
  [score]=io.dxpipe.jobs.ScoreJob
  [monitor]=io.dxpipe.jobs.MonitorJob
)

dxpipe_jobs_jar() {
  ls "$DXPIPE_ROOT"/jobs/target/dxpipe-jobs-*.jar 2>/dev/null | grep -v -e '-tests.jar' -e 'original-' | head -n 1
}

# Builds the job jar (skipping tests) when it is missing or older than any source, pom or config file.
dxpipe_build_if_needed() {
  local jar
  jar="$(dxpipe_jobs_jar || true)"
  if [[ -n "$jar" && -f "$DXPIPE_ROOT/jobs/target/provided-classpath.txt" ]] \
     && [[ -z "$(find "$DXPIPE_ROOT/lib/src/main" "$DXPIPE_ROOT/jobs/src/main" "$DXPIPE_ROOT/conf" \
                  "$DXPIPE_ROOT/pom.xml" "$DXPIPE_ROOT/lib/pom.xml" "$DXPIPE_ROOT/jobs/pom.xml" \
                  -newer "$jar" -type f 2>/dev/null | head -n 1)" ]]; then
    return 0
  fi
  echo "[dxpipe] building the job jar (mvn package -DskipTests) ..."
  (cd "$DXPIPE_ROOT" && mvn -B -q -DskipTests package) || { echo "[dxpipe] build failed" >&2; exit 1; }
}

# What a Spark cluster provides: the Maven-resolved Spark, Delta and Hadoop jars, plus the jars a
# Spark distribution adds (jobs/target/distribution-jars: Guava 14.0.1, which Delta uses).
dxpipe_provided_classpath() {
  echo "$(cat "$DXPIPE_ROOT/jobs/target/provided-classpath.txt"):$DXPIPE_ROOT/jobs/target/distribution-jars/*"
}

# Runs a job class in local mode: the shaded job jar plus the provided Spark/Delta/Hadoop jars.
# Usage: dxpipe_run_java [-Xmx...] CLASS ARGS...
dxpipe_run_java() {
  local heap="-Xmx${DXPIPE_DRIVER_MEMORY:-4g}"
  local cls="$1"; shift
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}" # local mode: no hostname lookup warnings
  # shellcheck disable=SC2046
  java $heap $(dxpipe_java_opens) \
    -Dlog4j2.configurationFile="$DXPIPE_ROOT/conf/log4j2.properties" \
    -cp "$(dxpipe_jobs_jar):$(dxpipe_provided_classpath)" \
    "$cls" "$@"
}

# Where the local MLflow keeps its SQLite store and artifacts for a storage root: <root>/mlflow for a
# file: root (relative to the working directory), .tools/mlflow-local for an object-store root.
dxpipe_local_mlflow_dir() {
  local root="${1//\"/}"
  if [[ "$root" == file:* ]]; then
    realpath -m "$(sed -E 's,^file:(//)?,,' <<< "$root")/mlflow"
  else
    echo "$DXPIPE_ROOT/.tools/mlflow-local"
  fi
}

# Starts an MLflow server (scripts/mlflow-server.sh) over the store in DIR on a free loopback port,
# exports MLFLOW_TRACKING_URI and stops the server when the calling script exits.
# Usage: dxpipe_local_mlflow DIR
dxpipe_local_mlflow() {
  DXPIPE_MLFLOW_DIR="$1"
  DXPIPE_MLFLOW_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  trap dxpipe_local_mlflow_stop EXIT
  MLFLOW_PORT="$DXPIPE_MLFLOW_PORT" MLFLOW_DATA_DIR="$DXPIPE_MLFLOW_DIR" "$DXPIPE_ROOT/scripts/mlflow-server.sh" start
  export MLFLOW_TRACKING_URI="http://127.0.0.1:$DXPIPE_MLFLOW_PORT"
}

dxpipe_local_mlflow_stop() {
  MLFLOW_PORT="$DXPIPE_MLFLOW_PORT" MLFLOW_DATA_DIR="$DXPIPE_MLFLOW_DIR" "$DXPIPE_ROOT/scripts/mlflow-server.sh" stop \
    >/dev/null || true
}

# Benchmarks: sets $out to a fresh bench-data/ folder, builds the job jar if needed and exports the
# helpers that commands run by dxpipe_run_timed use.
dxpipe_bench_prepare() {
  out="$DXPIPE_ROOT/bench-data"
  rm -rf "$out"; mkdir -p "$out"
  dxpipe_build_if_needed
  export -f dxpipe_run_java dxpipe_java_opens dxpipe_jobs_jar dxpipe_provided_classpath
}

# Benchmarks: a number of a job's summary (`  KEY   N`) in $out/LABEL.log.
# Usage: out=DIR dxpipe_bench_count LABEL KEY
dxpipe_bench_count() {
  sed -n "s/^  $2 *\([0-9]*\)\$/\1/p" "$out/$1.log" | tail -1
}

# Benchmarks: the small model the score benchmarks score with: 1,500 historical records (the
# generator's default) through generate, ingest, clean, features and train with CANDIDATES,
# registered in the MLflow server of MLFLOW_TRACKING_URI; JOB-ARGS go to every job.
# Usage: out=DIR dxpipe_bench_train_model CANDIDATES JOB-ARGS...
dxpipe_bench_train_model() {
  local candidates="$1" job; shift
  echo "[bench] training a model on 1,500 historical records ($candidates) ..."
  for job in Generate Ingest Clean Features Train; do
    dxpipe_run_timed "model-$job" dxpipe_run_java "io.dxpipe.jobs.${job}Job" "$@" \
      "train.candidates=[$candidates]" train.cv.folds=2 'train.grids.logistic-regression.reg-param=[0.01]' \
      train.features-column=features train.evaluation.records-per-disease=0
  done
}

# Benchmarks: runs a command with its output in $out/LABEL.log, its wall seconds in
# $out/LABEL.secs and its peak resident memory (KiB, 0 without GNU time) in $out/LABEL.rss.
# Usage: out=DIR dxpipe_run_timed LABEL COMMAND... (functions used by COMMAND must be exported)
dxpipe_run_timed() {
  local label="$1"; shift
  local start end
  start=$(date +%s.%N)
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -f "%M" -o "$out/$label.rss" bash -c '"$@"' _ "$@" > "$out/$label.log" 2>&1 \
      || { echo "[bench] $label failed, see $out/$label.log" >&2; tail -20 "$out/$label.log" >&2; exit 1; }
  else
    echo 0 > "$out/$label.rss"
    bash -c '"$@"' _ "$@" > "$out/$label.log" 2>&1 \
      || { echo "[bench] $label failed, see $out/$label.log" >&2; tail -20 "$out/$label.log" >&2; exit 1; }
  fi
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f\n", b - a }' > "$out/$label.secs"
}

# Benchmarks: one result line from the files dxpipe_run_timed wrote: wall time, records/s, peak RSS.
# Usage: out=DIR dxpipe_bench_report LABEL RECORDS
dxpipe_bench_report() {
  awk -v l="$1" -v n="$2" -v s="$(cat "$out/$1.secs")" -v r="$(cat "$out/$1.rss")" \
    'BEGIN { printf "  %-10s %8.1f s  %9.0f records/s  peak RSS %s\n", l, s, n / s,
             (r > 0 ? sprintf("%.0f MiB", r / 1024) : "n/a (install GNU time)") }'
}
