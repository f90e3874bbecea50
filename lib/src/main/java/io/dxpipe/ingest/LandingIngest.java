package io.dxpipe.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dxpipe.catalogue.Disease;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.io.StorageFiles;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Quarantine;
import io.dxpipe.spark.SparkCompat;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.storage.StorageLevel;

/**
 * Incremental, exactly-once ingest of the landing zone into bronze and quarantine Delta tables.
 *
 * <p>How: Spark Structured Streaming's file source over {@code <landing>/<source>/<date>/<file>}
 * in {@code binaryFile} format with {@code Trigger.AvailableNow} (the open-source form of
 * Databricks Auto Loader): its checkpoint remembers which files were taken, and each micro-batch
 * is planned (its file list written to the checkpoint's offset log) before it runs. Each batch is
 * parsed once, then appended to bronze and to quarantine with Delta's idempotent-write options
 * ({@code txnAppId} = this checkpoint's query id, {@code txnVersion} = batch id). A run killed after
 * a Delta commit but before the checkpoint's commit replays the same batch on restart, and Delta
 * skips the writes it already holds: no duplicates, and no gaps since a batch's files are only
 * forgotten once both tables have it. Runs on the driver; parsing runs in executors.
 */
public final class LandingIngest {
  /** Spark's binaryFile source schema (a streaming read must state it). */
  static final org.apache.spark.sql.types.StructType BINARY_FILE = org.apache.spark.sql.types.DataTypes.createStructType(
      java.util.List.of(
          org.apache.spark.sql.types.DataTypes.createStructField("path", org.apache.spark.sql.types.DataTypes.StringType, false),
          org.apache.spark.sql.types.DataTypes.createStructField("modificationTime",
              org.apache.spark.sql.types.DataTypes.TimestampType, false),
          org.apache.spark.sql.types.DataTypes.createStructField("length", org.apache.spark.sql.types.DataTypes.LongType, false),
          org.apache.spark.sql.types.DataTypes.createStructField("content", org.apache.spark.sql.types.DataTypes.BinaryType, true)));

  private final SparkSession spark;
  private final IngestSettings settings;
  private final String landing;
  private final String bronze;
  private final String quarantine;
  private final String checkpoint;
  private final PrintStream out;
  private final Map<String, String> diseaseCodes;
  private final IngestTotals totals = new IngestTotals();
  private String queryId;

  public LandingIngest(SparkSession spark, IngestSettings settings, DiseaseCatalogue catalogue, String landing,
      String bronze, String quarantine, String checkpoint, PrintStream out) {
    this.spark = spark;
    this.settings = settings;
    this.landing = landing;
    this.bronze = bronze;
    this.quarantine = quarantine;
    this.checkpoint = checkpoint;
    this.out = out;
    this.diseaseCodes = diseaseCodes(catalogue);
  }

  /** Lower-case disease names and codes of the catalogue to their code: the default diagnosis mapping. */
  public static Map<String, String> diseaseCodes(DiseaseCatalogue catalogue) {
    Map<String, String> codes = new HashMap<>();
    for (Disease d : catalogue.diseases()) {
      codes.put(d.code().toLowerCase(Locale.ROOT), d.code());
      codes.put(d.name().toLowerCase(Locale.ROOT), d.code());
    }
    return codes;
  }

  public IngestTotals run() throws TimeoutException, StreamingQueryException {
    // Many small files: cost a file open at 16 KB (not 4 MB), so a task takes thousands of files.
    spark.conf().set("spark.sql.files.openCostInBytes", settings.openCostInBytes());
    // ...and split a batch into 4 tasks per core, so that no core idles behind a last big task.
    spark.conf().set("spark.sql.files.minPartitionNum", 4 * spark.sparkContext().defaultParallelism());
    if (landing.startsWith("file:")) {
      // Each batch names its files one by one; above 32 paths Spark lists them with a Spark job
      // of up to 10,000 tasks. On a local disk the driver does it far faster (fork-free listing:
      // NoForkLocalFileSystem). On object stores the parallel listing stays.
      spark.conf().set("spark.sql.sources.parallelPartitionDiscovery.threshold", Integer.MAX_VALUE);
    }
    String runId = UUID.randomUUID().toString();
    Timestamp ingestTime = new Timestamp(System.currentTimeMillis());
    FileIngestor ingestor = new FileIngestor(settings, diseaseCodes, runId, ingestTime);
    Dataset<Row> files = spark.readStream()
        .format("binaryFile")
        .schema(BINARY_FILE)
        .option("maxFilesPerTrigger", settings.maxFilesPerBatch())
        .load(landing + "/*/*"); // <source>/<yyyy-MM-dd>/: directories, whose files are listed in bulk
    StreamingQuery query = files.writeStream()
        .queryName("dxpipe-ingest")
        .trigger(Trigger.AvailableNow())
        .option("checkpointLocation", checkpoint)
        .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, batchId) -> writeBatch(batch, batchId, ingestor))
        .start();
    query.awaitTermination();
    totals.runId = runId;
    return totals;
  }

  private void writeBatch(Dataset<Row> batch, long batchId, FileIngestor ingestor) throws Exception {
    long start = System.nanoTime();
    Dataset<Row> outcome = batch.select("path", "content")
        .mapPartitions((MapPartitionsFunction<Row, Row>) ingestor::ingest, SparkCompat.rowEncoder(FileIngestor.SCHEMA))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      String appId = "dxpipe-ingest-" + queryId();
      outcome.filter(col(FileIngestor.KIND).equalTo(FileIngestor.KIND_BRONZE)).select(FileIngestor.KIND_BRONZE + ".*")
          .write().format("delta").mode(SaveMode.Append).partitionBy(Bronze.PARTITION_BY.toArray(String[]::new))
          .option("txnAppId", appId).option("txnVersion", batchId)
          .save(bronze);
      outcome.filter(col(FileIngestor.KIND).equalTo(FileIngestor.KIND_QUARANTINE)).select(FileIngestor.KIND_QUARANTINE + ".*")
          .write().format("delta").mode(SaveMode.Append).partitionBy(Quarantine.PARTITION_BY.toArray(String[]::new))
          .option("txnAppId", appId).option("txnVersion", batchId)
          .save(quarantine);
      IngestTotals batchTotals = tally(outcome);
      totals.add(batchTotals);
      out.printf(Locale.ROOT, "[dxpipe] ingest batch %d: %,d files (%,d unreadable), %,d records -> %,d bronze, %,d quarantined "
              + "in %.1f s%n", batchId, batchTotals.files, batchTotals.unreadableFiles, batchTotals.records(),
          batchTotals.bronze, batchTotals.quarantinedRecords, (System.nanoTime() - start) / 1e9);
    } finally {
      outcome.unpersist();
    }
  }

  private static IngestTotals tally(Dataset<Row> outcome) {
    IngestTotals t = new IngestTotals();
    Dataset<Row> keyed = outcome.select(
        col(FileIngestor.KIND),
        org.apache.spark.sql.functions.coalesce(col(FileIngestor.FILE_SOURCE), col("bronze.source"), col("quarantine.source"))
            .as("source"),
        org.apache.spark.sql.functions.coalesce(col(FileIngestor.FILE_UNREADABLE), lit(false)).as("unreadable"),
        col("quarantine.reason_code").as("reason"),
        col("quarantine.record_index").isNull().as("file_level"),
        org.apache.spark.sql.functions.coalesce(col(FileIngestor.FILE_RECORDS), lit(0)).as("records"));
    for (Row r : keyed.groupBy("kind", "source", "unreadable", "reason", "file_level")
        .agg(count(lit(1)).as("n"), sum("records").as("records")).collectAsList()) {
      String kind = r.getString(0);
      String source = r.getString(1);
      long n = r.getLong(5);
      switch (kind) {
        case FileIngestor.KIND_FILE -> {
          t.files += n;
          if (r.getBoolean(2)) {
            t.unreadableFiles += n;
          }
          t.filesPerSource.merge(source, n, Long::sum);
        }
        case FileIngestor.KIND_BRONZE -> {
          t.bronze += n;
          t.bronzePerSource.merge(source, n, Long::sum);
        }
        default -> {
          if (!r.getBoolean(4)) {
            t.quarantinedRecords += n;
          }
          t.quarantinedPerReason.merge(r.getString(3), n, Long::sum);
        }
      }
    }
    return t;
  }

  /** The streaming query's id, from its checkpoint: stable across restarts, new for a new checkpoint. */
  private String queryId() throws java.io.IOException {
    if (queryId == null) {
      String metadata = new StorageFiles(checkpoint, spark.sparkContext().hadoopConfiguration())
          .readString(checkpoint + "/metadata");
      queryId = new ObjectMapper().readTree(metadata).get("id").asText();
    }
    return queryId;
  }
}
