#!/usr/bin/env bash
# The onboarding check (README "Onboarding a source"): reads a sample of a new file with its source
# block and prints, in seconds and before anything is written, what each column became, the symptoms
# and diagnoses recognised and not, what would be quarantined and what training would leave out.
#
#   scripts/onboard.sh data/landing/my_table/2026-11-25/table.csv          # source = the folder's name
#   DXPIPE_CONF=conf/my.conf scripts/onboard.sh table.csv --source my_table labels.from=data
#
# Exit codes: 0 usable, 1 not usable as configured, 2 bad arguments or configuration.
. "$(dirname "$0")/lib/common.sh"
if [[ "${1:-}" != /* && -n "${1:-}" && "${1:-}" != -* ]]; then
  file="$(realpath -m "$1")"; shift
  set -- "$file" "$@"
fi
cd "$DXPIPE_ROOT"
dxpipe_build_if_needed
DXPIPE_DRIVER_MEMORY="${DXPIPE_DRIVER_MEMORY:-1g}" dxpipe_run_java io.dxpipe.jobs.OnboardJob "$@"
