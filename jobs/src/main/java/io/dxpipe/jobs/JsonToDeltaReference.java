package io.dxpipe.jobs;

import io.dxpipe.job.JobRunner;
import io.dxpipe.job.JobSummary;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Reference for scripts/bench-ingest.sh: plain {@code spark.read().json(path)} with Spark's
 * default settings (schema inference, openCostInBytes 4 MB, multiLine for one-document files),
 * written to a Delta table. What a data engineer gets without dxpipe.
 * Arguments: {@code --conf FILE INPUT_GLOB OUTPUT_URI MULTILINE}.
 */
public final class JsonToDeltaReference {
  private JsonToDeltaReference() {}

  public static void main(String[] args) {
    if (args.length != 5 || !args[0].equals("--conf")) {
      System.out.println("Usage: JsonToDeltaReference --conf FILE INPUT_GLOB OUTPUT_URI MULTILINE(true|false)");
      System.exit(JobRunner.USAGE);
    }
    String input = args[2];
    String output = args[3];
    boolean multiLine = Boolean.parseBoolean(args[4]);
    int code = new JobRunner("JsonToDeltaReference", "plain Spark JSON reader to Delta", System.out)
        .run(new String[] {"--conf", args[1]}, (settings, spark) -> {
          // undo dxpipe's session settings: the reference is Spark as it comes
          spark.conf().unset("spark.sql.files.openCostInBytes");
          Dataset<Row> json = spark.read().option("multiLine", multiLine).json(input);
          json.write().format("delta").mode(SaveMode.Overwrite).save(output);
          long rows = spark.read().format("delta").load(output).count();
          return new JobSummary("JsonToDeltaReference", rows, rows, 0, JobSummary.Balance.READ_EQUALS_WRITTEN_PLUS_REJECTED);
        });
    if (code != JobRunner.OK) {
      System.exit(code);
    }
  }
}
