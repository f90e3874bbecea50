package io.dxpipe.train;

import io.dxpipe.evaluate.ClassificationMetrics;
import io.dxpipe.mlflow.Runs;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Training's refit step: the winner, at its best grid point and with class weights, refitted on
 * train + validation and reported once on test (test is never used to choose). Logs {@code test_*}
 * and {@code refit_seconds} to the training run.
 */
final class WinnerRefit {
  /** The classifier the full model is built around, and its test figures. */
  record Refitted(Transformer classifier, ClassificationMetrics test, double seconds) {}

  private WinnerRefit() {}

  static Refitted refit(TrainSettings train, Runs runs, String parent, TrainStage.CandidateResult winner,
      Dataset<Row> trainSplit, Dataset<Row> validation, Dataset<Row> test, List<String> labels, Set<Integer> orphans,
      Map<String, Integer> inputSizes) {
    Dataset<Row> trainAndValidation = trainSplit.union(validation);
    long start = System.nanoTime();
    Transformer classifier = new ClassifierFit(train).weighted(winner.learner(), winner.bestParams(),
        trainAndValidation, inputSizes, labels);
    double seconds = (System.nanoTime() - start) / 1e9;
    ClassificationMetrics testMetrics = ClassifierFit.evaluate(classifier.transform(test), labels, orphans);
    runs.logMetrics(parent, "test_", testMetrics.summary());
    runs.logMetric(parent, "refit_seconds", seconds, 0);
    return new Refitted(classifier, testMetrics, seconds);
  }
}
