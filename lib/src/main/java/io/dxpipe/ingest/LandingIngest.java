package io.dxpipe.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import io.dxpipe.catalogue.Disease;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.config.StorageSettings;
import io.dxpipe.ingest.IngestCheckpoint.PlannedFile;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.io.SerializableHadoopConf;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.IngestLog;
import io.dxpipe.schema.IngestLog.Outcome;
import io.dxpipe.schema.Quarantine;
import io.dxpipe.schema.Quarantine.Reason;
import io.dxpipe.spark.SparkCompat;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * Incremental, exactly-once ingest of the landing zone into the bronze, quarantine and ingest-log
 * Delta tables. Runs on the driver; files are read and parsed in executors.
 *
 * <p>Each run: (1) replays the pending batch of {@link IngestCheckpoint}, if a run died in one; (2)
 * lists every landing entry ({@link LandingListing}); (3) takes each file not taken before, or
 * changed since (size or modification time) when it was quarantined whole or re-sent, leaving files
 * modified within {@code settle-time} for a later run; (4) plans batches of up to
 * {@code max-files-per-batch} files, each written to the checkpoint before it runs, then appended to
 * bronze, quarantine and the ingest log with Delta's idempotent writes ({@code txnAppId} = the
 * checkpoint's id, {@code txnVersion} = batch id) and marked done. Skipped entries (empty, hidden,
 * not a file) are counted in every run and recorded once in the ingest log.
 *
 * <p>Why not Spark's streaming file source (Auto Loader's open-source form), which earlier versions
 * used: it interprets file names as glob patterns ({@code g4*.json} took its batch's other files
 * twice), ignores files older than 7 days by default, drops zero-byte and hidden files without a
 * count, and never re-reads a file it has seen, so a file caught half-written was lost for good.
 */
public final class LandingIngest {
  private final SparkSession spark;
  private final IngestSettings settings;
  private final String landing;
  private final String bronze;
  private final String quarantine;
  private final String ingestLog;
  private final String checkpoint;
  private final PrintStream out;
  private final Map<String, String> diseaseCodes;
  private final IngestTotals totals = new IngestTotals();
  private RecordParser.Factory parsers = RecordParser::of;

  /** Ingests {@code storage.landing()}; the checkpoint is {@code <storage.checkpoints()>/ingest}. */
  public LandingIngest(SparkSession spark, IngestSettings settings, DiseaseCatalogue catalogue, StorageSettings storage,
      PrintStream out) {
    this.spark = spark;
    this.settings = settings;
    this.landing = storage.landing();
    this.bronze = storage.bronze();
    this.quarantine = storage.quarantine();
    this.ingestLog = storage.ingestLog();
    this.checkpoint = storage.checkpoints() + "/ingest";
    this.out = out;
    this.diseaseCodes = diseaseCodes(catalogue);
  }

  /** For tests: parsers other than {@link RecordParser#of} (one with a defect). */
  LandingIngest withParsers(RecordParser.Factory factory) {
    this.parsers = factory;
    return this;
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

  /** The latest ingest-log row of a path: what ingest last did with it. */
  record Taken(long size, long modificationTime, String sha256, Outcome outcome, String reason) {}

  public IngestTotals run() {
    String runId = UUID.randomUUID().toString();
    Timestamp ingestTime = new Timestamp(System.currentTimeMillis());
    var hadoopConf = spark.sparkContext().hadoopConfiguration();
    IngestCheckpoint ckpt = new IngestCheckpoint(checkpoint, hadoopConf);
    String appId = ckpt.appId();
    ckpt.adoptPendingStreamingBatch(landing);
    Set<String> takenNow = new HashSet<>();
    OptionalLong pending = ckpt.pending();
    if (pending.isPresent()) {
      List<PlannedFile> plan = ckpt.readPlan(pending.getAsLong());
      out.printf(Locale.ROOT, "[dxpipe] ingest: replaying batch %d (%,d entries) of a run that stopped before it was "
          + "done; what it had written is kept, not written twice%n", pending.getAsLong(), plan.size());
      runBatch(ckpt, pending.getAsLong(), plan, appId, runId, ingestTime);
      plan.forEach(p -> takenNow.add(p.path()));
    }

    long listStart = System.nanoTime();
    List<LandingListing.Entry> entries = LandingListing.list(landing, hadoopConf, settings.listingThreads());
    Map<String, Taken> taken = taken(entries, ckpt.takenByStreamingVersion());
    out.printf(Locale.ROOT, "[dxpipe] ingest: %,d landing entries listed, %,d paths in the ingest log (%.1f s)%n",
        entries.size(), taken.size(), (System.nanoTime() - listStart) / 1e9);
    List<PlannedFile> toTake = decide(entries, taken, takenNow);
    totals.planned = toTake.stream().filter(p -> p.skip() == null).count();
    for (int from = 0; from < toTake.size(); from += settings.maxFilesPerBatch()) {
      List<PlannedFile> plan = toTake.subList(from, Math.min(toTake.size(), from + settings.maxFilesPerBatch()));
      long batchId = ckpt.nextBatchId();
      ckpt.writePlan(batchId, new ArrayList<>(plan));
      runBatch(ckpt, batchId, plan, appId, runId, ingestTime);
    }
    totals.runId = runId;
    return totals;
  }

  /**
   * What to take of the listed entries, counting each in {@link #totals}: new files, files changed
   * since ingest took them, files above a size limit since raised, and skipped entries not yet
   * recorded; files that would be taken but were modified within the settle time are deferred.
   */
  private List<PlannedFile> decide(List<LandingListing.Entry> entries, Map<String, Taken> taken, Set<String> takenNow) {
    List<PlannedFile> toTake = new ArrayList<>();
    Pseudonymizer pseudonymizer = new Pseudonymizer(settings.patientKey());
    long settledBefore = System.currentTimeMillis() - settings.settleTime().toMillis();
    for (LandingListing.Entry e : entries) {
      totals.listed++;
      Taken before = taken.get(e.path());
      if (!e.taken()) {
        totals.skipped.merge(e.skip().name(), 1L, Long::sum);
        totals.skippedRefs.computeIfAbsent(e.skip().name(), k -> new ArrayList<>()).add(reference(e, pseudonymizer));
        boolean recorded = before != null && before.outcome() == Outcome.SKIPPED && e.skip().name().equals(before.reason())
            && before.size() == e.size() && before.modificationTime() == e.modificationTime();
        if (!recorded && !takenNow.contains(e.path())) {
          toTake.add(new PlannedFile(e.path(), e.relative(), e.size(), e.modificationTime(), null, e.skip()));
        }
      } else if (takenNow.contains(e.path())) {
        totals.replayed++;
      } else {
        boolean fresh = before == null || before.outcome() == Outcome.SKIPPED;
        // changed since taken: completed after a truncated copy, or re-sent under the same name
        boolean changed = !fresh && (before.size() != e.size() || before.modificationTime() != e.modificationTime());
        boolean limitRaised = !fresh && Reason.FILE_TOO_LARGE.name().equals(before.reason())
            && e.size() <= settings.maxFileSize();
        if (!fresh && !changed && !limitRaised) {
          totals.alreadyTaken++;
        } else if (e.modificationTime() > settledBefore) {
          totals.deferred++;
        } else {
          totals.retaken += fresh ? 0 : 1;
          toTake.add(new PlannedFile(e.path(), e.relative(), e.size(), e.modificationTime(),
              changed ? before.sha256() : null, null));
        }
      }
    }
    return toTake;
  }

  /** The reference under which the summary names a skipped entry (its name may carry identifiers). */
  private String reference(LandingListing.Entry e, Pseudonymizer pseudonymizer) {
    PlannedFile f = new PlannedFile(e.path(), e.relative(), e.size(), e.modificationTime(), null, e.skip());
    return FileIngestor.fileReference(pseudonymizer, f, FileIngestor.Location.of(e.relative(), settings));
  }

  /**
   * The latest ingest-log row per path (empty before the first run), and for the listed files the
   * streaming version of ingest took (path to modification time), an entry as if ingested: with
   * the listed size if the time is unchanged, so that only changed ones are taken again.
   */
  private Map<String, Taken> taken(List<LandingListing.Entry> entries, Map<String, Long> streamingTaken) {
    Map<String, Taken> taken = new HashMap<>();
    if (DeltaTables.exists(spark, ingestLog)) {
      readIngestLog(taken);
    }
    if (!streamingTaken.isEmpty()) {
      for (LandingListing.Entry e : entries) {
        Long time = streamingTaken.get(e.path());
        if (time != null && !taken.containsKey(e.path())) {
          taken.put(e.path(), new Taken(time == e.modificationTime() ? e.size() : -1, time, null, Outcome.INGESTED, null));
        }
      }
    }
    return taken;
  }

  private void readIngestLog(Map<String, Taken> taken) {
    Dataset<Row> latest = spark.read().format("delta").load(ingestLog)
        .withColumn("_n", org.apache.spark.sql.functions.row_number().over(
            Window.partitionBy(IngestLog.PATH).orderBy(col(IngestLog.BATCH_ID).desc())))
        .filter(col("_n").equalTo(1))
        .select(IngestLog.PATH, IngestLog.SIZE, IngestLog.MODIFICATION_TIME, IngestLog.CONTENT_SHA256, IngestLog.OUTCOME,
            IngestLog.REASON_CODE);
    for (Row r : latest.collectAsList()) {
      taken.put(r.getString(0), new Taken(r.getLong(1), r.getLong(2), r.getString(3), Outcome.valueOf(r.getString(4)),
          r.getString(5)));
    }
  }

  private void runBatch(IngestCheckpoint ckpt, long batchId, List<PlannedFile> plan, String appId, String runId,
      Timestamp ingestTime) {
    long start = System.nanoTime();
    FileIngestor ingestor = new FileIngestor(settings, diseaseCodes, runId, ingestTime, batchId,
        new SerializableHadoopConf(spark.sparkContext().hadoopConfiguration()), parsers);
    Dataset<Row> outcome = outcomes(spark, ingestor, plan).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      append(outcome, FileIngestor.KIND_BRONZE, bronze, Bronze.PARTITION_BY, appId, batchId);
      append(outcome, FileIngestor.KIND_QUARANTINE, quarantine, Quarantine.PARTITION_BY, appId, batchId);
      append(outcome, FileIngestor.KIND_LOG, ingestLog, IngestLog.PARTITION_BY, appId, batchId);
      ckpt.markDone(batchId);
      IngestTotals batchTotals = tally(outcome);
      totals.add(batchTotals);
      out.printf(Locale.ROOT, "[dxpipe] ingest batch %d: %,d files (%,d quarantined whole, %,d unchanged), %,d records "
              + "-> %,d bronze, %,d quarantined in %.1f s%n", batchId, batchTotals.files, batchTotals.unreadableFiles,
          batchTotals.unchanged, batchTotals.records(), batchTotals.bronze, batchTotals.quarantinedRecords,
          (System.nanoTime() - start) / 1e9);
    } finally {
      outcome.unpersist();
    }
  }

  /** The outcome rows ({@link FileIngestor#SCHEMA}) of a plan's files, read and parsed in executors. */
  private static Dataset<Row> outcomes(SparkSession spark, FileIngestor ingestor, List<PlannedFile> plan) {
    long bytes = plan.stream().mapToLong(p -> p.skip() == null ? p.size() : 0).sum();
    // at least 4 tasks per core (no core idles behind a last big task), at most 64 MB per task
    int slices = (int) Math.max(1, Math.min(plan.size(), Math.max(4L * spark.sparkContext().defaultParallelism(),
        bytes / (64L << 20))));
    JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(new ArrayList<>(plan), slices)
        .mapPartitions((FlatMapFunction<java.util.Iterator<PlannedFile>, Row>) ingestor::ingestPlanned);
    return spark.createDataFrame(rows, FileIngestor.SCHEMA);
  }

  /**
   * The outcome rows of every file under {@code path} (laid out as landing), parsed and validated as
   * ingest would, without writing anything or remembering the files: for scoring raw files ad hoc.
   */
  public static Dataset<Row> parseWithoutIngesting(SparkSession spark, IngestSettings settings,
      DiseaseCatalogue catalogue, String path, String runId) {
    var conf = spark.sparkContext().hadoopConfiguration();
    List<PlannedFile> plan = new ArrayList<>();
    for (LandingListing.Entry e : LandingListing.list(path, conf, settings.listingThreads())) {
      if (e.taken()) {
        plan.add(new PlannedFile(e.path(), e.relative(), e.size(), e.modificationTime(), null, null));
      }
    }
    FileIngestor ingestor = new FileIngestor(settings, diseaseCodes(catalogue), runId,
        new Timestamp(System.currentTimeMillis()), -1, new SerializableHadoopConf(conf));
    return outcomes(spark, ingestor, plan);
  }

  private static void append(Dataset<Row> outcome, String kind, String table, List<String> partitionBy, String appId,
      long batchId) {
    outcome.filter(col(FileIngestor.KIND).equalTo(kind)).select(kind + ".*")
        .write().format("delta").mode(SaveMode.Append).partitionBy(partitionBy.toArray(String[]::new))
        .option("txnAppId", appId).option("txnVersion", batchId)
        .option("mergeSchema", "true") // a table from before a column was added (bronze's inputs) gains it
        .save(table);
  }

  private static IngestTotals tally(Dataset<Row> outcome) {
    IngestTotals t = new IngestTotals();
    Dataset<Row> keyed = outcome.select(
        col(FileIngestor.KIND),
        org.apache.spark.sql.functions.coalesce(col("log.source"), col("bronze.source"), col("quarantine.source"), lit(""))
            .as("source"),
        col("log.outcome").as("outcome"),
        org.apache.spark.sql.functions.coalesce(col("quarantine.reason_code"), col("log.reason_code")).as("reason"),
        col("quarantine.record_index").isNull().as("file_level"));
    for (Row r : keyed.groupBy("kind", "source", "outcome", "reason", "file_level").agg(count(lit(1)).as("n"))
        .collectAsList()) {
      String kind = r.getString(0);
      String source = r.getString(1);
      long n = r.getLong(5);
      switch (kind) {
        case FileIngestor.KIND_LOG -> {
          Outcome o = Outcome.valueOf(r.getString(2));
          if (o == Outcome.SKIPPED) {
            if (IngestLog.SkipReason.VANISHED.name().equals(r.getString(3))) {
              t.vanished += n;
            }
            continue;
          }
          t.files += n;
          if (o == Outcome.QUARANTINED) {
            t.unreadableFiles += n;
          } else if (o == Outcome.UNCHANGED) {
            t.unchanged += n;
          }
          t.filesPerSource.merge(source.isEmpty() ? "(no source)" : source, n, Long::sum);
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
}
