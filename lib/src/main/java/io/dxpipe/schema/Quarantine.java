package io.dxpipe.schema;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * What could not be used, with why, and the raw payload as delivered. The payload still holds
 * direct identifiers: the quarantine table is restricted (data engineers only), bronze is not.
 */
public final class Quarantine {
  private Quarantine() {}

  public static final String SOURCE = "source";
  public static final String SOURCE_FILE = "source_file";
  /** Position of the record in its file (line or element number, 1-based); null for a whole file. */
  public static final String RECORD_INDEX = "record_index";
  public static final String SOURCE_RECORD_ID = "source_record_id";
  public static final String REASON_CODE = "reason_code";
  public static final String REASON = "reason";
  public static final String RAW_PAYLOAD = "raw_payload";
  public static final String DELIVERY_DATE = "delivery_date";
  public static final String INGEST_RUN_ID = "ingest_run_id";
  public static final String INGEST_TIME = "ingest_time";

  public static final List<String> PARTITION_BY = List.of(DELIVERY_DATE);

  public static final StructType SCHEMA = createStructType(List.of(
      createStructField(SOURCE, StringType, false),
      createStructField(SOURCE_FILE, StringType, false),
      createStructField(RECORD_INDEX, IntegerType, true),
      createStructField(SOURCE_RECORD_ID, StringType, true),
      createStructField(REASON_CODE, StringType, false),
      createStructField(REASON, StringType, false),
      createStructField(RAW_PAYLOAD, StringType, true),
      createStructField(DELIVERY_DATE, DateType, true),
      createStructField(INGEST_RUN_ID, StringType, false),
      createStructField(INGEST_TIME, TimestampType, false)));

  /** Why something is in quarantine. */
  public enum Reason {
    /** The file cannot be read as its source's format at all (truncated, binary, wrong format). */
    UNREADABLE_FILE,
    /** A record inside a readable file is malformed (bad JSON line, wrong CSV column count). */
    MALFORMED_RECORD,
    MISSING_REQUIRED_FIELD,
    TYPE_MISMATCH,
    UNPARSEABLE_DATE,
    /** The file's folder names no configured source. */
    UNKNOWN_SOURCE,
    /**
     * The file is not in a delivery folder {@code <source>/<yyyy-MM-dd>/}: directly under landing or a
     * source folder, or in a folder that is not a real date ({@code 2026-02-30}).
     */
    BAD_DELIVERY_FOLDER,
    /** The file is larger than {@code dxpipe.ingest.max-file-bytes}: not read (it stays in landing). */
    FILE_TOO_LARGE
  }
}
