package io.dxpipe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.schema.Monitoring;
import io.dxpipe.testing.MemoryTracking;
import io.dxpipe.testing.SharedSpark;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The day's MLflow run: a first run starts and ends one with the day's figures at step = the day;
 * a re-run logs to the same run and leaves it as it was ended; the previous run is found in the
 * monitoring table.
 */
class MonitorMlflowRunTest {
  private static final LocalDate DAY = LocalDate.parse("2026-03-03");

  private static final List<Finding> FINDINGS = List.of(
      new Finding(DAY, Monitoring.FEATURE_DRIFT, "age", "ks", 0.3, null, 0.15, true, 300, null),
      new Finding(DAY, Monitoring.DATA_QUALITY, null, "rejected_share", 0.01, null, 0.05, false, 300, null),
      new Finding(DAY, Monitoring.FEATURE_DRIFT, "spo2", "psi", Double.NaN, null, 0.2, false, 0, null),
      new Finding(DAY.minusDays(5), Monitoring.PERFORMANCE, null, "accuracy", 0.8, null, null, false, 150, null));

  @Test
  void aFirstRunStartsAndEndsTheDaysRunAndAReRunLogsToIt() {
    MemoryTracking tracking = new MemoryTracking();
    MonitorMlflowRun mlflow = new MonitorMlflowRun(tracking, tracking, "dxpipe-test");
    List<Finding> breaches = FINDINGS.stream().filter(Finding::breached).toList();
    String run = mlflow.log(null, DAY, "dxpipe version 3", FINDINGS, breaches, Map.of("drift.png", new byte[] {1}));

    MemoryTracking.Run logged = tracking.runs().get(run);
    assertThat(logged.experiment()).isEqualTo("exp-dxpipe-test");
    assertThat(logged.name()).isEqualTo("monitor 2026-03-03");
    assertThat(logged.tags()).containsEntry("dxpipe.kind", "monitoring").containsEntry("dxpipe.scoring_date",
        "2026-03-03").containsEntry("dxpipe.model", "dxpipe version 3").containsEntry("dxpipe.retrain", "true");
    // the day's figures only (not an earlier day's performance), NaN left out, and the signal
    assertThat(logged.metrics()).containsOnlyKeys("feature_drift_age_ks", "data_quality_rejected_share",
        "retrain_signal");
    assertThat(logged.metrics()).containsEntry("retrain_signal", 1.0);
    assertThat(logged.artifacts()).containsOnlyKeys("drift.png");
    assertThat(logged.ended()).containsExactly(true);

    String again = mlflow.log(run, DAY, "dxpipe version 3", FINDINGS, List.of(), Map.of("drift.png", new byte[] {2}));
    assertThat(again).isEqualTo(run);
    assertThat(tracking.runs()).hasSize(1);
    assertThat(logged.metrics()).containsEntry("retrain_signal", 0.0);
    assertThat(logged.tags()).containsEntry("dxpipe.retrain", "false");
    assertThat(logged.artifacts().get("drift.png")).containsExactly(2);
    assertThat(logged.ended()).containsExactly(true);
  }

  @Test
  void thePreviousRunOfTheDayIsFoundInTheMonitoringTable() {
    Timestamp at = Timestamp.valueOf("2026-03-03 10:00:00");
    Finding f = FINDINGS.get(0);
    Dataset<Row> table = SharedSpark.session().createDataFrame(List.of(
        f.toRow(DAY.minusDays(1), "m", 1, "monitor-1", "mlflow-yesterday", at),
        f.toRow(DAY, "m", 1, "monitor-2", null, at),
        f.toRow(DAY, "m", 1, "monitor-2", "mlflow-today", at)), Monitoring.SCHEMA);
    assertThat(MonitorMlflowRun.previousRun(table, DAY)).isEqualTo("mlflow-today");
    assertThat(MonitorMlflowRun.previousRun(table, DAY.plusDays(1))).isNull();
    assertThat(MonitorMlflowRun.previousRun(null, DAY)).isNull();
  }
}
