package io.dxpipe.train;

import io.dxpipe.evaluate.ClassificationMetrics;
import io.dxpipe.model.ModelLayout;
import io.dxpipe.schema.Gold;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Fits one learner at one grid point on gold records ({@link Gold#LABEL}, the grid point's features
 * column, {@link TrainSettings#FEATURES_COLUMN}), with or without class weights, and evaluates a
 * fitted classifier. Class weights come from the fitted records' own class counts (so each
 * cross-validation fit part has its own); a learner without a weight column gets its records
 * resampled in proportion to the weights instead.
 */
final class ClassifierFit {
  /** The weight column added for learners that take one. */
  static final String WEIGHT = "weight";

  private final TrainSettings train;

  ClassifierFit(TrainSettings train) {
    this.train = train;
  }

  /** Fitted with the configured class weights ({@code dxpipe.train.class-weights}; none means unweighted). */
  Transformer weighted(Learner learner, Map<String, Object> params, Dataset<Row> data, Map<String, Integer> inputSizes,
      List<String> labels) {
    if (train.classWeights() == ClassWeights.Scheme.NONE || !learner.takesClassWeights()) {
      return unweighted(learner, params, data, inputSizes, labels);
    }
    int classes = labels.size();
    Map<Double, Long> counts = new TreeMap<>();
    data.groupBy(Gold.LABEL).count().collectAsList().forEach(r -> counts.put(r.getDouble(0), r.getLong(1)));
    Map<Double, Double> weights = ClassWeights.of(counts, train.classWeights());
    if (learner.supportsWeightColumn()) {
      return fit(learner, params, ClassWeights.withWeights(data, Gold.LABEL, WEIGHT, weights), WEIGHT, inputSizes,
          classes);
    }
    return fit(learner, params, ClassWeights.resample(data, Gold.LABEL, weights, train.cvSeed()), null, inputSizes,
        classes);
  }

  /** Fitted on the records as they are. */
  Transformer unweighted(Learner learner, Map<String, Object> params, Dataset<Row> data, Map<String, Integer> inputSizes,
      List<String> labels) {
    if (learner == Learner.PHENOTYPE) {
      return PhenotypeFit.fit(params, data, labels);
    }
    return fit(learner, params, data, null, inputSizes, labels.size());
  }

  /**
   * The disease codes of a fitted classifier's class indices: the training labels, or for the
   * phenotype model the labels followed by every other catalogue disease.
   */
  static List<String> classes(Learner learner, List<String> labels) {
    return learner == Learner.PHENOTYPE ? PhenotypeFit.classes(labels) : labels;
  }

  private Transformer fit(Learner learner, Map<String, Object> params, Dataset<Row> data, String weightColumn,
      Map<String, Integer> inputSizes, int classes) {
    // a grid point names its column; a hand-made point reads the first configured one
    String column = (String) params.getOrDefault(TrainSettings.FEATURES_COLUMN, train.featuresColumns().get(0));
    Estimator<?> estimator = learner.estimator(params, weightColumn, inputSizes.get(column), classes, train.cvSeed(),
        train.ovrParallelism());
    estimator.set(estimator.getParam("featuresCol"), column);
    return (Transformer) estimator.fit(data);
  }

  /** The metrics of a classifier's output (label, prediction, probabilities), with per-class ROC and PR areas. */
  static ClassificationMetrics evaluate(Dataset<Row> scored, List<String> labels, Set<Integer> orphans) {
    return evaluate(scored, labels, orphans, true);
  }

  static ClassificationMetrics evaluate(Dataset<Row> scored, List<String> labels, Set<Integer> orphans,
      boolean withAreas) {
    return ClassificationMetrics.of(scored, Gold.LABEL, ModelLayout.PREDICTION,
        ClassificationMetrics.probabilities(scored), labels, orphans, withAreas);
  }

  /** A metric for comparisons: undefined counts as the worst. */
  static double score(ClassificationMetrics m, String metric) {
    double v = m.summary().getOrDefault(metric, Double.NaN);
    return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
  }
}
