package io.dxpipe.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.clean.CleanSettings;
import io.dxpipe.clean.SilverBuilder;
import io.dxpipe.config.Settings;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.schema.Bronze;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One day's records in silver's columns, as the score and monitor jobs read them: the day's silver
 * partition, or the day's bronze partition cleaned by the clean job's own rules ({@link SilverBuilder#clean}).
 */
public final class DailyRecords {
  private DailyRecords() {}

  /** The records and a description of where they came from (table, version, date). */
  public record Input(Dataset<Row> records, String description) {}

  public static Input read(SparkSession spark, Settings settings, ScoreSettings.Input input, LocalDate date) {
    java.sql.Date day = java.sql.Date.valueOf(date);
    if (input == ScoreSettings.Input.SILVER) {
      String silver = settings.storage().silver();
      long version = DeltaTables.version(spark, silver, "the clean job");
      return new Input(DeltaTables.read(spark, silver, version).filter(col(Bronze.DELIVERY_DATE).equalTo(lit(day))),
          "silver@v" + version + " delivery_date=" + date);
    }
    String bronze = settings.storage().bronze();
    long version = DeltaTables.version(spark, bronze, "the ingest job");
    Dataset<Row> records = DeltaTables.read(spark, bronze, version).filter(col(Bronze.DELIVERY_DATE).equalTo(lit(day)));
    SilverBuilder cleaning = SilverBuilder.load(CleanSettings.from(settings.config().dxpipe()),
        DiseaseCatalogue.fromClasspath());
    return new Input(cleaning.clean(records), "bronze@v" + version + " delivery_date=" + date + ", cleaned");
  }
}
