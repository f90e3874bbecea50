package io.dxpipe.quality;

import io.dxpipe.schema.QualityResults;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Stores check results in the quality Delta table. Results of the same job, table and input replace
 * the earlier ones (Delta {@code replaceWhere}), so re-running a job on unchanged data does not
 * duplicate rows, while every new input adds its own rows for trend queries.
 */
public final class QualityResultsTable {
  private final SparkSession spark;
  private final String path;

  public QualityResultsTable(SparkSession spark, String path) {
    this.spark = spark;
    this.path = path;
  }

  public void write(String job, String runId, QualityReport report) {
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    for (CheckResult r : report.results()) {
      rows.add(RowFactory.create(runId, job, report.table(), report.input(), r.group(), r.check().name(),
          r.check().type(), r.check().column(), r.severity().name().toLowerCase(Locale.ROOT), r.status(), r.metric(),
          r.check().constraint(), r.rows(), r.examples().isEmpty() ? null : String.join("; ", r.examples()), now));
    }
    String condition = String.format(Locale.ROOT, "%s = '%s' AND %s = '%s' AND %s = '%s'", QualityResults.JOB,
        sql(job), QualityResults.TABLE, sql(report.table()), QualityResults.INPUT, sql(report.input()));
    var writer = spark.createDataFrame(rows, QualityResults.SCHEMA).coalesce(1).write().format("delta");
    if (io.dxpipe.io.DeltaTables.exists(spark, path)) {
      writer.mode(SaveMode.Overwrite).option("replaceWhere", condition).save(path);
    } else {
      writer.mode(SaveMode.Append).save(path);
    }
  }

  /**
   * Stores the report, prints its outcome and each failed check, then fails the job if an
   * error-severity check failed ({@link QualityReport#enforce()}).
   */
  public void writeAndEnforce(String job, String runId, QualityReport report, java.io.PrintStream out) {
    write(job, runId, report);
    out.println("[dxpipe] data quality " + report.summary());
    report.results().stream().filter(r -> !r.passed()).forEach(r -> out.println("[dxpipe]   " + r.describe()));
    report.enforce();
  }

  private static String sql(String value) {
    return value.replace("'", "''");
  }
}
