#!/usr/bin/env bash
# Runs every test: unit tests (surefire) and integration tests (failsafe: spark-submit of the
# shaded job jar to a standalone Spark cluster started by the tests (scripts/spark-cluster.sh),
# generate + ingest against the Azurite blob emulator through wasb://, a real MLflow server).
# Starts Azurite (scripts/azurite.sh, installed from npm on first use); stops Azurite and the
# cluster when the tests end, however they end. This is the command CI runs (.ci/run).
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
trap '"$DXPIPE_ROOT/scripts/azurite.sh" stop >/dev/null; "$DXPIPE_ROOT/scripts/spark-cluster.sh" stop >/dev/null' EXIT
mvn -B verify "$@"
