package io.dxpipe.jobs;

import io.dxpipe.config.Settings;
import io.dxpipe.job.Job;
import io.dxpipe.job.JobRunner;
import io.dxpipe.job.JobSummary;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * I/O-only reference for scripts/bench-generate.sh: writes {@code bench.records} text lines of
 * {@code bench.bytes-per-record} bytes with Spark's own text writer, in as many tasks as the
 * generator uses, to the same storage. What the generator achieves against this is the cost of
 * synthesising and rendering records on top of writing their bytes.
 * Arguments: {@code --conf FILE OUTPUT_URI RECORDS BYTES_PER_RECORD PARTITIONS}.
 */
public final class WriteReferenceBenchmark implements Job<Settings> {
  private final String output;
  private final long records;
  private final int bytesPerRecord;
  private final int partitions;

  private WriteReferenceBenchmark(String output, long records, int bytesPerRecord, int partitions) {
    this.output = output;
    this.records = records;
    this.bytesPerRecord = bytesPerRecord;
    this.partitions = partitions;
  }

  public static void main(String[] args) {
    if (args.length != 6 || !args[0].equals("--conf")) {
      System.out.println("Usage: WriteReferenceBenchmark --conf FILE OUTPUT_URI RECORDS BYTES_PER_RECORD PARTITIONS");
      System.exit(JobRunner.USAGE);
    }
    JobRunner.main(new WriteReferenceBenchmark(args[2], Long.parseLong(args[3]), Integer.parseInt(args[4]),
        Integer.parseInt(args[5])), new String[] {"--conf", args[1]});
  }

  @Override
  public String name() {
    return "WriteReferenceBenchmark";
  }

  @Override
  public String description() {
    return "I/O-only reference";
  }

  @Override
  public Settings settings(Settings settings) {
    return settings; // nothing of its own: the session's settings are all it uses
  }

  @Override
  public JobSummary execute(Settings settings, SparkSession spark) {
    spark.range(0, records, 1, partitions)
        .selectExpr("repeat('x', " + Math.max(1, bytesPerRecord - 1) + ") AS value")
        .write().mode(SaveMode.Overwrite).text(output);
    return new JobSummary("WriteReferenceBenchmark", 0, records, 0, JobSummary.Balance.SOURCE)
        .detail("bytes", records * (long) bytesPerRecord);
  }
}
