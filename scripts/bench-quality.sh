#!/usr/bin/env bash
# Model quality side by side (a benchmark, not a test): the champion the train job picks and
# scikit-learn's class-balanced logistic regression, random forest and HistGradientBoosting, on the
# same gold split of the default sample, in one invocation.
#   scripts/bench-quality.sh [key=value ...]     overrides go to every job (e.g. generate.records=5000)
# In bench-data/ (removed afterwards unless KEEP=1):
#   1. generate, ingest, clean, features on the default sample (conf/local.conf: 1,500 records);
#   2. the train job with its default candidates, timed (an MLflow server is started for it), with its
#      held-out evaluation over every catalogue disease without training records (UNSEEN=N for N of
#      them); its table is printed with the orphan macro-recall against issue 18's 0.6;
#   3. scripts/python/bench_quality.py (the project's Python environment, scripts/python-env.sh):
#      the baselines fitted on gold's train + validation records (features_full), every model
#      evaluated on the test split with the same metric code; prints one table: accuracy,
#      macro-F1, top-3, orphan macro-recall, training seconds (a champion that ranks more diseases
#      than gold's labels, the phenotype model, also ranked over the labels only), and the verdict
#      against the best baseline on each metric.
. "$(dirname "$0")/lib/common.sh"
cd "$DXPIPE_ROOT"
dxpipe_bench_prepare
root="file:$out/root"
dxpipe_local_mlflow "$out/mlflow" # exports MLFLOW_TRACKING_URI, which the jobs' config reads
# the held-out evaluation over every catalogue disease without training records (UNSEEN=200 for a quicker run)
common=(--conf conf/local.conf "storage.root=$root" "train.evaluation.unseen-diseases=${UNSEEN:--1}" "$@")
python="$("$DXPIPE_ROOT/scripts/python-env.sh" | tail -n 1)"

for job in Generate Ingest Clean Features; do
  echo "[bench] $job ..."
  dxpipe_run_timed "$job" dxpipe_run_java "io.dxpipe.jobs.${job}Job" "${common[@]}"
done
echo "[bench] Train (the default candidates) ..."
dxpipe_run_timed Train dxpipe_run_java io.dxpipe.jobs.TrainJob "${common[@]}"
model="$(ls -d "$out"/root/models/classifier/*/sparkml | tail -1)"
jars="$(tr ':' '\n' < "$DXPIPE_ROOT/jobs/target/provided-classpath.txt" | grep -E '/delta-(spark|storage)[_-]' | paste -sd, -)"
grep -E "refitted .* test:" "$out/Train.log" | sed "s/^/  the train job itself: /" # its own test figures, to compare with the champion line below
# the held-out evaluation: generated patients of every label and of the diseases without records
sed -n '/held-out evaluation (/,/over 5 training cases/p' "$out/Train.log" | sed 's/^\[dxpipe\] /  the train job: /'
awk '/^ *orphan  / {for (i = 1; i <= NF; i++) if ($i == "recall") r = $(i + 1)}
  END {if (r == "") print "held-out orphan macro recall: not found in the train log: MISSED";
       else printf "held-out orphan macro recall %s (target 0.6): %s\n", r, (r + 0 >= 0.6 ? "MET" : "MISSED")}' "$out/Train.log"
echo "[bench] scikit-learn baselines and the champion on the same test split ..."
SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON="$python" "$python" "$DXPIPE_ROOT/scripts/python/bench_quality.py" \
  --gold "$out/root/gold/features" --silver "$out/root/silver/records" --model "$model" --jars "$jars" --champion-seconds "$(cat "$out/Train.secs")"
[[ "${KEEP:-0}" == 1 ]] || rm -rf "$out"
