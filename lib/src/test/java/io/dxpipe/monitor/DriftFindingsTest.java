package io.dxpipe.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dxpipe.schema.Monitoring;
import io.dxpipe.schema.Predictions;
import io.dxpipe.testing.TestSettings;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The day's figures from two hand-made profiles (no Spark): what each figure is, which thresholds of
 * reference.conf a drifted day crosses, and that a small day is reported but not judged.
 */
class DriftFindingsTest {
  private static final LocalDate DAY = LocalDate.parse("2026-03-02");
  private static final DriftFindings FIGURES =
      new DriftFindings(MonitorSettings.from(TestSettings.load().config().dxpipe())); // min-records 200

  private static Profile.Numeric numeric(long nonNull, double nullShare) {
    return new Profile.Numeric(nonNull, nullShare, 40, 10, new double[0], new double[0]);
  }

  private static final Profile BASELINE = new Profile(1000, Map.of("age", numeric(980, 0.02)),
      Map.of("gender", Map.of("f", 500L, "m", 500L), Predictions.PREDICTED_CODE, Map.of("a", 500L, "b", 500L)),
      Map.of("unit", 10L), Map.of());

  private static Profile day(long records, double ageNulls, Map<String, Long> predicted, long unitFlags) {
    return new Profile(records, Map.of("age", numeric(records, ageNulls)),
        Map.of("gender", Map.of("f", records / 2, "m", records - records / 2), Predictions.PREDICTED_CODE, predicted),
        Map.of("unit", unitFlags), Map.of());
  }

  private static Finding figure(List<Finding> findings, String check, String feature, String metric) {
    return findings.stream().filter(f -> f.check().equals(check) && java.util.Objects.equals(f.feature(), feature)
        && f.metric().equals(metric)).findFirst().orElseThrow(() -> new AssertionError(check + " " + feature + " "
        + metric + " not in " + findings));
  }

  @Test
  void aDayLikeTheBaselineHasEveryFigureAndCrossesNoThreshold() {
    List<Finding> f = FIGURES.of(DAY, BASELINE, day(500, 0.02, Map.of("a", 250L, "b", 250L), 5), 490, 10);
    assertThat(f).extracting(x -> x.check() + " " + x.feature() + " " + x.metric()).containsExactlyInAnyOrder(
        "volume null records", "data_quality null rejected_share", "data_quality age null_share",
        "feature_drift gender psi", "prediction_drift predicted_code psi", "data_quality flag:unit share");
    assertThat(f).noneMatch(Finding::breached).allMatch(x -> x.scoringDate().equals(DAY));
    Finding volume = figure(f, Monitoring.VOLUME, null, "records");
    assertThat(volume.value()).isEqualTo(500);
    assertThat(volume.baseline()).isEqualTo(1000);
    assertThat(figure(f, Monitoring.DATA_QUALITY, null, "rejected_share").value()).isCloseTo(10 / 500.0, within(1e-12));
    Finding unit = figure(f, Monitoring.DATA_QUALITY, "flag:unit", "share");
    assertThat(unit.value()).isCloseTo(0.01, within(1e-12));
    assertThat(unit.threshold()).isCloseTo(0.01 + 0.05, within(1e-12));
    assertThat(figure(f, Monitoring.PREDICTION_DRIFT, Predictions.PREDICTED_CODE, "psi").threshold()).isEqualTo(0.25);
  }

  @Test
  void aDriftedDayCrossesTheThresholdsMeantToCatchIt() {
    List<Finding> f = FIGURES.of(DAY, BASELINE, day(500, 0.30, Map.of("a", 450L, "b", 50L), 100), 400, 100);
    assertThat(f.stream().filter(Finding::breached).map(x -> x.check() + " " + x.feature() + " " + x.metric()))
        .containsExactlyInAnyOrder("data_quality null rejected_share", "data_quality age null_share",
            "prediction_drift predicted_code psi", "data_quality flag:unit share");
    assertThat(figure(f, Monitoring.PREDICTION_DRIFT, Predictions.PREDICTED_CODE, "psi").note())
        .startsWith("sampling alone gives about");
  }

  @Test
  void aDayWithTooFewRecordsIsReportedButNotJudged() {
    List<Finding> f = FIGURES.of(DAY, BASELINE, day(100, 0.30, Map.of("a", 95L, "b", 5L), 50), 50, 50);
    assertThat(f).noneMatch(Finding::breached);
    assertThat(figure(f, Monitoring.DATA_QUALITY, "age", "null_share").note())
        .isEqualTo("fewer than 200 records: not judged");
    assertThat(figure(f, Monitoring.PREDICTION_DRIFT, Predictions.PREDICTED_CODE, "psi").note())
        .startsWith("fewer than 200 records: not judged; sampling alone");
  }
}
