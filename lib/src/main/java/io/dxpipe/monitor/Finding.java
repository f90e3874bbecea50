package io.dxpipe.monitor;

import io.dxpipe.schema.Monitoring;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One measured figure of a monitor run, a row of the monitoring table ({@link Monitoring}).
 *
 * @param scoringDate the day the figure describes: the monitored day, or for performance the
 *     earlier scoring day whose labels have arrived
 * @param check one of the check kinds of {@link Monitoring#CHECK}
 * @param baseline the training population's value, where there is one
 * @param threshold the limit that signals retraining, or null when the figure is only reported
 * @param breached whether the value crossed the threshold (and the day had enough records to judge)
 */
public record Finding(LocalDate scoringDate, String check, String feature, String metric, double value,
    Double baseline, Double threshold, boolean breached, long records, String note) {

  /** The figure as a row of the monitoring table, in {@link Monitoring#SCHEMA}'s order. */
  Row toRow(LocalDate monitorDate, String modelName, Integer modelVersion, String runId, String mlflowRunId,
      Timestamp at) {
    return RowFactory.create(Date.valueOf(monitorDate), Date.valueOf(scoringDate), check, feature, metric,
        Double.isNaN(value) ? null : value, baseline, threshold, breached, records, note, modelName, modelVersion,
        runId, mlflowRunId, at);
  }

  /** One line for the job's output. */
  public String line() {
    return String.format(Locale.ROOT, "%-6s %-16s %-22s %-20s %10.4f%s%s%s", breached ? "BREACH" : "ok", check,
        feature == null ? "" : feature, metric, value,
        baseline == null ? "" : String.format(Locale.ROOT, "  baseline %.4f", baseline),
        threshold == null ? "" : String.format(Locale.ROOT, "  threshold %.4f", threshold),
        note == null ? "" : "  (" + note + ")");
  }

  /** The MLflow metric name of this figure. */
  public String metricKey() {
    return (check + "_" + (feature == null ? "" : feature + "_") + metric).replaceAll("[^A-Za-z0-9_./ -]", "_");
  }
}
