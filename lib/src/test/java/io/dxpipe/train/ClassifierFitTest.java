package io.dxpipe.train;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.evaluate.ClassificationMetrics;
import io.dxpipe.schema.Gold;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ClassifierFitTest {
  private static final Map<String, Object> POINT = Map.of("reg-param", 0.0, "elastic-net-param", 0.0, "max-iter", 100.0);

  /** 180 records of class 0 around x = 0 and 20 of class 1 around x = 1: overlapping, imbalanced. */
  private static Dataset<Row> imbalanced() {
    Random random = new Random(3);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int c = i < 180 ? 0 : 1;
      rows.add(TrainFixtures.row("r" + i, c, c + random.nextGaussian(), Gold.TRAIN));
    }
    return TrainFixtures.rows(2, rows);
  }

  private static long predictedMinority(Transformer model, Dataset<Row> data) {
    return model.transform(data).filter(col("prediction").equalTo(1.0)).count();
  }

  @Test
  void classWeightsMakeTheMinorityClassPredictedMoreOften() {
    Dataset<Row> data = imbalanced();
    ClassifierFit fit = new ClassifierFit(TrainFixtures.settings(ClassWeights.Scheme.BALANCED, true, 0.0));
    long weighted = predictedMinority(fit.weighted(Learner.LOGISTIC_REGRESSION, POINT, data, Map.of(Gold.FEATURES, 2), List.of("a", "b")), data);
    long unweighted = predictedMinority(fit.unweighted(Learner.LOGISTIC_REGRESSION, POINT, data, Map.of(Gold.FEATURES, 2), List.of("a", "b")), data);
    assertThat(unweighted).as("without weights the minority is rarely predicted").isLessThan(10);
    assertThat(weighted).as("balanced weights: predicted %d vs %d", weighted, unweighted).isGreaterThan(40);
  }

  @Test
  void gaussianNaiveBayesTakesTheWeightColumnAndNegativeInput() {
    Dataset<Row> data = imbalanced(); // x around 0 and 1: about half the values are negative
    ClassifierFit fit = new ClassifierFit(TrainFixtures.settings(ClassWeights.Scheme.BALANCED, true, 0.0));
    Map<String, Object> nb = Map.of("model-type", "gaussian");
    long weighted = predictedMinority(fit.weighted(Learner.NAIVE_BAYES, nb, data, Map.of(Gold.FEATURES, 2), List.of("a", "b")), data);
    long unweighted = predictedMinority(fit.unweighted(Learner.NAIVE_BAYES, nb, data, Map.of(Gold.FEATURES, 2), List.of("a", "b")), data);
    assertThat(unweighted).as("with the 9:1 prior the minority is rarely predicted").isLessThan(15);
    assertThat(weighted).as("balanced weights: predicted %d vs %d", weighted, unweighted).isGreaterThan(40);
  }

  @Test
  void withTheSchemeNoneWeightedIsUnweighted() {
    Dataset<Row> data = imbalanced();
    ClassifierFit fit = new ClassifierFit(TrainFixtures.settings(ClassWeights.Scheme.NONE, true, 0.0));
    assertThat(predictedMinority(fit.weighted(Learner.LOGISTIC_REGRESSION, POINT, data, Map.of(Gold.FEATURES, 2), List.of("a", "b")), data))
        .isEqualTo(predictedMinority(fit.unweighted(Learner.LOGISTIC_REGRESSION, POINT, data, Map.of(Gold.FEATURES, 2), List.of("a", "b")), data));
  }

  @Test
  void aLearnerWithoutAWeightColumnIsFittedOnResampledRecords() {
    Dataset<Row> data = imbalanced();
    ClassifierFit fit = new ClassifierFit(TrainFixtures.settings(ClassWeights.Scheme.BALANCED, true, 0.0));
    Map<String, Object> mlp = Map.of("hidden-layers", List.of(4), "max-iter", 100.0);
    long weighted = predictedMinority(fit.weighted(Learner.MLP, mlp, data, Map.of(Gold.FEATURES, 2), List.of("a", "b")), data);
    long unweighted = predictedMinority(fit.unweighted(Learner.MLP, mlp, data, Map.of(Gold.FEATURES, 2), List.of("a", "b")), data);
    assertThat(weighted).as("resampled: predicted %d vs %d", weighted, unweighted).isGreaterThan(unweighted + 20);
  }

  @Test
  void evaluatesAClassifiersOutputAndRanksUndefinedMetricsLast() {
    Dataset<Row> data = TrainFixtures.separable(Map.of(Gold.TRAIN, 20), 1);
    ClassifierFit fit = new ClassifierFit(TrainFixtures.settings(ClassWeights.Scheme.BALANCED, true, 0.0));
    Transformer model = fit.weighted(Learner.LOGISTIC_REGRESSION, POINT, data, Map.of(Gold.FEATURES, 2), TrainFixtures.LABELS);
    ClassificationMetrics m = ClassifierFit.evaluate(model.transform(data), TrainFixtures.LABELS, Set.of(2));
    assertThat(m.records()).isEqualTo(60);
    assertThat(ClassifierFit.score(m, "macro_f1")).isEqualTo(1.0);
    assertThat(ClassifierFit.score(m, "no_such_metric")).isEqualTo(Double.NEGATIVE_INFINITY);
  }
}
