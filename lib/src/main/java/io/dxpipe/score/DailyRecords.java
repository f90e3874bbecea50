package io.dxpipe.score;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.clean.CleanSettings;
import io.dxpipe.clean.SilverBuilder;
import io.dxpipe.config.Settings;
import io.dxpipe.config.StorageSettings;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.ingest.FileIngestor;
import io.dxpipe.ingest.IngestSettings;
import io.dxpipe.ingest.LandingIngest;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Predictions;
import io.dxpipe.schema.Quarantine;
import java.time.LocalDate;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * One day's records in silver's columns, as the score and monitor jobs read them: the day's silver
 * partition, the day's bronze partition cleaned by the clean job's own rules ({@link SilverBuilder#clean}),
 * or, for an ad-hoc run, raw files parsed by the ingest code and cleaned the same way.
 */
public final class DailyRecords {
  private DailyRecords() {}

  /**
   * A day's records before cleaning ({@code raw}) and the cleaning that makes them silver-shaped
   * (identity for silver), with a description of where they came from. For raw files, also what the
   * ingest code could not use ({@link #unusable}: scoring-quarantine rows without the run columns),
   * and the cached parse to release when done.
   */
  public record Input(Dataset<Row> raw, UnaryOperator<Dataset<Row>> cleaning, String description,
      Dataset<Row> unusable, Dataset<Row> cached) {

    /** The day's records in silver's columns. */
    public Dataset<Row> records() {
      return cleaning.apply(raw);
    }

    public void release() {
      if (cached != null) {
        cached.unpersist();
      }
    }
  }

  /**
   * What reading a day needs from the configuration, read once by {@link #parse} before Spark
   * starts: where the tables are, the clean job's rules with their vocabularies (for bronze and raw
   * files; null for silver) and the ingest settings (for raw files only; null otherwise).
   */
  public record Sources(StorageSettings storage, SilverBuilder cleaning, IngestSettings ingest) {

    /** Reads the settings that reading {@code input} needs, failing on the first bad one. */
    public static Sources parse(Settings settings, ScoreSettings.Input input) {
      SilverBuilder cleaning = input == ScoreSettings.Input.SILVER ? null
          : SilverBuilder.load(CleanSettings.from(settings.config().dxpipe()), DiseaseCatalogue.fromClasspath());
      IngestSettings ingest = input == ScoreSettings.Input.LANDING
          ? IngestSettings.from(settings.config().dxpipe(), settings.environment()) : null;
      return new Sources(settings.storage(), cleaning, ingest);
    }

    SilverBuilder cleaningOrFail() {
      return require(cleaning, "the clean job's rules");
    }

    IngestSettings ingestOrFail() {
      return require(ingest, "the ingest settings");
    }

    private static <T> T require(T value, String what) {
      if (value == null) {
        throw new IllegalStateException("DailyRecords.Sources were parsed for another input: " + what
            + " were not read (parse them for the input you read)");
      }
      return value;
    }
  }

  /** The records of a day from silver or bronze ({@code landingPath} only for {@code LANDING}). */
  public static Input read(SparkSession spark, Sources settings, ScoreSettings.Input input, LocalDate date,
      String landingPath) {
    if (input == ScoreSettings.Input.LANDING) {
      return parse(spark, settings, landingPath);
    }
    return read(spark, settings, input, date);
  }

  public static Input read(SparkSession spark, Sources settings, ScoreSettings.Input input, LocalDate date) {
    java.sql.Date day = java.sql.Date.valueOf(date);
    if (input == ScoreSettings.Input.SILVER) {
      String silver = settings.storage().silver();
      long version = DeltaTables.version(spark, silver, "the clean job");
      return new Input(io.dxpipe.schema.DeclaredInputs.withColumn(DeltaTables.read(spark, silver, version)).filter(col(Bronze.DELIVERY_DATE).equalTo(lit(day))),
          UnaryOperator.identity(), "silver@v" + version + " delivery_date=" + date, null, null);
    }
    String bronze = settings.storage().bronze();
    long version = DeltaTables.version(spark, bronze, "the ingest job");
    Dataset<Row> records = io.dxpipe.schema.DeclaredInputs.withColumn(DeltaTables.read(spark, bronze, version)).filter(col(Bronze.DELIVERY_DATE).equalTo(lit(day)));
    return new Input(records, settings.cleaningOrFail()::clean, "bronze@v" + version + " delivery_date=" + date + ", cleaned",
        null, null);
  }

  /**
   * Raw files under {@code path} (laid out as the landing zone), parsed and validated by the ingest
   * code in memory, then cleaned. Nothing is written to bronze; what ingest would quarantine comes
   * back as {@link Input#unusable} with reason code {@code ingest:<reason>}.
   */
  static Input parse(SparkSession spark, Sources settings, String path) {
    IngestSettings ingest = settings.ingestOrFail();
    Dataset<Row> outcome = LandingIngest.parseWithoutIngesting(spark, ingest, DiseaseCatalogue.fromClasspath(), path,
        "score-" + UUID.randomUUID()).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> bronze = outcome.filter(col(FileIngestor.KIND).equalTo(FileIngestor.KIND_BRONZE))
        .select(FileIngestor.KIND_BRONZE + ".*");
    Column q = col(FileIngestor.KIND_QUARANTINE);
    Dataset<Row> unusable = outcome.filter(col(FileIngestor.KIND).equalTo(FileIngestor.KIND_QUARANTINE)).select(
        concat(q.getField(Quarantine.SOURCE), lit(":"), coalesce(q.getField(Quarantine.SOURCE_RECORD_ID),
            concat(q.getField(Quarantine.SOURCE_FILE), lit("#"), coalesce(q.getField(Quarantine.RECORD_INDEX)
                .cast("string"), lit("file"))))).as(Bronze.RECORD_KEY),
        q.getField(Quarantine.SOURCE).as(Bronze.SOURCE),
        lit(null).cast("string").as(Bronze.PATIENT_KEY),
        concat(lit("ingest:"), q.getField(Quarantine.REASON_CODE)).as(Predictions.Rejected.REASON_CODE),
        concat(q.getField(Quarantine.REASON), lit(" ("), q.getField(Quarantine.SOURCE_FILE), lit(")"))
            .as(Predictions.Rejected.REASON));
    return new Input(bronze, settings.cleaningOrFail()::clean, "raw files under " + path + ", parsed and cleaned", unusable,
        outcome);
  }
}
