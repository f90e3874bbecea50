#!/usr/bin/env bash
# Submits one pipeline job with spark-submit, to any master: local, standalone, YARN or Kubernetes.
#
#   scripts/submit.sh [spark-submit options] JOB [--conf FILE|NAME] [key=value ...]
#
#   scripts/submit.sh generate generate.records=500                         # local[*], conf/local.conf
#   scripts/submit.sh --master spark://host:7077 --deploy-mode cluster ingest --conf conf/my.conf
#   scripts/submit.sh --master yarn --deploy-mode cluster train --conf conf/hdinsight.conf storage.root=abfss://...
#   scripts/submit.sh --master k8s://https://host:6443 --deploy-mode cluster \
#     --conf spark.kubernetes.container.image=my/spark:3.5 score --conf databricks score.date=2026-11-25
#
# JOB is a stage (generate ingest clean features train validate score monitor) or a job class.
# Options before JOB go to spark-submit; --conf and key=value after JOB go to the job. The job's
# configuration is --conf (a file, or a name packed in the jar: local, databricks, hdinsight), else
# $DXPIPE_CONF, else conf/local.conf. On YARN and Kubernetes in cluster mode the driver runs
# elsewhere: a configuration file is shipped with --files and named by its file name.
# The job jar is $DXPIPE_JAR (a local path or a cluster URI such as abfss://...), else the one
# built here (built first if missing). spark-submit is $SPARK_HOME/bin/spark-submit, else the one on
# PATH, else Spark's SparkSubmit run from the Maven-resolved jars (what the tests use).
# Exit code: the job's in client mode (0 ok, 1 failed, 2 bad settings, 3 refused by the gate, 4
# retrain); in cluster mode whether the driver succeeded (0) or not (1; on YARN, spark-submit's own).
. "$(dirname "$0")/lib/common.sh"

submit_opts=()
job=""
while [[ $# -gt 0 && -z "$job" ]]; do
  case "$1" in
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    # spark-submit flags that take no value
    --verbose|-v|--supervise) submit_opts+=("$1"); shift ;;
    --*)
      [[ $# -ge 2 ]] || { echo "submit: $1 needs a value" >&2; exit 2; }
      submit_opts+=("$1" "$2"); shift 2 ;;
    *) job="$1"; shift ;;
  esac
done
[[ -n "$job" ]] || { echo "submit: no job given (stages: ${DXPIPE_STAGES[*]}); see --help" >&2; exit 2; }
if [[ -n "${DXPIPE_JOB_CLASS[$job]:-}" ]]; then
  class="${DXPIPE_JOB_CLASS[$job]}"
elif [[ "$job" == io.dxpipe.* ]]; then
  class="$job"
else
  echo "submit: unknown job '$job' (stages: ${DXPIPE_STAGES[*]}, or a class io.dxpipe.jobs.*)" >&2; exit 2
fi

# The submit options that matter here, with spark-submit's own defaults.
option() { # option NAME DEFAULT: the last value given for --NAME
  local value="$2" i
  for ((i = 0; i < ${#submit_opts[@]}; i += 2)); do
    [[ "${submit_opts[i]}" == "--$1" ]] && value="${submit_opts[i+1]}"
  done
  echo "$value"
}
master="$(option master "${SPARK_MASTER:-local[*]}")"
deploy_mode="$(option deploy-mode client)"
[[ " ${submit_opts[*]} " == *" --master "* ]] || submit_opts+=(--master "$master")

# The job's arguments: its configuration first, shipped to a remote driver when it is a local file.
job_args=()
conf="${DXPIPE_CONF:-conf/local.conf}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --conf) [[ $# -ge 2 ]] || { echo "submit: --conf needs a file or name" >&2; exit 2; }; conf="$2"; shift 2 ;;
    *) job_args+=("$1"); shift ;;
  esac
done
remote_driver=false
if [[ "$deploy_mode" == cluster && ( "$master" == yarn* || "$master" == k8s://* ) ]]; then remote_driver=true; fi
if [[ -f "$conf" ]]; then
  if $remote_driver; then
    submit_opts+=(--files "$conf")
    conf="$(basename "$conf")"
  else
    conf="$(cd "$(dirname "$conf")" && pwd)/$(basename "$conf")" # the driver may start in another folder
  fi
fi

jar="${DXPIPE_JAR:-}"
if [[ -z "$jar" ]]; then
  dxpipe_build_if_needed
  jar="$(dxpipe_jobs_jar)"
fi
# Spark 3.3+ adds the Java 17 --add-opens to executors itself; a driver started by a cluster manager
# (cluster deploy mode) gets them here, before any extraJavaOptions of the caller's.
opens="$(dxpipe_java_opens)"
driver_opts="$opens"
for ((i = 0; i < ${#submit_opts[@]}; i += 2)); do
  case "${submit_opts[i]} ${submit_opts[i+1]}" in
    "--conf spark.driver.extraJavaOptions="*) driver_opts="$opens ${submit_opts[i+1]#*=}"; submit_opts[i]=""; submit_opts[i+1]="" ;;
    "--driver-java-options "*) driver_opts="$opens ${submit_opts[i+1]}"; submit_opts[i]=""; submit_opts[i+1]="" ;;
  esac
done
kept=(); for o in "${submit_opts[@]}"; do [[ -n "$o" ]] && kept+=("$o"); done; submit_opts=("${kept[@]}")
submit_opts+=(--conf "spark.driver.extraJavaOptions=$driver_opts")
standalone_cluster=false
if [[ "$deploy_mode" == cluster && "$master" == spark://* ]]; then
  standalone_cluster=true
  # wait for the driver: spark-submit then reports its final state (below)
  [[ " ${submit_opts[*]} " == *"spark.standalone.submit.waitAppCompletion="* ]] \
    || submit_opts+=(--conf spark.standalone.submit.waitAppCompletion=true)
fi

command=()
if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
  command=("$SPARK_HOME/bin/spark-submit")
elif command -v spark-submit >/dev/null 2>&1; then
  command=(spark-submit)
else
  dxpipe_build_if_needed # for the provided classpath
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  # shellcheck disable=SC2206
  command=(java "-Xmx$(option driver-memory "${DXPIPE_DRIVER_MEMORY:-2g}")"
    "-Dlog4j2.configurationFile=$DXPIPE_ROOT/conf/log4j2.properties")
  # Client mode: this JVM is the driver, so the driver's Java options apply to it (spark-submit's
  # launcher script would do the same).
  if [[ "$deploy_mode" == client ]]; then command+=($driver_opts); else command+=($opens); fi
  command+=(-cp "$(dxpipe_provided_classpath)" org.apache.spark.deploy.SparkSubmit)
fi
echo "[submit] $job ($class) on $master, $deploy_mode mode, configuration $conf" >&2
if ! $standalone_cluster; then
  exec "${command[@]}" "${submit_opts[@]}" --class "$class" "$jar" --conf "$conf" "${job_args[@]}"
fi
# Standalone cluster mode: spark-submit exits 0 whatever became of the driver. Its client logs the
# driver's final state (conf/log4j2.properties keeps that line), which decides the exit code here.
export SPARK_SUBMIT_OPTS="${SPARK_SUBMIT_OPTS:-} -Dlog4j2.configurationFile=$DXPIPE_ROOT/conf/log4j2.properties"
log="$(mktemp)"; trap 'rm -f "$log"' EXIT
set +e
"${command[@]}" "${submit_opts[@]}" --class "$class" "$jar" --conf "$conf" "${job_args[@]}" 2>&1 | tee "$log"
code=${PIPESTATUS[0]}
set -e
state="$(sed -n 's/.*State of driver \([^ ]*\) is \([A-Z]*\).*/\1 \2/p' "$log" | tail -n 1)"
if [[ $code -ne 0 ]]; then
  echo "[submit] spark-submit failed with exit code $code" >&2; exit "$code"
elif [[ "$state" == *" FINISHED" ]]; then
  echo "[submit] driver ${state% *} FINISHED" >&2
else
  echo "[submit] driver ${state:-(no final state reported)}: the job failed; its output is in the" \
    "work folder of the Worker that ran it: <work-dir>/${state% *}/stdout and stderr" >&2
  exit 1
fi
