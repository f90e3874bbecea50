#!/usr/bin/env bash
# Runs every test: unit tests (surefire) and integration tests (failsafe: spark-submit of the
# shaded job jar in separate JVMs, generate + ingest against the Azurite blob emulator through
# wasb://). Starts Azurite (scripts/azurite.sh, installed from npm on first use). This is the
# command CI runs (.ci/run).
#   scripts/test.sh            # everything
#   scripts/test.sh -pl lib    # extra arguments go to Maven
. "$(dirname "$0")/lib/common.sh"
cd "$DXPIPE_ROOT"
if [[ ! -d "$DXPIPE_ROOT/../shared/data/external" ]]; then
  echo "[dxpipe] the tests read ../shared/data/external (the shared/ folder beside this repository)" >&2
  exit 1
fi
# Azurite (blob emulator) for the wasb:// integration test; stopped when the tests end.
"$DXPIPE_ROOT/scripts/azurite.sh" start --clean
trap '"$DXPIPE_ROOT/scripts/azurite.sh" stop >/dev/null' EXIT
mvn -B verify "$@"
