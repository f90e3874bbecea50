package io.dxpipe.schema;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The data-quality results table: one row per check per evaluated input. {@link #INPUT} names the
 * data evaluated (table, Delta version, deliveries); re-evaluating the same input replaces its rows.
 */
public final class QualityResults {
  private QualityResults() {}

  public static final String RUN_ID = "run_id";
  public static final String JOB = "job";
  public static final String TABLE = "table_name";
  public static final String INPUT = "input";
  public static final String CHECK_GROUP = "check_group";
  public static final String CHECK_NAME = "check_name";
  public static final String CHECK_TYPE = "check_type";
  public static final String COLUMN = "column_name";
  public static final String SEVERITY = "severity";
  public static final String STATUS = "status";
  public static final String METRIC = "metric";
  public static final String CONSTRAINT = "constraint";
  public static final String ROWS = "rows";
  public static final String EXAMPLES = "examples";
  public static final String EVALUATED_AT = "evaluated_at";

  public static final StructType SCHEMA = createStructType(List.of(
      createStructField(RUN_ID, StringType, false),
      createStructField(JOB, StringType, false),
      createStructField(TABLE, StringType, false),
      createStructField(INPUT, StringType, false),
      createStructField(CHECK_GROUP, StringType, false),
      createStructField(CHECK_NAME, StringType, false),
      createStructField(CHECK_TYPE, StringType, false),
      createStructField(COLUMN, StringType, true),
      createStructField(SEVERITY, StringType, false),
      createStructField(STATUS, StringType, false),
      createStructField(METRIC, DoubleType, true),
      createStructField(CONSTRAINT, StringType, false),
      createStructField(ROWS, LongType, false),
      createStructField(EXAMPLES, StringType, true),
      createStructField(EVALUATED_AT, TimestampType, false)));
}
