package io.dxpipe.schema;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The ingest log: one row per landing entry each time ingest took it (ingested, quarantined whole,
 * found unchanged) or recorded it as skipped. It is ingest's memory of what it has taken (by path,
 * size, modification time and content digest) and the only place that links a bronze record's
 * pseudonymised {@code source_file} reference to the file's real path. File names carry identifiers
 * ({@code Andersen-Kwame-999-54-4118.json}): the log is restricted like quarantine and landing.
 */
public final class IngestLog {
  private IngestLog() {}

  /** The file's full URI as listed, e.g. {@code file:/data/landing/north_ehr/2026-11-24/x.json}. */
  public static final String PATH = "path";
  /** The reference bronze and silver carry in {@code source_file}; see {@code FileReference}. */
  public static final String FILE_REF = "file_ref";
  public static final String SOURCE = "source";
  public static final String DELIVERY_DATE = "delivery_date";
  public static final String SIZE = "size";
  public static final String MODIFICATION_TIME = "modification_time";
  /** SHA-256 of the bytes read (hex); null when the file was not read (too large, skipped). */
  public static final String CONTENT_SHA256 = "content_sha256";
  /** {@link Outcome}. */
  public static final String OUTCOME = "outcome";
  /** The quarantine reason of a file quarantined whole, or the skip reason; null when ingested. */
  public static final String REASON_CODE = "reason_code";
  public static final String RECORDS = "records";
  public static final String BRONZE = "bronze";
  public static final String QUARANTINED = "quarantined";
  public static final String BATCH_ID = "batch_id";
  public static final String INGEST_RUN_ID = "ingest_run_id";
  public static final String INGEST_TIME = "ingest_time";

  public static final List<String> PARTITION_BY = List.of(DELIVERY_DATE);

  public static final StructType SCHEMA = createStructType(List.of(
      createStructField(PATH, StringType, false),
      createStructField(FILE_REF, StringType, false),
      createStructField(SOURCE, StringType, true),
      createStructField(DELIVERY_DATE, DateType, true),
      createStructField(SIZE, LongType, false),
      createStructField(MODIFICATION_TIME, LongType, false),
      createStructField(CONTENT_SHA256, StringType, true),
      createStructField(OUTCOME, StringType, false),
      createStructField(REASON_CODE, StringType, true),
      createStructField(RECORDS, IntegerType, false),
      createStructField(BRONZE, IntegerType, false),
      createStructField(QUARANTINED, IntegerType, false),
      createStructField(BATCH_ID, LongType, false),
      createStructField(INGEST_RUN_ID, StringType, false),
      createStructField(INGEST_TIME, TimestampType, false)));

  /** What happened to a landing entry. */
  public enum Outcome {
    /** Read and parsed: its records went to bronze or quarantine (possibly none: an empty CSV). */
    INGESTED,
    /** Quarantined whole (unreadable, too large, misplaced): one quarantine row, reason in {@link #REASON_CODE}. */
    QUARANTINED,
    /** Taken again after a change of size or modification time, but its bytes had not changed: nothing written. */
    UNCHANGED,
    /** Not taken (empty, hidden, not a regular file, gone before it was read): reason in {@link #REASON_CODE}. */
    SKIPPED
  }

  /** Why a landing entry was not taken. */
  public enum SkipReason {
    /** Zero bytes (often a file just created and still being written): taken once it has content. */
    EMPTY_FILE,
    /** Name starts with '.' or '_' (the convention for files still being written; see README). */
    HIDDEN_FILE,
    /** A folder inside a delivery folder, a symbolic link, or another special file. */
    NOT_A_FILE,
    /** Listed, then gone before ingest read it. */
    VANISHED
  }
}
