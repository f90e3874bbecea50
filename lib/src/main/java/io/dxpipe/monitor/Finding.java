package io.dxpipe.monitor;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * One measured figure of a monitor run, a row of the monitoring table.
 *
 * @param scoringDate the day the figure describes: the monitored day, or for performance the
 *     earlier scoring day whose labels have arrived
 * @param check volume, feature_drift, prediction_drift, data_quality or performance
 * @param baseline the training population's value, where there is one
 * @param threshold the limit that signals retraining, or null when the figure is only reported
 * @param breached whether the value crossed the threshold (and the day had enough records to judge)
 */
public record Finding(LocalDate scoringDate, String check, String feature, String metric, double value,
    Double baseline, Double threshold, boolean breached, long records, String note) {

  public static final String MONITOR_DATE = "monitor_date";
  public static final String MLFLOW_RUN_ID = "mlflow_run_id";
  public static final List<String> PARTITION_BY = List.of(MONITOR_DATE);

  public static final StructType SCHEMA = createStructType(List.of(
      createStructField(MONITOR_DATE, DateType, false),
      createStructField("scoring_date", DateType, false),
      createStructField("check", StringType, false),
      createStructField("feature", StringType, true),
      createStructField("metric", StringType, false),
      createStructField("value", DoubleType, true),
      createStructField("baseline", DoubleType, true),
      createStructField("threshold", DoubleType, true),
      createStructField("breached", BooleanType, false),
      createStructField("records", LongType, false),
      createStructField("note", StringType, true),
      createStructField("model_name", StringType, true),
      createStructField("model_version", IntegerType, true),
      createStructField("monitor_run_id", StringType, false),
      createStructField(MLFLOW_RUN_ID, StringType, true),
      createStructField("computed_at", TimestampType, false)));

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
