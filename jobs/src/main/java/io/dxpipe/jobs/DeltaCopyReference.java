package io.dxpipe.jobs;

import io.dxpipe.config.Settings;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.job.Job;
import io.dxpipe.job.JobRunner;
import io.dxpipe.job.JobSummary;
import io.dxpipe.schema.Bronze;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * I/O-only reference for scripts/bench-clean-features.sh: reads a Delta table and writes it, as it
 * is, to another Delta table partitioned by delivery date: what the clean job costs without its
 * rules, checks and de-duplication. Arguments: {@code --conf FILE INPUT_URI OUTPUT_URI}.
 */
public final class DeltaCopyReference implements Job<Settings> {
  private final String input;
  private final String output;

  private DeltaCopyReference(String input, String output) {
    this.input = input;
    this.output = output;
  }

  /** read: the input snapshot's rows; written: the rows the copy's commit wrote; nothing is rejected. */
  static JobSummary counts(long read, long committed) {
    return new JobSummary("DeltaCopyReference", read, committed, 0, JobSummary.Balance.READ_EQUALS_WRITTEN_PLUS_REJECTED);
  }

  public static void main(String[] args) {
    if (args.length != 4 || !args[0].equals("--conf")) {
      System.out.println("Usage: DeltaCopyReference --conf FILE INPUT_URI OUTPUT_URI");
      System.exit(JobRunner.USAGE);
    }
    JobRunner.main(new DeltaCopyReference(args[2], args[3]), new String[] {"--conf", args[1]});
  }

  @Override
  public String name() {
    return "DeltaCopyReference";
  }

  @Override
  public String description() {
    return "Delta table copy (I/O-only reference)";
  }

  @Override
  public Settings settings(Settings settings) {
    return settings; // nothing of its own: the session's settings are all it uses
  }

  @Override
  public JobSummary execute(Settings settings, SparkSession spark) {
    // the input pinned at one version: its count (from the Delta log's statistics) and the copy see the same rows
    Dataset<Row> table = DeltaTables.read(spark, input, DeltaTables.version(spark, input));
    long read = table.count();
    long before = DeltaTables.versionOrNone(spark, output);
    table.write().format("delta").mode(SaveMode.Overwrite).partitionBy(Bronze.DELIVERY_DATE).save(output);
    return counts(read, DeltaTables.rowsCommittedSince(spark, output, before));
  }
}
