package io.dxpipe.schema;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The delayed labels: confirmed diagnoses that reach the hospital after a record was scored, as CSV
 * files with a header row ({@link #HEADER}) anywhere below {@code dxpipe.storage.labels}. The
 * generator writes them in daily mode; the monitor matches them to predictions by the record key
 * {@link Bronze#recordKey(String, String)} of {@link #SOURCE} and {@link #SOURCE_RECORD_ID}.
 */
public final class DelayedLabels {
  private DelayedLabels() {}

  public static final String SOURCE = Bronze.SOURCE;
  public static final String SOURCE_RECORD_ID = Bronze.SOURCE_RECORD_ID;
  /** The confirmed disease code. */
  public static final String DIAGNOSIS_CODE = Bronze.DIAGNOSIS_CODE;
  /** yyyy-MM-dd. */
  public static final String DIAGNOSED_ON = "diagnosed_on";

  public static final StructType SCHEMA = createStructType(List.of(
      createStructField(SOURCE, StringType, false),
      createStructField(SOURCE_RECORD_ID, StringType, false),
      createStructField(DIAGNOSIS_CODE, StringType, false),
      createStructField(DIAGNOSED_ON, DateType, true)));

  /** The files' first line: the column names in {@link #SCHEMA}'s order. */
  public static final String HEADER = String.join(",", SCHEMA.fieldNames());

  /** One CSV line (with its newline) of a label; the values must not hold commas or quotes. */
  public static String line(String source, String sourceRecordId, String diagnosisCode, String diagnosedOn) {
    return String.join(",", source, sourceRecordId, diagnosisCode, diagnosedOn) + "\n";
  }
}
