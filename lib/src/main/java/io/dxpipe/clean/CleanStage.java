package io.dxpipe.clean;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.size;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.config.Settings;
import io.dxpipe.config.StorageSettings;
import io.dxpipe.io.CommitMetadata;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.quality.EvaluationContext;
import io.dxpipe.quality.QualityReport;
import io.dxpipe.quality.QualityResultsTable;
import io.dxpipe.quality.QualitySettings;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Quarantine;
import io.dxpipe.schema.Silver;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The clean job's work: checks bronze, builds silver and the duplicates table, checks silver, and
 * only then writes (write-audit-publish): an error-severity check that fails leaves silver as it was.
 * Check results are stored either way. Silver is replaced as a whole ({@code delivery-date = all}) or
 * one delivery-date partition at a time, so re-runs never duplicate records.
 */
public final class CleanStage {
  public static final String JOB = "CleanJob";

  /** What the run read, wrote and found. bronze = silver + duplicates. */
  public record Totals(String runId, String input, long bronze, long silver, long duplicates,
      Map<String, Long> duplicatesPerRule, long flaggedRecords, Map<String, Long> flags, List<QualityReport> quality) {}

  /**
   * Everything the stage reads from the configuration, read once by {@link #parse}: that is the
   * validation (it runs before Spark starts), and the stage reads nothing else.
   *
   * @param vocabularies the clean rules with their vocabulary files loaded
   */
  public record Options(StorageSettings storage, CleanSettings clean, QualitySettings quality,
      SilverBuilder vocabularies) {

    /** Reads every setting and vocabulary the stage needs, failing on the first bad one. */
    public static Options parse(Settings settings) {
      CleanSettings clean = CleanSettings.from(settings.config().dxpipe());
      return new Options(settings.storage(), clean, QualitySettings.from(settings.config().dxpipe()),
          SilverBuilder.load(clean, DiseaseCatalogue.fromClasspath()));
    }
  }

  private final SparkSession spark;
  private final Options settings;
  private final CleanSettings clean;
  private final PrintStream out;

  public CleanStage(SparkSession spark, Options settings, PrintStream out) {
    this.spark = spark;
    this.settings = settings;
    this.clean = settings.clean();
    this.out = out;
  }

  public Totals run() {
    StorageSettings storage = settings.storage();
    QualitySettings quality = settings.quality();
    SilverBuilder builder = settings.vocabularies();
    QualityResultsTable results = new QualityResultsTable(spark, storage.quality());
    String runId = UUID.randomUUID().toString();
    LocalDate date = clean.deliveryDate();
    String scope = date == null ? "all" : date.toString();
    String replaceWhere = date == null ? null : Bronze.DELIVERY_DATE + " = '" + date + "'";

    out.println("[dxpipe] symptoms: " + builder.symptoms().hpoSummary());
    io.dxpipe.job.StepTimer step = new io.dxpipe.job.StepTimer(out);
    long bronzeVersion = DeltaTables.version(spark, storage.bronze(), "the ingest job");
    Dataset<Row> bronze = io.dxpipe.schema.DeclaredInputs.withColumn(DeltaTables.read(spark, storage.bronze(),
        bronzeVersion));
    String input = "bronze@v" + bronzeVersion + " deliveries=" + scope;
    if (date != null) {
      bronze = bronze.filter(col(Bronze.DELIVERY_DATE).equalTo(lit(java.sql.Date.valueOf(date))));
    }
    bronze = bronze.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long quarantined = quarantinedRecords(storage.quarantine(), date);
      EvaluationContext context = EvaluationContext.of(LocalDate.now(ZoneOffset.UTC));
      step.done("read " + input + ", " + quarantined + " quarantined records of the same deliveries");
      QualityReport bronzeReport = quality.suite("bronze").run(bronze, input, context.withQuarantinedRows(quarantined));
      results.writeAndEnforce(JOB, runId, bronzeReport, out);
      step.done("checked bronze");

      long bronzeRows = bronze.count();
      Deduplication.Result built = builder.build(bronze, runId, Timestamp.from(Instant.now()));
      if (date != null && DeltaTables.exists(spark, storage.silver())) {
        // a per-date run sees one day: records silver holds from other deliveries are duplicates too
        Dataset<Row> otherDays = spark.read().format("delta").load(storage.silver())
            .filter(col(Bronze.DELIVERY_DATE).notEqual(lit(java.sql.Date.valueOf(date))));
        Deduplication.Result known = Deduplication.dropAlreadyInSilver(built.kept(), otherDays);
        built = new Deduplication.Result(known.kept(),
            built.dropped().unionByName(known.dropped().withColumn(Silver.CLEAN_RUN_ID, lit(runId))));
      }
      Dataset<Row> silver = built.kept().persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> duplicates = built.dropped().persist(StorageLevel.MEMORY_AND_DISK());
      try {
        long silverRows = silver.count();
        long duplicateRows = duplicates.count();
        step.done(String.format(java.util.Locale.ROOT, "cleaned %,d bronze records: %,d kept, %,d duplicates",
            silverRows + duplicateRows, silverRows, duplicateRows));
        QualityReport silverReport = quality.suite("silver").run(silver, input, context);
        results.writeAndEnforce(JOB, runId, silverReport, out);
        step.done("checked silver");

        CommitMetadata metadata = CommitMetadata.of("clean_run_id", runId, "input", input);
        DeltaTables.replace(silver, storage.silver(), Silver.PARTITION_BY, replaceWhere, metadata);
        DeltaTables.replace(duplicates, storage.duplicates(), Silver.PARTITION_BY, replaceWhere, metadata);
        step.done("wrote silver and duplicates");
        return new Totals(runId, input, bronzeRows, silverRows, duplicateRows,
            countBy(duplicates.groupBy(Silver.Duplicates.RULE).count()),
            silver.filter(size(col(Silver.QUALITY_FLAGS)).gt(0)).count(),
            countBy(silver.select(explode(col(Silver.QUALITY_FLAGS)).as("f"))
                .select(regexp_extract(col("f"), "^([^:]+):", 1).as("kind")).groupBy("kind").count()),
            List.of(bronzeReport, silverReport));
      } finally {
        silver.unpersist();
        duplicates.unpersist();
      }
    } finally {
      bronze.unpersist();
    }
  }

  private long quarantinedRecords(String path, LocalDate date) {
    Dataset<Row> q = DeltaTables.readOrEmpty(spark, path, Quarantine.SCHEMA);
    if (date != null) {
      q = q.filter(col(Quarantine.DELIVERY_DATE).equalTo(lit(java.sql.Date.valueOf(date))));
    }
    return q.count();
  }

  private static Map<String, Long> countBy(Dataset<Row> counts) {
    Map<String, Long> map = new TreeMap<>();
    for (Row r : counts.collectAsList()) {
      map.put(String.valueOf(r.get(0)), r.getLong(1));
    }
    return map;
  }
}
