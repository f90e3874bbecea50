package io.dxpipe.jobs;

import io.dxpipe.job.JobRunner;
import io.dxpipe.job.JobSummary;
import org.apache.spark.sql.SaveMode;

/**
 * I/O-only reference for scripts/bench-generate.sh: writes {@code bench.records} text lines of
 * {@code bench.bytes-per-record} bytes with Spark's own text writer, in as many tasks as the
 * generator uses, to the same storage. What the generator achieves against this is the cost of
 * synthesising and rendering records on top of writing their bytes.
 * Arguments: {@code --conf FILE OUTPUT_URI RECORDS BYTES_PER_RECORD PARTITIONS}.
 */
public final class WriteReferenceBenchmark {
  private WriteReferenceBenchmark() {}

  public static void main(String[] args) {
    if (args.length != 6 || !args[0].equals("--conf")) {
      System.out.println("Usage: WriteReferenceBenchmark --conf FILE OUTPUT_URI RECORDS BYTES_PER_RECORD PARTITIONS");
      System.exit(JobRunner.USAGE);
    }
    String output = args[2];
    long records = Long.parseLong(args[3]);
    int bytesPerRecord = Integer.parseInt(args[4]);
    int partitions = Integer.parseInt(args[5]);
    int code = new JobRunner("WriteReferenceBenchmark", "I/O-only reference", System.out)
        .run(new String[] {"--conf", args[1]}, (settings, spark) -> {
          spark.range(0, records, 1, partitions)
              .selectExpr("repeat('x', " + Math.max(1, bytesPerRecord - 1) + ") AS value")
              .write().mode(SaveMode.Overwrite).text(output);
          return new JobSummary("WriteReferenceBenchmark", 0, records, 0, JobSummary.Balance.SOURCE)
              .detail("bytes", records * (long) bytesPerRecord);
        });
    if (code != JobRunner.OK) {
      System.exit(code);
    }
  }
}
