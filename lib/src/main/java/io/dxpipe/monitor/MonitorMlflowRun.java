package io.dxpipe.monitor;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.dxpipe.mlflow.Artifacts;
import io.dxpipe.mlflow.Runs;
import io.dxpipe.schema.Monitoring;
import java.sql.Date;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The MLflow run of a monitored day: one run per day (tagged {@code dxpipe.kind = monitoring}), its
 * figures as metrics at step = the day (epoch days, so MLflow charts them over time), the signal as
 * metric {@code retrain_signal} and tag {@code dxpipe.retrain}, and the day's plots as artifacts. A
 * re-run of the day logs to the run an earlier one made (found in the monitoring table) and leaves
 * it as that run ended.
 */
final class MonitorMlflowRun {
  private final Runs runs;
  private final Artifacts artifacts;
  private final String experiment;

  /** Usually both parts of one {@link io.dxpipe.mlflow.Tracking}. */
  MonitorMlflowRun(Runs runs, Artifacts artifacts, String experiment) {
    this.runs = runs;
    this.artifacts = artifacts;
    this.experiment = experiment;
  }

  /** The MLflow run an earlier monitor run of the day logged to, or null; {@code monitoring} may be null (no table yet). */
  static String previousRun(Dataset<Row> monitoring, LocalDate date) {
    if (monitoring == null) {
      return null;
    }
    List<Row> previous = monitoring
        .filter(col(Monitoring.MONITOR_DATE).equalTo(lit(Date.valueOf(date)))
            .and(col(Monitoring.MLFLOW_RUN_ID).isNotNull()))
        .select(Monitoring.MLFLOW_RUN_ID).limit(1).collectAsList();
    return previous.isEmpty() ? null : previous.get(0).getString(0);
  }

  /**
   * Logs the day's figures (those of other days, performance of earlier labelled days, are in the
   * table only), the signal and the plots; returns the run id.
   *
   * @param previousRun the run of an earlier monitor run of the day, or null to start (and end) a new one
   */
  String log(String previousRun, LocalDate date, String model, List<Finding> findings, List<Finding> breaches,
      Map<String, byte[]> plots) {
    String run = previousRun;
    if (run == null) {
      Map<String, String> tags = new LinkedHashMap<>();
      tags.put("dxpipe.kind", "monitoring");
      tags.put("dxpipe.scoring_date", date.toString());
      tags.put("dxpipe.model", model);
      run = runs.startRun(runs.experiment(experiment), "monitor " + date, null, tags);
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (Finding f : findings) {
      if (!Double.isNaN(f.value()) && f.scoringDate().equals(date)) {
        metrics.put(f.metricKey(), f.value());
      }
    }
    metrics.put("retrain_signal", breaches.isEmpty() ? 0.0 : 1.0);
    runs.logMetrics(run, "", metrics, date.toEpochDay());
    runs.setTag(run, "dxpipe.retrain", Boolean.toString(!breaches.isEmpty()));
    for (Map.Entry<String, byte[]> plot : plots.entrySet()) {
      artifacts.logArtifact(run, plot.getKey(), plot.getValue());
    }
    if (previousRun == null) {
      runs.endRun(run, true);
    }
    return run;
  }
}
