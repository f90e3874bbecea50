package io.dxpipe.jobs;

import io.dxpipe.job.JobRunner;
import io.dxpipe.job.JobSummary;
import io.dxpipe.schema.Bronze;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * I/O-only reference for scripts/bench-clean-features.sh: reads a Delta table and writes it, as it
 * is, to another Delta table partitioned by delivery date: what the clean job costs without its
 * rules, checks and de-duplication. Arguments: {@code --conf FILE INPUT_URI OUTPUT_URI}.
 */
public final class DeltaCopyReference {
  private DeltaCopyReference() {}

  public static void main(String[] args) {
    if (args.length != 4 || !args[0].equals("--conf")) {
      System.out.println("Usage: DeltaCopyReference --conf FILE INPUT_URI OUTPUT_URI");
      System.exit(JobRunner.USAGE);
    }
    String input = args[2];
    String output = args[3];
    int code = new JobRunner("DeltaCopyReference", "Delta table copy (I/O-only reference)", System.out)
        .run(new String[] {"--conf", args[1]}, (settings, spark) -> {
          Dataset<Row> table = spark.read().format("delta").load(input);
          table.write().format("delta").mode(SaveMode.Overwrite).partitionBy(Bronze.DELIVERY_DATE).save(output);
          long rows = spark.read().format("delta").load(output).count();
          return new JobSummary("DeltaCopyReference", rows, rows, 0, JobSummary.Balance.READ_EQUALS_WRITTEN_PLUS_REJECTED);
        });
    if (code != JobRunner.OK) {
      System.exit(code);
    }
  }
}
