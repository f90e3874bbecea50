package io.dxpipe.jobs;

import io.dxpipe.config.Settings;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.job.Job;
import io.dxpipe.job.JobRunner;
import io.dxpipe.job.JobSummary;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Reference for scripts/bench-ingest.sh: plain {@code spark.read().json(path)} with Spark's
 * default settings (schema inference, openCostInBytes 4 MB, multiLine for one-document files),
 * written to a Delta table. What a data engineer gets without dxpipe.
 * Arguments: {@code --conf FILE INPUT_GLOB OUTPUT_URI MULTILINE}.
 */
public final class JsonToDeltaReference implements Job<Settings> {
  private final String input;
  private final String output;
  private final boolean multiLine;

  private JsonToDeltaReference(String input, String output, boolean multiLine) {
    this.input = input;
    this.output = output;
    this.multiLine = multiLine;
  }

  /**
   * written: the rows the write's commit wrote. The input is not counted: that is a second pass over
   * the JSON files, timed with the plain reader it is the reference for; so there is no balance.
   */
  static JobSummary counts(long committed) {
    return JobSummary.withoutBalance("JsonToDeltaReference", JobSummary.NOT_COUNTED, committed, 0,
        "a benchmark reference: counting the JSON input would be a second pass over it, timed as the plain "
        + "reader's cost; written is the rows of the write's commit");
  }

  public static void main(String[] args) {
    if (args.length != 5 || !args[0].equals("--conf")) {
      System.out.println("Usage: JsonToDeltaReference --conf FILE INPUT_GLOB OUTPUT_URI MULTILINE(true|false)");
      System.exit(JobRunner.USAGE);
    }
    JobRunner.main(new JsonToDeltaReference(args[2], args[3], Boolean.parseBoolean(args[4])),
        new String[] {"--conf", args[1]});
  }

  @Override
  public String name() {
    return "JsonToDeltaReference";
  }

  @Override
  public String description() {
    return "plain Spark JSON reader to Delta";
  }

  @Override
  public Settings settings(Settings settings) {
    return settings; // nothing of its own: the session's settings are all it uses
  }

  @Override
  public JobSummary execute(Settings settings, SparkSession spark) {
    // undo dxpipe's session settings: the reference is Spark as it comes
    spark.conf().unset("spark.sql.files.openCostInBytes");
    Dataset<Row> json = spark.read().option("multiLine", multiLine).json(input);
    long before = DeltaTables.versionOrNone(spark, output);
    json.write().format("delta").mode(SaveMode.Overwrite).save(output);
    return counts(DeltaTables.rowsCommittedSince(spark, output, before));
  }
}
