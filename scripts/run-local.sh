#!/usr/bin/env bash
# Runs pipeline stages in local mode on generated sample data, with conf/local.conf.
#
#   scripts/run-local.sh                 # the training path, then the daily path for today
#   scripts/run-local.sh training        # generate ingest clean features train validate (labelled history)
#   scripts/run-local.sh daily           # generate ingest clean score monitor for one day (DXPIPE_DAY, default today)
#   scripts/run-local.sh generate        # only the named stages (stage names and paths can be mixed)
#   scripts/run-local.sh score@daily     # a stage with the daily path's settings (score@daily monitor@daily)
#   DXPIPE_CONF=conf/my.conf scripts/run-local.sh generate generate.records=20000
#
# Arguments of the form key=value are passed to every stage as configuration overrides. The daily
# path's stages also get generate.mode=daily and the day as generate.date, clean.delivery-date,
# score.date and monitor.date. Data goes to ./data (dxpipe.storage.root in conf/local.conf).
# Stages that use MLflow (train validate score monitor) get a local MLflow server, started here on a
# free port and stopped at the end (scripts/mlflow-server.sh), unless MLFLOW_TRACKING_URI or a
# mlflow.tracking-uri=... argument names one: its SQLite store and artifacts stay in <storage root>/mlflow.
# Builds the job jar first if needed. Exit code: the first failing stage's (monitor: 4 = retrain).
. "$(dirname "$0")/lib/common.sh"
cd "$DXPIPE_ROOT"

ALL_STAGES=("${DXPIPE_STAGES[@]}")
TRAINING=(generate ingest clean features train validate)
DAILY=(generate@daily ingest@daily clean@daily score@daily monitor@daily)
day="${DXPIPE_DAY:-$(date -u +%Y-%m-%d)}"
daily_overrides=(generate.mode=daily "generate.date=$day" "clean.delivery-date=$day" "score.date=$day"
  "monitor.date=$day")

stages=()
overrides=()
for arg in "$@"; do
  case "$arg" in
    -h|--help)
      sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
      echo "Stages: ${ALL_STAGES[*]}; paths: training, daily"
      exit 0 ;;
    *=*) overrides+=("$arg") ;;
    training) stages+=("${TRAINING[@]}") ;;
    daily) stages+=("${DAILY[@]}") ;;
    *@daily)
      if [[ " ${DAILY[*]} " != *" $arg "* ]]; then
        echo "run-local: '$arg' is not a stage of the daily path (${DAILY[*]})" >&2; exit 2
      fi
      stages+=("$arg") ;;
    *)
      if [[ " ${ALL_STAGES[*]} " != *" $arg "* ]]; then
        echo "run-local: unknown stage '$arg' (stages: ${ALL_STAGES[*]})" >&2; exit 2
      fi
      stages+=("$arg") ;;
  esac
done
if [[ ${#stages[@]} -eq 0 ]]; then
  stages=("${TRAINING[@]}" "${DAILY[@]}")
fi

# The local MLflow: only for stages that log to it or load models from it, and only when none is named.
needs_mlflow=false
for stage in "${stages[@]}"; do
  case "${stage%@daily}" in train|validate|score|monitor) needs_mlflow=true ;; esac
done
root="${DXPIPE_STORAGE_ROOT:-file:./data}"
named_mlflow="${MLFLOW_TRACKING_URI:-}"
for arg in "${overrides[@]}"; do
  case "$arg" in
    storage.root=*) root="${arg#storage.root=}" ;;
    mlflow.tracking-uri=*) named_mlflow="${arg#mlflow.tracking-uri=}" ;;
  esac
done
if [[ "$needs_mlflow" == true && -z "${named_mlflow//\"/}" ]]; then
  dxpipe_local_mlflow "$(dxpipe_local_mlflow_dir "$root")"
  echo "[dxpipe] MLflow runs and models go to $DXPIPE_MLFLOW_DIR (SQLite store and artifacts); browse them after this run with"
  echo "[dxpipe]   .tools/python/bin/mlflow server --backend-store-uri sqlite:///$DXPIPE_MLFLOW_DIR/mlflow.db --artifacts-destination $DXPIPE_MLFLOW_DIR/artifacts --port 5000"
fi

dxpipe_build_if_needed
conf="${DXPIPE_CONF:-conf/local.conf}"
declare -A outcome
for stage in "${stages[@]}"; do
  job="${stage%@daily}"
  extra=()
  if [[ "$stage" == *@daily ]]; then
    extra=("${daily_overrides[@]}")
    label="$job (daily, $day)"
  else
    label="$job"
  fi
  echo
  echo "[dxpipe] ===== stage $label ====="
  start=$(date +%s)
  if dxpipe_run_java "${DXPIPE_JOB_CLASS[$job]}" --conf "$conf" "${extra[@]}" "${overrides[@]}"; then
    outcome[$stage]="ok in $(( $(date +%s) - start )) s"
  else
    code=$?
    if [[ "$job" == monitor && "$code" == 4 ]]; then
      outcome[$stage]="RETRAINING SIGNALLED (exit 4): drift or a performance drop crossed a threshold"
      echo "[dxpipe] the monitor signals retraining: run scripts/run-local.sh training" >&2
      for s in "${stages[@]}"; do echo "  $s: ${outcome[$s]:-not run}"; done
      exit "$code"
    fi
    outcome[$stage]="FAILED (exit $code)"
    echo "[dxpipe] stage $stage failed with exit code $code; later stages not run." >&2
    for s in "${stages[@]}"; do echo "  $s: ${outcome[$s]:-not run}"; done
    exit "$code"
  fi
done
echo
echo "[dxpipe] all stages done:"
for s in "${stages[@]}"; do echo "  $s: ${outcome[$s]}"; done
