#!/usr/bin/env bash
# Reads back, from Python MLflow, what the training and validation jobs logged and checks that the
# registered model loads with mlflow.pyfunc and mlflow.spark and predicts what the Java scoring path
# predicted (scripts/python/check_mlflow.py). Prints one JSON line starting with CHECK-MLFLOW.
#   scripts/check-mlflow.sh [--tracking-uri URI] [--alias champion] [--storage-root file:./data]
# Defaults: the MLflow store scripts/run-local.sh leaves under the storage root (<root>/mlflow,
# served for the check by a server on a free port), alias champion, the model and experiment of
# conf/reference.conf (override with --model/--experiment).
. "$(dirname "$0")/lib/common.sh"
cd "$DXPIPE_ROOT"
uri=""
alias=champion
root="file:$DXPIPE_ROOT/data"
model=dxpipe-disease-classifier
experiment=dxpipe-disease-prediction
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tracking-uri) uri="$2"; shift 2 ;;
    --alias) alias="$2"; shift 2 ;;
    --storage-root) root="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --experiment) experiment="$2"; shift 2 ;;
    *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
dxpipe_build_if_needed
if [[ -z "$uri" ]]; then
  dxpipe_local_mlflow "$(dxpipe_local_mlflow_dir "$root")" >&2
  uri="$MLFLOW_TRACKING_URI"
fi
python="$("$DXPIPE_ROOT/scripts/python-env.sh" | tail -n 1)"
jars="$(tr ':' '\n' < "$DXPIPE_ROOT/jobs/target/provided-classpath.txt" | grep -E '/delta-(spark|storage)[_-]' | paste -sd, -)" \
  || { echo "check-mlflow: no Delta jars in jobs/target/provided-classpath.txt (rebuild: mvn -DskipTests package)" >&2; exit 1; }
export SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON="$python"
"$python" "$DXPIPE_ROOT/scripts/python/check_mlflow.py" --tracking-uri "$uri" --experiment "$experiment" \
  --model "$model" --alias "$alias" --silver "${root%/}/silver/records" --jars "$jars"
