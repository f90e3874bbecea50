package io.dxpipe.schema;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The monitoring table (monitor job): one row per measured figure, partitioned by
 * {@link #MONITOR_DATE}; a re-run of a day replaces that day's rows. {@link #SCORING_DATE} is the day
 * the figure describes: the monitored day, or for performance an earlier scoring day whose delayed
 * labels have arrived.
 */
public final class Monitoring {
  private Monitoring() {}

  public static final String MONITOR_DATE = "monitor_date";
  public static final String SCORING_DATE = Predictions.SCORING_DATE;
  /** One of {@link #VOLUME}, {@link #FEATURE_DRIFT}, {@link #PREDICTION_DRIFT}, {@link #DATA_QUALITY}, {@link #PERFORMANCE}. */
  public static final String CHECK = "check";
  /** The input column (or {@code flag:<kind>}) the figure is about; null for the day as a whole. */
  public static final String FEATURE = "feature";
  public static final String METRIC = "metric";
  /** Null where the figure is not a number (no records to measure). */
  public static final String VALUE = "value";
  public static final String BASELINE = "baseline";
  /** The limit that signals retraining; null for figures that are only reported. */
  public static final String THRESHOLD = "threshold";
  public static final String BREACHED = "breached";
  public static final String RECORDS = "records";
  public static final String NOTE = "note";
  public static final String MODEL_NAME = Predictions.MODEL_NAME;
  public static final String MODEL_VERSION = Predictions.MODEL_VERSION;
  public static final String MONITOR_RUN_ID = "monitor_run_id";
  public static final String MLFLOW_RUN_ID = "mlflow_run_id";
  public static final String COMPUTED_AT = "computed_at";

  /** Values of {@link #CHECK}. */
  public static final String VOLUME = "volume";
  public static final String FEATURE_DRIFT = "feature_drift";
  public static final String PREDICTION_DRIFT = "prediction_drift";
  public static final String DATA_QUALITY = "data_quality";
  public static final String PERFORMANCE = "performance";
  /** {@link #FEATURE} of a quality-flag share: this prefix and the flag's kind ({@code flag:unit}). */
  public static final String FLAG_PREFIX = "flag:";

  public static final List<String> PARTITION_BY = List.of(MONITOR_DATE);

  public static final StructType SCHEMA = createStructType(List.of(
      createStructField(MONITOR_DATE, DateType, false),
      createStructField(SCORING_DATE, DateType, false),
      createStructField(CHECK, StringType, false),
      createStructField(FEATURE, StringType, true),
      createStructField(METRIC, StringType, false),
      createStructField(VALUE, DoubleType, true),
      createStructField(BASELINE, DoubleType, true),
      createStructField(THRESHOLD, DoubleType, true),
      createStructField(BREACHED, BooleanType, false),
      createStructField(RECORDS, LongType, false),
      createStructField(NOTE, StringType, true),
      createStructField(MODEL_NAME, StringType, true),
      createStructField(MODEL_VERSION, IntegerType, true),
      createStructField(MONITOR_RUN_ID, StringType, false),
      createStructField(MLFLOW_RUN_ID, StringType, true),
      createStructField(COMPUTED_AT, TimestampType, false)));
}
