package io.dxpipe.train;

import static org.apache.spark.sql.functions.lit;

import io.dxpipe.evaluate.ClassificationMetrics;
import io.dxpipe.model.ModelLayout;
import io.dxpipe.schema.Gold;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Training's baseline step: a classifier that always predicts the most frequent training class
 * (the lowest index among equals), with the training class shares as its probabilities, measured on
 * the same records as the candidates. What a learner must beat to be worth anything.
 */
final class MajorityBaseline {
  private MajorityBaseline() {}

  static ClassificationMetrics evaluate(Dataset<Row> trainSplit, Dataset<Row> evaluation, List<String> labels,
      Set<Integer> orphans) {
    double[] prior = new double[labels.size()];
    long n = 0;
    for (Row r : trainSplit.groupBy(Gold.LABEL).count().collectAsList()) {
      prior[(int) r.getDouble(0)] = r.getLong(1);
      n += r.getLong(1);
    }
    int majority = 0;
    for (int c = 0; c < prior.length; c++) {
      prior[c] /= n;
      majority = prior[c] > prior[majority] ? c : majority;
    }
    Column probabilities = functions.array(Arrays.stream(prior).mapToObj(p -> lit(p)).toArray(Column[]::new));
    return ClassificationMetrics.of(evaluation.withColumn(ModelLayout.PREDICTION, lit((double) majority)), Gold.LABEL,
        ModelLayout.PREDICTION, probabilities, labels, orphans);
  }
}
