#!/usr/bin/env bash
# Runs pipeline stages in local mode on generated sample data, with conf/local.conf.
#
#   scripts/run-local.sh                 # every stage that exists, in order
#   scripts/run-local.sh generate        # only the named stages
#   DXPIPE_CONF=conf/my.conf scripts/run-local.sh generate generate.records=20000
#
# Arguments of the form key=value are passed to every stage as configuration overrides.
# Data goes to ./data (dxpipe.storage.root in conf/local.conf). Builds the job jar first if needed.
. "$(dirname "$0")/lib/common.sh"
cd "$DXPIPE_ROOT"

# The pipeline's stages in order, with the job class of each stage that exists so far.
ALL_STAGES=(generate ingest clean features train validate score monitor)
declare -A JOB_CLASS=(
  [generate]=io.dxpipe.jobs.GenerateJob
  [ingest]=io.dxpipe.jobs.IngestJob
  [clean]=io.dxpipe.jobs.CleanJob
  [features]=io.dxpipe.jobs.FeaturesJob
  [train]=io.dxpipe.jobs.TrainJob
  [validate]=io.dxpipe.jobs.ValidateJob
  [score]=io.dxpipe.jobs.ScoreJob
  [monitor]=io.dxpipe.jobs.MonitorJob
)

# The stages that have a job, in pipeline order.
available() {
  local s out=()
  for s in "${ALL_STAGES[@]}"; do [[ -n "${JOB_CLASS[$s]:-}" ]] && out+=("$s"); done
  echo "${out[*]}"
}

stages=()
overrides=()
for arg in "$@"; do
  case "$arg" in
    -h|--help)
      sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
      echo "Stages: ${ALL_STAGES[*]} (available now: $(available))"
      exit 0 ;;
    *=*) overrides+=("$arg") ;;
    *)
      if [[ " ${ALL_STAGES[*]} " != *" $arg "* ]]; then
        echo "run-local: unknown stage '$arg' (stages: ${ALL_STAGES[*]})" >&2; exit 2
      fi
      if [[ -z "${JOB_CLASS[$arg]:-}" ]]; then
        echo "run-local: stage '$arg' is not built yet (available: $(available))" >&2; exit 2
      fi
      stages+=("$arg") ;;
  esac
done
if [[ ${#stages[@]} -eq 0 ]]; then
  for s in "${ALL_STAGES[@]}"; do
    [[ -n "${JOB_CLASS[$s]:-}" ]] && stages+=("$s")
  done
fi

dxpipe_build_if_needed
conf="${DXPIPE_CONF:-conf/local.conf}"
declare -A outcome
for stage in "${stages[@]}"; do
  echo
  echo "[dxpipe] ===== stage $stage ====="
  start=$(date +%s)
  if dxpipe_run_java "${JOB_CLASS[$stage]}" --conf "$conf" "${overrides[@]}"; then
    outcome[$stage]="ok in $(( $(date +%s) - start )) s"
  else
    code=$?
    outcome[$stage]="FAILED (exit $code)"
    echo "[dxpipe] stage $stage failed with exit code $code; later stages not run." >&2
    for s in "${stages[@]}"; do echo "  $s: ${outcome[$s]:-not run}"; done
    exit "$code"
  fi
done
echo
echo "[dxpipe] all stages done:"
for s in "${stages[@]}"; do echo "  $s: ${outcome[$s]}"; done
