package io.dxpipe.train;

import static org.apache.spark.sql.functions.col;

import io.dxpipe.evaluate.ClassificationMetrics;
import io.dxpipe.mlflow.Artifacts;
import io.dxpipe.mlflow.Runs;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Training's candidate step, one learner at a time, each in its own MLflow run nested under the
 * training run: stratified k-fold cross-validation over the learner's grid on the train split
 * (folds keep a patient's records together; a fold where the selection metric is undefined is left
 * out of the mean), the best grid point refitted on train and scored on validation, with class
 * weights and, when {@code compare-unweighted} is on, without. The winner is the candidate best on
 * validation by the selection metric.
 */
final class CandidateSelection {
  private static final String FOLD = "fold";

  private final TrainSettings train;
  private final ClassifierFit fit;
  private final Runs runs;
  private final Artifacts artifacts;
  private final String experiment;
  private final PrintStream out;

  CandidateSelection(TrainSettings train, Runs runs, Artifacts artifacts, String experiment, PrintStream out) {
    this.train = train;
    this.fit = new ClassifierFit(train);
    this.runs = runs;
    this.artifacts = artifacts;
    this.experiment = experiment;
    this.out = out;
  }

  /** Cross-validates one learner and scores its best grid point on validation, in a run under {@code parent}. */
  TrainStage.CandidateResult evaluate(String parent, Learner learner, Dataset<Row> trainSplit,
      Dataset<Row> validation, List<String> labels, Set<Integer> orphans, Map<String, Integer> inputSizes) {
    String run = runs.startRun(experiment, learner.configName(), parent,
        Map.of("dxpipe.learner", learner.configName(), "dxpipe.weighting", !learner.takesClassWeights()
            ? "class prior" : learner.supportsWeightColumn() ? "weightCol" : "resampling"));
    boolean finished = false;
    try {
      // a record without a patient is a patient of its own
      Dataset<Row> folds = StratifiedKFold.assign(trainSplit, Gold.LABEL,
          org.apache.spark.sql.functions.coalesce(col(Bronze.PATIENT_KEY), col(Bronze.RECORD_KEY)),
          train.folds(), train.cvSeed(), FOLD).persist(StorageLevel.MEMORY_AND_DISK());
      Map<String, Object> best = null;
      double bestScore = Double.NEGATIVE_INFINITY;
      try {
        List<Map<String, Object>> grid = train.grids().get(learner);
        for (int g = 0; g < grid.size(); g++) {
          double sum = 0;
          int scoredFolds = 0;
          for (int f = 0; f < train.folds(); f++) {
            Dataset<Row> fitPart = folds.filter(col(FOLD).notEqual(f));
            Dataset<Row> held = folds.filter(col(FOLD).equalTo(f));
            Transformer model = fit.weighted(learner, grid.get(g), fitPart, inputSizes, labels);
            double s = ClassifierFit.score(ClassifierFit.evaluate(model.transform(held), labels, orphans,
                train.selectionMetric().contains("auc")), train.selectionMetric());
            runs.logMetric(run, "cv_grid" + g + "_" + train.selectionMetric(), s, f);
            if (Double.isFinite(s)) { // undefined on a fold (an AUC without positives there): left out
              sum += s;
              scoredFolds++;
            }
          }
          double mean = scoredFolds == 0 ? Double.NEGATIVE_INFINITY : sum / scoredFolds;
          runs.logMetric(run, "cv_grid" + g + "_mean_" + train.selectionMetric(), mean, 0);
          out.printf(Locale.ROOT, "[dxpipe]   %s grid point %d %s: mean %s over %d folds %.3f%n", learner.configName(),
              g, grid.get(g), train.selectionMetric(), train.folds(), mean);
          if (mean > bestScore) {
            bestScore = mean;
            best = grid.get(g);
          }
        }
      } finally {
        folds.unpersist();
      }
      if (best == null) {
        throw new IllegalStateException(train.selectionMetric() + " is undefined on every cross-validation fold of "
            + learner.configName() + ": choose another dxpipe.train.selection-metric");
      }
      runs.logParams(run, TrainingRuns.prefixed("", best));
      runs.logMetric(run, "cv_best_mean_" + train.selectionMetric(), bestScore, 0);

      long start = System.nanoTime();
      Transformer weighted = fit.weighted(learner, best, trainSplit, inputSizes, labels);
      double seconds = (System.nanoTime() - start) / 1e9;
      ClassificationMetrics val = ClassifierFit.evaluate(weighted.transform(validation), labels, orphans);
      runs.logMetrics(run, "val_", val.summary());
      runs.logMetric(run, "training_seconds", seconds, 0);
      ClassificationMetrics unweighted = null;
      double unweightedSeconds = Double.NaN;
      if (train.compareUnweighted() && train.classWeights() != ClassWeights.Scheme.NONE && learner.takesClassWeights()) {
        start = System.nanoTime();
        Transformer plain = fit.unweighted(learner, best, trainSplit, inputSizes, labels);
        unweightedSeconds = (System.nanoTime() - start) / 1e9;
        unweighted = ClassifierFit.evaluate(plain.transform(validation), labels, orphans);
        runs.logMetrics(run, "unweighted_val_", unweighted.summary());
        runs.logMetric(run, "unweighted_training_seconds", unweightedSeconds, 0);
      }
      artifacts.logArtifact(run, "validation-metrics.json", TrainingRuns.jsonBytes(TrainingReports.metricsDocument(val)));
      finished = true;
      return new TrainStage.CandidateResult(learner, best, bestScore, val, unweighted, seconds, unweightedSeconds, run);
    } finally {
      TrainingRuns.end(runs, run, finished);
    }
  }

  /** The candidate best on validation by the selection metric (the first of equals). */
  static TrainStage.CandidateResult winner(List<TrainStage.CandidateResult> results, String selectionMetric) {
    return results.stream().max(Comparator.comparingDouble(r -> ClassifierFit.score(r.validation(), selectionMetric)))
        .orElseThrow();
  }
}
