package io.dxpipe.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.config.ConfigurationException;
import io.dxpipe.testing.TestSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidationGateTest {
  private static final List<GateSettings.Threshold> THRESHOLDS = List.of(
      new GateSettings.Threshold(GateSettings.Kind.MIN, "macro_f1", 0.5),
      new GateSettings.Threshold(GateSettings.Kind.MAX, "scoring_ms_per_1000", 2000),
      new GateSettings.Threshold(GateSettings.Kind.MAX_DROP_VS_CHAMPION, "orphan_macro_recall", 0.05));

  private static final GateSettings.MissingChampionMetric FAIL = GateSettings.MissingChampionMetric.FAIL;

  private static Map<String, Double> run(double f1, double ms, double orphanRecall) {
    return Map.of("test_macro_f1", f1, "scoring_ms_per_1000", ms, "test_orphan_macro_recall", orphanRecall);
  }

  @Test
  void passesOnlyWhenEveryThresholdHolds() {
    List<ValidationGate.Verdict> ok = ValidationGate.evaluate(THRESHOLDS, run(0.6, 900, 0.40), run(0.7, 800, 0.42), FAIL);
    assertThat(ValidationGate.passed(ok)).isTrue();
    assertThat(ok).extracting(ValidationGate.Verdict::line).containsExactly(
        "PASS min macro_f1 0.5000: 0.6000 >= 0.5000",
        "PASS max scoring_ms_per_1000 2000: 900.0000 <= 2000.0000",
        "PASS max-drop-vs-champion orphan_macro_recall 0.05000: 0.4000 >= champion 0.4200 - 0.0500");

    List<ValidationGate.Verdict> bad = ValidationGate.evaluate(THRESHOLDS, run(0.45, 2500, 0.30), run(0.7, 800, 0.42), FAIL);
    assertThat(ValidationGate.passed(bad)).isFalse();
    assertThat(bad).allMatch(v -> !v.passed());
    assertThat(bad.get(2).line()).startsWith("FAIL max-drop-vs-champion orphan_macro_recall")
        .contains("0.3000 < champion 0.4200");
  }

  @Test
  void withoutAChampionRelativeThresholdsAreSkippedButAMissingMetricFails() {
    List<ValidationGate.Verdict> first = ValidationGate.evaluate(THRESHOLDS, run(0.6, 900, 0.1), null, FAIL);
    assertThat(ValidationGate.passed(first)).isTrue();
    assertThat(first.get(2).line()).isEqualTo("SKIP max-drop-vs-champion orphan_macro_recall 0.05000: no champion yet");

    List<ValidationGate.Verdict> missing = ValidationGate.evaluate(THRESHOLDS,
        Map.of("test_macro_f1", 0.9, "test_orphan_macro_recall", 0.9), null, FAIL);
    assertThat(ValidationGate.passed(missing)).isFalse();
    assertThat(missing.get(1).line()).contains("has no metric scoring_ms_per_1000");
  }

  @Test
  void aChampionWithoutTheMetricFailsTheRelativeThresholdUnlessConfiguredToPass() {
    Map<String, Double> championWithoutOrphanRecall = Map.of("test_macro_f1", 0.7, "scoring_ms_per_1000", 800.0);
    GateSettings byDefault = GateSettings.from(TestSettings.load().config().dxpipe());
    assertThat(byDefault.missingChampionMetric()).as("reference.conf fails closed")
        .isEqualTo(GateSettings.MissingChampionMetric.FAIL);

    List<ValidationGate.Verdict> closed = ValidationGate.evaluate(THRESHOLDS, run(0.6, 900, 0.40),
        championWithoutOrphanRecall, byDefault.missingChampionMetric());
    assertThat(ValidationGate.passed(closed)).as("gate with a champion lacking the metric").isFalse();
    assertThat(closed.get(2).line()).isEqualTo("FAIL max-drop-vs-champion orphan_macro_recall 0.05000: the "
        + "champion's run has no metric test_orphan_macro_recall (dxpipe.validate.missing-champion-metric = fail; "
        + "set it to pass to waive this threshold)");

    GateSettings waiving = GateSettings.from(TestSettings.load("validate.missing-champion-metric=pass").config()
        .dxpipe());
    List<ValidationGate.Verdict> open = ValidationGate.evaluate(THRESHOLDS, run(0.6, 900, 0.40),
        championWithoutOrphanRecall, waiving.missingChampionMetric());
    assertThat(ValidationGate.passed(open)).as("gate waiving thresholds the champion cannot be compared on").isTrue();
    assertThat(open.get(2).line()).isEqualTo("SKIP max-drop-vs-champion orphan_macro_recall 0.05000: the "
        + "champion's run has no metric test_orphan_macro_recall (waived: dxpipe.validate.missing-champion-metric "
        + "= pass)");
    assertThatThrownBy(() -> GateSettings.from(TestSettings.load("validate.missing-champion-metric=skip").config()
        .dxpipe())).hasMessageContaining("dxpipe.validate.missing-champion-metric must be one of fail, pass but is "
        + "'skip'");
  }

  @Test
  void aGroupWithNoClassInTestIsSkippedAsNotApplicableButOnlyWhenTheRunSaysSo() {
    List<GateSettings.Threshold> orphanMin = List.of(
        new GateSettings.Threshold(GateSettings.Kind.MIN, "orphan_macro_recall", 0.2),
        new GateSettings.Threshold(GateSettings.Kind.MIN, "common_macro_recall", 0.2),
        new GateSettings.Threshold(GateSettings.Kind.MAX_DROP_VS_CHAMPION, "orphan_macro_f1", 0.05));
    // a dataset without orphan diseases: the train job logs no orphan figure, and 0 orphan classes
    Map<String, Double> noOrphans = Map.of("test_common_macro_recall", 0.9, "test_orphan_classes", 0.0,
        "test_common_classes", 7.0);
    List<ValidationGate.Verdict> first = ValidationGate.evaluate(orphanMin, noOrphans, null, FAIL);
    assertThat(ValidationGate.passed(first)).isTrue();
    assertThat(first).extracting(ValidationGate.Verdict::line).containsExactly(
        "SKIP min orphan_macro_recall 0.2000: no orphan class in test (n/a)",
        "PASS min common_macro_recall 0.2000: 0.9000 >= 0.2000",
        "SKIP max-drop-vs-champion orphan_macro_f1 0.05000: no orphan class in test (n/a)");

    // the same figures without the class count (a run of an older version): fails, never by omission
    List<ValidationGate.Verdict> unknown = ValidationGate.evaluate(orphanMin,
        Map.of("test_common_macro_recall", 0.9), null, FAIL);
    assertThat(unknown.get(0).passed()).isFalse();
    assertThat(unknown.get(0).line()).contains("has no metric test_orphan_macro_recall");

    // a candidate with orphan classes against a champion whose test set had none: nothing to compare
    Map<String, Double> withOrphans = Map.of("test_orphan_macro_recall", 0.5, "test_orphan_macro_f1", 0.4,
        "test_common_macro_recall", 0.9, "test_orphan_classes", 3.0);
    List<ValidationGate.Verdict> vsChampion = ValidationGate.evaluate(orphanMin, withOrphans, noOrphans, FAIL);
    assertThat(vsChampion).extracting(ValidationGate.Verdict::line).containsExactly(
        "PASS min orphan_macro_recall 0.2000: 0.5000 >= 0.2000",
        "PASS min common_macro_recall 0.2000: 0.9000 >= 0.2000",
        "SKIP max-drop-vs-champion orphan_macro_f1 0.05000: the champion's test set had no orphan class (n/a)");
  }

  @Test
  void settingsNameTheirThresholdsAndRejectUnknownMetrics() {
    GateSettings gate = GateSettings.from(TestSettings.load("validate.mode=dry-run").config().dxpipe());
    assertThat(gate.mode()).isEqualTo(GateSettings.Mode.DRY_RUN);
    assertThat(gate.thresholds()).extracting(GateSettings.Threshold::metric)
        .contains("macro_f1", "orphan_macro_recall", "scoring_ms_per_1000");
    assertThatThrownBy(() -> GateSettings.from(TestSettings.load("validate.min.macro_f2=0.3").config().dxpipe()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dxpipe.validate.min.macro_f2 is not a metric the train job logs");
    assertThatThrownBy(() -> GateSettings.from(TestSettings.load("validate.mode=sometimes").config().dxpipe()))
        .hasMessageContaining("dxpipe.validate.mode must be one of disabled, dry-run, enabled");
  }
}
