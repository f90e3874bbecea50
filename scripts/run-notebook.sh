#!/usr/bin/env bash
# Runs an exported Databricks notebook (source format) locally against the local-mode tables, with
# PySpark + delta-spark from the project's Python environment (scripts/python-env.sh). Widgets are
# given as key=value; figures are saved as PNG files in the output folder.
#   scripts/run-notebook.sh notebooks-export/eda.py                          # storage_root=file:./data
#   scripts/run-notebook.sh notebooks-export/eda.py storage_root=file:/tmp/x --output /tmp/plots
# Default output: target/notebooks/<notebook name>/. Exit code 1 names the failing cell.
. "$(dirname "$0")/lib/common.sh"
cd "$DXPIPE_ROOT"
[[ $# -ge 1 && -f "$1" ]] || { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
notebook="$1"; shift
output="target/notebooks/$(basename "$notebook" .py)"
widgets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --output) output="$2"; shift 2 ;;
    *=*) widgets+=("$1"); shift ;;
    *) echo "run-notebook: '$1' is not widget=value" >&2; exit 2 ;;
  esac
done
dxpipe_build_if_needed
python="$("$DXPIPE_ROOT/scripts/python-env.sh" | tail -n 1)"
# Delta's jars as the jobs use them (the same version as delta-spark on PyPI).
jars="$(tr ':' '\n' < "$DXPIPE_ROOT/jobs/target/provided-classpath.txt" | grep -E '/delta-(spark|storage)[_-]' | paste -sd, -)"
export SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON="$python"
exec "$python" "$DXPIPE_ROOT/scripts/python/run_notebook.py" "$notebook" --jars "$jars" --output "$output" "${widgets[@]}"
