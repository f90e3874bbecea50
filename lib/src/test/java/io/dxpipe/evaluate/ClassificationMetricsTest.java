package io.dxpipe.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.dxpipe.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
  private static final List<String> LABELS = List.of("cold", "flu", "marfan", "never_seen");
  private static final StructType SCHEMA = new StructType().add("label", "double").add("prediction", "double")
      .add("probability", SQLDataTypes.VectorType());

  private static Row row(double label, double prediction, double... p) {
    return RowFactory.create(label, prediction, Vectors.dense(p));
  }

  /**
   * 4 cold (3 right, 1 called flu), 2 flu (both right), 2 marfan (orphan: 1 right, 1 called cold);
   * "never_seen" has no record and is never predicted.
   */
  private static Dataset<Row> scored() {
    List<Row> rows = new ArrayList<>(List.of(
        row(0, 0, 0.7, 0.2, 0.1, 0.0),
        row(0, 0, 0.6, 0.3, 0.1, 0.0),
        row(0, 0, 0.5, 0.4, 0.1, 0.0),
        row(0, 1, 0.4, 0.5, 0.1, 0.0),
        row(1, 1, 0.1, 0.8, 0.1, 0.0),
        row(1, 1, 0.2, 0.7, 0.1, 0.0),
        row(2, 2, 0.2, 0.2, 0.6, 0.0),
        row(2, 0, 0.4, 0.3, 0.2, 0.1)));
    return SharedSpark.session().createDataFrame(rows, SCHEMA);
  }

  private static ClassificationMetrics metrics() {
    return ClassificationMetrics.of(scored(), "label", "prediction", "probability", LABELS, Set.of(2));
  }

  @Test
  void countsAndPerClassFiguresFollowTheConfusionMatrix() {
    ClassificationMetrics m = metrics();
    assertThat(m.records()).isEqualTo(8);
    assertThat(m.accuracy()).isEqualTo(6.0 / 8);
    assertThat(m.confusion()[0]).containsExactly(3, 1, 0, 0);
    assertThat(m.confusion()[2]).containsExactly(1, 0, 1, 0);
    ClassificationMetrics.ClassMetrics cold = m.perClass().get(0);
    assertThat(cold.precision()).isEqualTo(3.0 / 4); // 3 of the 4 predicted cold
    assertThat(cold.recall()).isEqualTo(3.0 / 4);
    ClassificationMetrics.ClassMetrics flu = m.perClass().get(1);
    assertThat(flu.precision()).isCloseTo(2.0 / 3, offset(1e-12));
    assertThat(flu.f1()).isCloseTo(0.8, offset(1e-12));
    assertThat(m.perClass().get(3).support()).isZero();
  }

  @Test
  void macroAveragesSkipAbsentClassesAndGroupsSeparateOrphans() {
    ClassificationMetrics m = metrics();
    double coldF1 = 0.75;
    double fluF1 = 0.8;
    double marfanF1 = 2 * 1.0 * 0.5 / 1.5;
    assertThat(m.macroF1()).isCloseTo((coldF1 + fluF1 + marfanF1) / 3, offset(1e-12));
    assertThat(m.weightedF1()).isCloseTo((4 * coldF1 + 2 * fluF1 + 2 * marfanF1) / 8, offset(1e-12));
    assertThat(m.macroRecall()).isCloseTo((0.75 + 1.0 + 0.5) / 3, offset(1e-12));
    assertThat(m.orphan().classes()).isEqualTo(1);
    assertThat(m.orphan().macroRecall()).isEqualTo(0.5);
    assertThat(m.common().classes()).isEqualTo(2);
    assertThat(m.common().macroRecall()).isCloseTo(0.875, offset(1e-12));
  }

  @Test
  void aGroupWithoutClassesIsNotApplicableNotZero() {
    ClassificationMetrics m = ClassificationMetrics.of(scored(), "label", "prediction", "probability", LABELS,
        Set.of());
    assertThat(m.orphan().classes()).isZero();
    assertThat(m.orphan().applicable()).isFalse();
    assertThat(m.orphan().macroRecall()).isNaN();
    assertThat(m.orphan().macroF1()).isNaN();
    assertThat(m.summary()).containsEntry("orphan_classes", 0.0).containsEntry("common_classes", 3.0);
    assertThat(m.summary().get("orphan_macro_recall")).isNaN();
    assertThat(m.toString()).contains("orphan macro-recall n/a (0 classes)");
    assertThat(metrics().summary()).containsEntry("orphan_classes", 1.0).containsEntry("orphan_macro_recall", 0.5);
  }

  @Test
  void probabilityMetricsUseTheTrueClassProbability() {
    ClassificationMetrics m = metrics();
    // the marfan record called cold has its true class third most probable: still in the top 3
    assertThat(m.top3Accuracy()).isEqualTo(1.0);
    double[] pTrue = {0.7, 0.6, 0.5, 0.4, 0.8, 0.7, 0.6, 0.2};
    double logLoss = 0;
    for (double p : pTrue) {
      logLoss -= Math.log(p);
    }
    assertThat(m.logLoss()).isCloseTo(logLoss / 8, offset(1e-12));
    // first record: (0.7-1)^2 + 0.2^2 + 0.1^2 = 0.14
    assertThat(m.brierScore()).isGreaterThan(0.14 / 8);
    assertThat(m.summary()).containsKeys("macro_f1", "orphan_macro_recall", "top3_accuracy", "brier_score");
    assertThat(m.confusionCsv()).startsWith("true\\predicted,cold,flu,marfan,never_seen\ncold,3,1,0,0\n");
  }

  @Test
  void oneVsRestAreasCountTiesAsHalfAndSkipClassesWithoutPositives() {
    ClassificationMetrics m = metrics();
    ClassificationMetrics.ClassMetrics cold = m.perClass().get(0);
    // cold's positives 0.7 0.6 0.5 0.4 against negatives 0.1 0.2 0.2 0.4: 15.5 of 16 pairs ranked right
    assertThat(cold.rocAuc()).isCloseTo(15.5 / 16, offset(1e-12));
    // average precision: three positives at precision 1, the fourth tied with a negative at 4/5
    assertThat(cold.prAuc()).isCloseTo((3 * 1.0 + 0.8) / 4, offset(1e-12));
    assertThat(m.perClass().get(3).rocAuc()).isNaN();
    double macro = m.perClass().subList(0, 3).stream().mapToDouble(ClassificationMetrics.ClassMetrics::rocAuc)
        .average().orElseThrow();
    assertThat(m.rocAucMacro()).isCloseTo(macro, offset(1e-12));
    OneVsRestCurves.Curve coldCurve = m.rocCurves().stream().filter(c -> c.label() == 0).findFirst().orElseThrow();
    assertThat(coldCurve.falsePositiveRate()[0]).isZero();
    assertThat(coldCurve.truePositiveRate()[coldCurve.truePositiveRate().length - 1]).isEqualTo(1.0);
    assertThat(m.rocCurves()).noneMatch(c -> c.label() == 3);
  }

  @Test
  void marginsWithoutProbabilitiesBecomeASoftmax() {
    StructType schema = new StructType().add("label", "double").add("prediction", "double")
        .add("rawPrediction", SQLDataTypes.VectorType());
    Dataset<Row> ovr = SharedSpark.session().createDataFrame(List.of(
        RowFactory.create(1.0, 1.0, Vectors.dense(0.0, Math.log(3), 0.0, 0.0))), schema);
    Row p = ovr.select(ClassificationMetrics.probabilities(ovr)).first();
    List<Double> softmax = p.getList(0);
    double[] expected = {1.0 / 6, 3.0 / 6, 1.0 / 6, 1.0 / 6};
    for (int i = 0; i < expected.length; i++) {
      assertThat(softmax.get(i)).isCloseTo(expected[i], offset(1e-12));
    }
    Dataset<Row> probabilistic = scored();
    assertThat(probabilistic.select(ClassificationMetrics.probabilities(probabilistic)).first().getList(0))
        .containsExactly(0.7, 0.2, 0.1, 0.0);
  }

  @Test
  void aTrueClassOutsideTheTopThreeIsAMiss() {
    Dataset<Row> one = SharedSpark.session().createDataFrame(List.of(row(3, 0, 0.4, 0.3, 0.2, 0.1)), SCHEMA);
    ClassificationMetrics m = ClassificationMetrics.of(one, "label", "prediction", "probability", LABELS, Set.of());
    assertThat(m.top3Accuracy()).isZero();
    assertThat(m.brierScore()).isCloseTo(0.16 + 0.09 + 0.04 + 0.81, offset(1e-12));
    Dataset<Row> bad = SharedSpark.session().createDataFrame(List.of(row(5, 0, 1, 0, 0, 0)), SCHEMA);
    assertThatThrownBy(() -> ClassificationMetrics.of(bad, "label", "prediction", "probability", LABELS, Set.of()))
        .hasMessageContaining("is not among the 4 labels");
  }

  /**
   * A model over more classes than the evaluated labels (the phenotype model: the labels, then every
   * other catalogue disease): a prediction beyond the labels is wrong for its record's class, and the
   * probabilities of every class count for top-3.
   */
  @Test
  void aPredictionBeyondTheLabelsIsWrongAndEveryClassCountsForTopThree() {
    List<String> two = List.of("cold", "flu");
    Dataset<Row> scored = SharedSpark.session().createDataFrame(List.of(
        row(0, 0, 0.6, 0.1, 0.2, 0.1),
        row(0, 3, 0.2, 0.1, 0.3, 0.4), // cold ranked third, behind two diseases outside the labels
        row(1, 2, 0.25, 0.1, 0.3, 0.35), // flu ranked fourth
        row(1, 1, 0.1, 0.7, 0.1, 0.1)), SCHEMA);
    ClassificationMetrics m = ClassificationMetrics.of(scored, "label", "prediction", "probability", two, Set.of());
    assertThat(m.accuracy()).isEqualTo(0.5);
    assertThat(m.perClass().get(0).support()).isEqualTo(2);
    assertThat(m.perClass().get(0).recall()).isEqualTo(0.5);
    assertThat(m.perClass().get(0).precision()).as("the one predicted cold is cold").isEqualTo(1.0);
    assertThat(m.perClass().get(1).recall()).isEqualTo(0.5);
    assertThat(m.confusion()[0]).containsExactly(1, 0);
    assertThat(m.top3Accuracy()).as("three of four within the top 3 of all four classes").isEqualTo(0.75);
    assertThat(m.rocCurves()).as("curves of the evaluated labels only").allMatch(c -> c.label() < 2);
    assertThatThrownBy(() -> ClassificationMetrics.of(SharedSpark.session().createDataFrame(
        List.of(row(2, 0, 0.6, 0.1, 0.2, 0.1)), SCHEMA), "label", "prediction", "probability", two, Set.of()))
        .as("a label beyond the labels is still an error").hasMessageContaining("is not among the 2 labels");
  }
}
