#!/usr/bin/env bash
# Runs every test: unit tests (surefire) and integration tests (failsafe: spark-submit of the
# shaded job jar to a standalone Spark cluster started by the tests (scripts/spark-cluster.sh),
# generate + ingest against the Azurite blob emulator through wasb://, a real MLflow server).
# Starts Azurite (scripts/azurite.sh, installed from npm on first use); stops Azurite and the
# cluster when the tests end, however they end. In parallel it builds the HDInsight jar
# (mvn -Phdinsight: Spark 3.3.1, Delta 2.3.0, into target-hdinsight/) and runs the unit tests
# against it (all but the two end-to-end ones; not the serve module, which HDInsight does not run),
# so that build cannot rot. The full run also builds and checks the service's image
# (scripts/build-image.sh --check-only). This is the command CI
# runs (.ci/run).
#   scripts/test.sh            # everything
#   scripts/test.sh -pl lib    # extra arguments go to Maven (the default build only: no HDInsight run)
#   DXPIPE_TEST_HDINSIGHT=0 scripts/test.sh   # skip the HDInsight build's unit tests
. "$(dirname "$0")/lib/common.sh"
cd "$DXPIPE_ROOT"
if [[ ! -d "$DXPIPE_ROOT/../shared/data/external" ]]; then
  echo "[dxpipe] the tests read ../shared/data/external (the shared/ folder beside this repository)" >&2
  exit 1
fi
# Azurite (blob emulator) for the wasb:// integration test; stopped when the tests end.
"$DXPIPE_ROOT/scripts/azurite.sh" start --clean
# (the cleanup must not fail: under set -e a failing command in the EXIT trap becomes the exit code)
cleanup() {
  if [[ -n "${hdinsight_pid:-}" ]]; then kill "$hdinsight_pid" 2>/dev/null || true; fi
  "$DXPIPE_ROOT/scripts/azurite.sh" stop >/dev/null || true
  "$DXPIPE_ROOT/scripts/spark-cluster.sh" stop >/dev/null || true
}
trap cleanup EXIT
hdinsight_pid=""
if [[ $# -eq 0 && "${DXPIPE_TEST_HDINSIGHT:-1}" != 0 ]]; then
  # In parallel with the default build (its own target-hdinsight/ folders), for CI time. Left to
  # the default build: the end-to-end unit tests (CleanAndFeaturesEndToEnd, ScoreAndMonitor,
  # OwnLabelsEndToEnd, RepeatVisitsEndToEnd: about 6 minutes under Spark 3.3, each stage of theirs
  # is tested on its own here too) and the row evaluator's contract tests (the online service's
  # path, which HDInsight does not run: about 3 minutes). Run everything with: mvn -Phdinsight test
  hdinsight_log="$DXPIPE_ROOT/target-hdinsight.log"
  echo "[dxpipe] the HDInsight build (Spark 3.3.1, Delta 2.3.0): compile and unit tests, log in $hdinsight_log"
  mvn -B -Phdinsight -pl lib,jobs test -Dsurefire.failIfNoSpecifiedTests=false \
    -Dtest='!CleanAndFeaturesEndToEndTest,!ScoreAndMonitorTest,!OwnLabelsEndToEndTest,!RepeatVisitsEndToEndTest,!OnlineModelContractTest,!RowEvaluatorContractTest,!RowEvaluatorStagesTest,!*IT' > "$hdinsight_log" 2>&1 &
  hdinsight_pid=$!
fi
status=0
# The full run also builds the prediction service's image tarball (profile "image" of serve/pom.xml:
# Jib, no Docker daemon) in the same Maven run, then checks it: entry point, class path, --check.
image_profile=()
if [[ $# -eq 0 ]]; then image_profile=(-Pimage); fi
mvn -B verify "${image_profile[@]}" "$@" || status=$?
if [[ $# -eq 0 && "$status" == 0 ]]; then
  "$DXPIPE_ROOT/scripts/build-image.sh" --check-only || { echo "[dxpipe] the image check FAILED" >&2; status=1; }
fi
if [[ -n "$hdinsight_pid" ]]; then
  if wait "$hdinsight_pid"; then
    echo "[dxpipe] HDInsight build: $(grep -h 'Tests run:' "$hdinsight_log" | grep -v ' in ' | tr '\n' ' ')OK"
  else
    echo "[dxpipe] the HDInsight build (mvn -Phdinsight test) FAILED; the end of its log:" >&2
    grep -E 'ERROR|FAIL|Tests run:' "$hdinsight_log" | tail -40 >&2
    status=1
  fi
fi
# Per-class test times, slowest first: the figures to choose the next CI cut from.
dxpipe_test_times() {
  python3 - "$DXPIPE_ROOT" <<'PY'
import glob, os, sys, xml.etree.ElementTree as ET
root = sys.argv[1]
rows = []
for f in glob.glob(os.path.join(root, "*", "target*", "*-reports", "TEST-*.xml")):
    try:
        s = ET.parse(f).getroot()
    except ET.ParseError:
        continue
    build = "hdinsight" if "target-hdinsight" in f else "default"
    kind = "IT" if "failsafe" in f else "unit"
    rows.append((float(s.get("time", 0)), s.get("name", "?").split(".")[-1], kind, build, int(s.get("tests", 0))))
rows.sort(reverse=True)
total = sum(r[0] for r in rows if r[3] == "default")
print("[dxpipe] test time per class (seconds, slowest first; default build total %.0f s):" % total)
for t, name, kind, build, n in rows:
    print("  %7.1f  %-42s %-4s %-9s %3d tests" % (t, name, kind, build, n))
PY
}
dxpipe_test_times || true
exit "$status"
