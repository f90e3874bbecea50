package io.dxpipe.train;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.evaluate.ClassificationMetrics;
import io.dxpipe.schema.Gold;
import io.dxpipe.testing.MemoryTracking;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class CandidateSelectionTest {
  @Test
  void crossValidatesTheGridInANestedRunAndScoresTheBestPointOnValidation() {
    Dataset<Row> data = TrainFixtures.separable(Map.of(Gold.TRAIN, 12, Gold.VALIDATION, 5), 7);
    Dataset<Row> train = data.filter(col(Gold.SPLIT).equalTo(Gold.TRAIN));
    Dataset<Row> validation = data.filter(col(Gold.SPLIT).equalTo(Gold.VALIDATION));
    MemoryTracking tracking = new MemoryTracking();
    String parent = tracking.startRun("exp", "train", null, Map.of());
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    // a huge regularisation predicts one class everywhere: the small one must win
    TrainSettings settings = TrainFixtures.settings(ClassWeights.Scheme.BALANCED, true, 1000.0, 0.001);
    TrainStage.CandidateResult r = new CandidateSelection(settings, tracking, tracking, "exp",
        new PrintStream(printed, true, StandardCharsets.UTF_8))
        .evaluate(parent, Learner.LOGISTIC_REGRESSION, train, validation, TrainFixtures.LABELS, Set.of(2),
            Map.of(Gold.FEATURES, 2));

    assertThat(r.bestParams()).containsEntry("reg-param", 0.001);
    assertThat(r.cvScore()).isGreaterThan(0.9);
    assertThat(r.validation().records()).isEqualTo(15);
    assertThat(r.validation().macroF1()).isEqualTo(1.0);
    assertThat(r.unweighted()).as("compare-unweighted").isNotNull();
    assertThat(r.unweighted().records()).isEqualTo(15);
    MemoryTracking.Run run = tracking.runs().get(r.runId());
    assertThat(run.tags()).containsEntry("mlflow.parentRunId", parent).containsEntry("dxpipe.learner",
        "logistic-regression").containsEntry("param.reg-param", "0.001");
    assertThat(run.metrics().get("cv_grid0_mean_macro_f1")).isLessThan(run.metrics().get("cv_grid1_mean_macro_f1"));
    assertThat(run.metrics()).containsEntry("cv_best_mean_macro_f1", r.cvScore())
        .containsEntry("val_macro_f1", 1.0).containsKeys("unweighted_val_macro_f1", "training_seconds");
    assertThat(new String(run.artifacts().get("validation-metrics.json"), StandardCharsets.UTF_8))
        .contains("\"records\" : 15", "\"per_class\"");
    assertThat(run.ended()).containsExactly(true);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("[dxpipe]   logistic-regression grid point 0 {reg-param=1000.0, elastic-net-param=0.0, "
            + "max-iter=50.0}: mean macro_f1 over 2 folds ")
        .contains("[dxpipe]   logistic-regression grid point 1 {reg-param=0.001");
  }

  @Test
  void withoutComparingUnweightedOnlyTheWeightedFitIsScored() {
    Dataset<Row> data = TrainFixtures.separable(Map.of(Gold.TRAIN, 8, Gold.VALIDATION, 3), 8);
    MemoryTracking tracking = new MemoryTracking();
    String parent = tracking.startRun("exp", "train", null, Map.of());
    TrainStage.CandidateResult r = new CandidateSelection(TrainFixtures.settings(ClassWeights.Scheme.BALANCED, false,
        0.01), tracking, tracking, "exp", new PrintStream(new ByteArrayOutputStream()))
        .evaluate(parent, Learner.LOGISTIC_REGRESSION, data.filter(col(Gold.SPLIT).equalTo(Gold.TRAIN)),
            data.filter(col(Gold.SPLIT).equalTo(Gold.VALIDATION)), TrainFixtures.LABELS, Set.of(),
            Map.of(Gold.FEATURES, 2));
    assertThat(r.unweighted()).isNull();
    assertThat(Double.isNaN(r.unweightedTrainSeconds())).isTrue();
    assertThat(tracking.runs().get(r.runId()).metrics()).doesNotContainKey("unweighted_val_macro_f1");
  }

  @Test
  void theWinnerIsTheBestOnValidationAndTheFirstOfEquals() {
    Dataset<Row> data = TrainFixtures.separable(Map.of(Gold.VALIDATION, 4), 9);
    org.apache.spark.sql.Column uniform = org.apache.spark.sql.functions.array(org.apache.spark.sql.functions.lit(1 / 3.0),
        org.apache.spark.sql.functions.lit(1 / 3.0), org.apache.spark.sql.functions.lit(1 / 3.0));
    ClassificationMetrics perfect = ClassificationMetrics.of(data.withColumn("prediction", col(Gold.LABEL)), Gold.LABEL,
        "prediction", uniform, TrainFixtures.LABELS, Set.of());
    ClassificationMetrics allZero = MajorityBaseline.evaluate(data.filter(col(Gold.LABEL).equalTo(0.0)), data,
        TrainFixtures.LABELS, Set.of());
    TrainStage.CandidateResult good = new TrainStage.CandidateResult(Learner.MLP, Map.of(), 0.5, perfect, null, 1, 0,
        "a");
    TrainStage.CandidateResult poor = new TrainStage.CandidateResult(Learner.LOGISTIC_REGRESSION, Map.of(), 0.9,
        allZero, null, 1, 0, "b");
    assertThat(CandidateSelection.winner(List.of(poor, good), "macro_f1")).isSameAs(good);
    assertThat(CandidateSelection.winner(List.of(poor, good), "accuracy")).isSameAs(good);
    assertThat(CandidateSelection.winner(List.of(poor, good), "no_such_metric")).as("all undefined: equals")
        .isSameAs(poor);
  }
}
