package io.dxpipe.score;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.config.Secrets;
import io.dxpipe.config.Settings;
import io.dxpipe.config.StorageSettings;
import io.dxpipe.io.CommitMetadata;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.job.StepTimer;
import io.dxpipe.mlflow.MlflowSettings;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Predictions;
import io.dxpipe.schema.Schemas;
import io.dxpipe.spark.TaskProgress;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;

/**
 * The daily scoring job's work: one day's records (silver; bronze, or raw files for an ad-hoc run,
 * cleaned here by the clean job's rules),
 * the registered model (alias {@code champion} by default), and two Delta tables partitioned by
 * scoring date, each replaced for that date only, so a re-run never duplicates:
 * <ul>
 *   <li>predictions: record and patient key, the predicted disease and its probability, the top 3
 *       diseases with probabilities, orphan flags, the model's name, version, run and location, and
 *       when it was scored;</li>
 *   <li>rejected records with a reason: a record without any symptom, or with none the model knows,
 *       would be predicted from demographics alone.</li>
 * </ul>
 * Without {@code score.partitions} the input keeps Spark's file splits, which the file source sizes
 * to the cluster's cores, and the whole scoring is one stage without a shuffle. Two engines
 * ({@code score.engine}):
 * <ul>
 *   <li>row: one pass ({@link RowScoring}): each cleaned record is rejected or ranked by the row
 *       evaluator, broadcast compiled; the rejects come back to the driver with the pass's counts
 *       (up to {@code rejects-in-pass}, else a second pass writes them) and are written after the
 *       predictions. The commits' row counts are checked against the pass's scored and rejected
 *       counts; read is the pass's own count (scored + rejected), not an independent one.</li>
 *   <li>pipeline: {@code PipelineModel.transform} as column stages; the rejects are written first, by a
 *       pass that cleans only the records that can be rejected; the input is counted on its own.</li>
 * </ul>
 */
public final class ScoreStage {
  public static final String JOB = "ScoreJob";
  public static final String NO_SYMPTOMS = "no-symptoms";
  public static final String NO_KNOWN_SYMPTOMS = "no-known-symptoms";
  private static final String REASON_CODE = "_reason_code";

  /** What the run read and wrote. */
  public record Totals(String runId, String input, long read, long scored, long rejected,
      Map<String, Long> rejectedPerReason, long orphanPredicted, long orphanInTop3, ScoringModel model,
      int tasks, double scoringSeconds) {}

  /**
   * Everything the stage reads from the configuration, read once by {@link #parse}: that is the
   * validation (it runs before Spark starts), and the stage reads nothing else.
   *
   * @param records what reading the day's records needs (the clean rules for bronze, the ingest
   *     settings for raw files)
   */
  public record Options(StorageSettings storage, ScoreSettings score, MlflowSettings mlflow,
      DailyRecords.Sources records) {

    /** Reads every setting the stage needs, failing on the first bad one. */
    public static Options parse(Settings settings) {
      ScoreSettings score = ScoreSettings.from(settings.config().dxpipe());
      return new Options(settings.storage(), score, MlflowSettings.from(settings.config().dxpipe()),
          DailyRecords.Sources.parse(settings, score.input()));
    }
  }

  private final SparkSession spark;
  private final Options settings;
  private final ScoreSettings score;
  private final MlflowSettings mlflow;
  private final PrintStream out;

  public ScoreStage(SparkSession spark, Options settings, PrintStream out) {
    this.spark = spark;
    this.settings = settings;
    this.score = settings.score();
    this.mlflow = settings.mlflow();
    this.out = out;
  }

  public Totals run() {
    StepTimer step = new StepTimer(out);
    String runId = UUID.randomUUID().toString();
    Timestamp scoredAt = Timestamp.from(Instant.now());
    ScoringModel model = ScoringModel.resolve(score, mlflow, spark.sparkContext().hadoopConfiguration());
    step.done("loaded " + model.describe() + " from " + model.uri() + ": " + model.labels().size() + " diseases, "
        + model.symptomVocabulary().size() + " known symptoms");

    DailyRecords.Input input = DailyRecords.read(spark, settings.records(), score.input(), score.date(), score.landingPath());
    try {
      return score(input, model, runId, scoredAt, step);
    } finally {
      input.release();
    }
  }

  private Totals score(DailyRecords.Input input, ScoringModel model, String runId, Timestamp scoredAt,
      StepTimer step) {
    io.dxpipe.serve.RowEvaluator evaluator = rowEngine(model);
    return evaluator != null ? scoreInOnePass(input, model, evaluator, runId, scoredAt, step)
        : scoreByPipeline(input, model, runId, scoredAt, step);
  }

  /**
   * The row evaluator that scores this model, or null for the pipeline engine: {@code row}, or
   * {@code auto} with a model the row evaluator reproduces (compiled here, on the driver, once: a
   * refusal is said before any task, and the executors receive it compiled).
   */
  private io.dxpipe.serve.RowEvaluator rowEngine(ScoringModel model) {
    if (score.engine() == ScoreSettings.Engine.PIPELINE) {
      out.println("[dxpipe] engine: pipeline (PipelineModel.transform, rejects by a separate pass; dxpipe.score.engine)");
      return null;
    }
    try {
      io.dxpipe.serve.RowEvaluator evaluator = io.dxpipe.serve.RowEvaluator.forPrediction(model.model());
      out.println("[dxpipe] engine: row (one pass: each record rejected or ranked by the row evaluator; "
          + "dxpipe.score.engine)");
      return evaluator;
    } catch (io.dxpipe.serve.UnsupportedModelException e) {
      if (score.engine() == ScoreSettings.Engine.ROW) {
        throw new IllegalArgumentException("dxpipe.score.engine = row, but " + e.getMessage()
            + ": set dxpipe.score.engine = pipeline (or auto) to score this model by PipelineModel.transform", e);
      }
      out.println("[dxpipe] engine: pipeline, because " + e.getMessage() + " (dxpipe.score.engine = auto)");
      return null;
    }
  }

  private void warnIfEmpty(DailyRecords.Input input, long read) {
    if (read == 0) {
      out.println("[dxpipe] WARNING: " + Secrets.mask(input.description())
          + " holds no records: nothing to score (has the clean "
          + "job run for " + score.date() + "? dxpipe.score.date, dxpipe.score.input)");
    }
  }

  /**
   * The row engine: one pass over the cleaned records ({@link RowScoring}) writes the predictions;
   * the rejects it saw are written after, from the driver (or, above {@code rejects-in-pass}, by the
   * pipeline engine's reject pass). The counts: read from the pass, scored and rejected from the two
   * commits, checked against the pass's own.
   */
  private Totals scoreInOnePass(DailyRecords.Input input, ScoringModel model, io.dxpipe.serve.RowEvaluator evaluator,
      String runId, Timestamp scoredAt, StepTimer step) {
    StorageSettings storage = settings.storage();
    long unusable = input.unusable() == null ? 0 : input.unusable().count();
    Dataset<Row> records = score.partitions() > 0 ? input.records().repartition(score.partitions())
        : input.records();
    int tasks = records.rdd().getNumPartitions();
    step.done(String.format(Locale.ROOT, "planned %s in %d tasks%s", input.description(), tasks,
        unusable == 0 ? "" : String.format(Locale.ROOT, " (%,d unusable raw records or files)", unusable)));

    String date = score.date().toString();
    String replaceWhere = Predictions.SCORING_DATE + " = '" + date + "'";
    CommitMetadata metadata = CommitMetadata.of("score_run_id", runId, "input", input.description(), "model",
        model.describe());
    org.apache.spark.broadcast.Broadcast<io.dxpipe.serve.RowEvaluator> broadcast =
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(evaluator);
    // unnamed: Spark copies a named accumulator's whole value into every task's end event (and event log)
    org.apache.spark.util.CollectionAccumulator<RowScoring.PartitionStats> stats =
        new org.apache.spark.util.CollectionAccumulator<>();
    spark.sparkContext().register(stats);
    int rejectsPerTask = (int) Math.ceil(score.rejectsInPass() / (double) Math.max(1, tasks));
    RowScoring pass = new RowScoring(broadcast, model, DiseaseCatalogue.fromClasspath().orphanCodes(),
        score.minKnownSymptoms(), score.topK(), runId, scoredAt, java.sql.Date.valueOf(score.date()), rejectsPerTask,
        stats);
    Dataset<Row> predictions = records.mapPartitions(pass, io.dxpipe.spark.SparkCompat.rowEncoder(Predictions.SCHEMA));

    long start = System.nanoTime();
    long scoredRows;
    try (TaskProgress progress = new TaskProgress(spark, "score", tasks, out)) {
      scoredRows = DeltaTables.replaceCounting(predictions, storage.predictions(), Predictions.PARTITION_BY,
          replaceWhere, metadata);
    } finally {
      broadcast.destroy();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    RowScoring.Totals seen = RowScoring.Totals.of(stats.value());
    step.done(String.format(Locale.ROOT, "scored %,d records in %.1f s (%,.0f records/s) into %s; the pass read %,d "
        + "and rejected %,d", scoredRows, seconds, seen.read() / Math.max(seconds, 1e-9), storage.predictions(),
        seen.read(), seen.rejected()));
    if (seen.scored() != scoredRows) {
      throw new IllegalStateException(String.format(Locale.ROOT, "the counts of the score pass do not add up: it "
          + "read %d records, scored %d and rejected %d, and the predictions commit wrote %d rows", seen.read(),
          seen.scored(), seen.rejected(), scoredRows));
    }
    long read = seen.read() + unusable;
    warnIfEmpty(input, read);

    Dataset<Row> rejected;
    if (seen.allRejectsKept()) {
      List<Row> rows = seen.rejects().stream().map(r -> RowFactory.create(r.recordKey(), r.source(), r.patientKey(),
          r.code(), r.reason())).toList();
      rejected = spark.createDataFrame(rows, REJECT_COLUMNS);
    } else {
      out.println(String.format(Locale.ROOT, "[dxpipe] %,d rejected records, over dxpipe.score.rejects-in-pass "
          + "(%,d): written by a second pass over the input", seen.rejected(), score.rejectsInPass()));
      rejected = rejectedByPass(input, model);
    }
    long rejectedRows = writeRejects(rejected, input, runId, scoredAt, replaceWhere, metadata);
    if (rejectedRows != seen.rejected() + unusable) {
      throw new IllegalStateException(String.format(Locale.ROOT, "the scoring quarantine commit wrote %d rows, but "
          + "the pass rejected %d records and %d raw records or files were unusable", rejectedRows, seen.rejected(),
          unusable));
    }
    step.done(String.format(Locale.ROOT, "rejected %,d records (%s)", rejectedRows, storage.scoringQuarantine()));
    return new Totals(runId, input.description(), read, scoredRows, rejectedRows, rejectedPerReason(), seen.orphan(),
        seen.orphanInTop3(), model, tasks, seconds);
  }

  private static final org.apache.spark.sql.types.StructType REJECT_COLUMNS =
      org.apache.spark.sql.types.DataTypes.createStructType(List.of(
          org.apache.spark.sql.types.DataTypes.createStructField(Bronze.RECORD_KEY,
              org.apache.spark.sql.types.DataTypes.StringType, true),
          org.apache.spark.sql.types.DataTypes.createStructField(Bronze.SOURCE,
              org.apache.spark.sql.types.DataTypes.StringType, true),
          org.apache.spark.sql.types.DataTypes.createStructField(Bronze.PATIENT_KEY,
              org.apache.spark.sql.types.DataTypes.StringType, true),
          org.apache.spark.sql.types.DataTypes.createStructField(Predictions.Rejected.REASON_CODE,
              org.apache.spark.sql.types.DataTypes.StringType, false),
          org.apache.spark.sql.types.DataTypes.createStructField(Predictions.Rejected.REASON,
              org.apache.spark.sql.types.DataTypes.StringType, true)));

  /**
   * The rejected records by a pass of their own, without the model. Only a record with no symptom,
   * or with a symptom name that is not a code the model knows, can be rejected: only those
   * candidates are cleaned in this pass.
   */
  private Dataset<Row> rejectedByPass(DailyRecords.Input input, ScoringModel model) {
    Dataset<Row> candidates = input.cleaning().apply(input.raw().filter(mayBeRejected(model)));
    return candidates.withColumn(REASON_CODE, rejection(model)).filter(col(REASON_CODE).isNotNull())
        .select(col(Bronze.RECORD_KEY), col(Bronze.SOURCE), col(Bronze.PATIENT_KEY),
            col(REASON_CODE).as(Predictions.Rejected.REASON_CODE), reasonText(model).as(Predictions.Rejected.REASON));
  }

  /** Writes the rejects (and the input's unusable records) over the day's quarantine partition: the rows written. */
  private long writeRejects(Dataset<Row> rejected, DailyRecords.Input input, String runId, Timestamp scoredAt,
      String replaceWhere, CommitMetadata metadata) {
    if (input.unusable() != null) {
      rejected = rejected.unionByName(input.unusable());
    }
    rejected = rejected.withColumn(Predictions.SCORE_RUN_ID, lit(runId)).withColumn(Predictions.SCORED_AT,
        lit(scoredAt)).withColumn(Predictions.SCORING_DATE, lit(java.sql.Date.valueOf(score.date())));
    return DeltaTables.replaceCounting(Schemas.conform(rejected, Predictions.Rejected.SCHEMA, "rejected records"),
        settings.storage().scoringQuarantine(), Predictions.PARTITION_BY, replaceWhere, metadata);
  }

  /** The day's rejects per reason code, from the quarantine table. */
  private Map<String, Long> rejectedPerReason() {
    Map<String, Long> perReason = new TreeMap<>();
    spark.read().format("delta").load(settings.storage().scoringQuarantine())
        .filter(col(Predictions.SCORING_DATE).equalTo(lit(java.sql.Date.valueOf(score.date()))))
        .groupBy(Predictions.Rejected.REASON_CODE).count().collectAsList()
        .forEach(r -> perReason.put(r.getString(0), r.getLong(1)));
    return perReason;
  }

  /** The pipeline engine: an input count, a reject pass, then transform and the top k as column stages. */
  private Totals scoreByPipeline(DailyRecords.Input input, ScoringModel model, String runId, Timestamp scoredAt,
      StepTimer step) {
    StorageSettings storage = settings.storage();
    long unusable = input.unusable() == null ? 0 : input.unusable().count();
    long read = input.raw().count() + unusable; // cleaning keeps every record
    warnIfEmpty(input, read);
    Dataset<Row> records = score.partitions() > 0 ? input.records().repartition(score.partitions())
        : input.records();
    records = records.withColumn(REASON_CODE, rejection(model));
    int tasks = records.rdd().getNumPartitions();
    step.done(String.format(Locale.ROOT, "read %s: %,d records in %d tasks%s", input.description(), read, tasks,
        unusable == 0 ? "" : String.format(Locale.ROOT, " (%,d of them unusable raw records or files)", unusable)));

    String date = score.date().toString();
    String replaceWhere = Predictions.SCORING_DATE + " = '" + date + "'";
    CommitMetadata metadata = CommitMetadata.of("score_run_id", runId, "input", input.description(), "model",
        model.describe());
    Column scoringDate = lit(java.sql.Date.valueOf(score.date())).as(Predictions.SCORING_DATE);

    // rejected records first, without the model
    long rejectedRows = writeRejects(rejectedByPass(input, model), input, runId, scoredAt, replaceWhere, metadata);
    step.done(String.format(Locale.ROOT, "rejected %,d records (%s)", rejectedRows, storage.scoringQuarantine()));

    long start = System.nanoTime();
    Dataset<Row> scored = model.model().transform(records.filter(col(REASON_CODE).isNull()));
    Dataset<Row> predictions = predictionRows(scored, model, runId, scoredAt, scoringDate,
        score.topK());
    long scoredRows;
    try (TaskProgress progress = new TaskProgress(spark, "score", tasks, out)) {
      scoredRows = DeltaTables.replaceCounting(Schemas.conform(predictions, Predictions.SCHEMA, "predictions"),
          storage.predictions(), Predictions.PARTITION_BY,
          replaceWhere, metadata);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    step.done(String.format(Locale.ROOT, "scored %,d records in %.1f s (%,.0f records/s) into %s", scoredRows, seconds,
        scoredRows / Math.max(seconds, 1e-9), storage.predictions()));

    Dataset<Row> written = spark.read().format("delta").load(storage.predictions()).filter(col(Predictions.SCORING_DATE)
        .equalTo(lit(java.sql.Date.valueOf(score.date()))));
    Row orphans = written.agg(
        org.apache.spark.sql.functions.sum(when(col(Predictions.IS_ORPHAN), 1).otherwise(0)),
        org.apache.spark.sql.functions.sum(when(col(Predictions.ORPHAN_IN_TOP3), 1).otherwise(0))).first();
    return new Totals(runId, input.description(), read, scoredRows, rejectedRows, rejectedPerReason(),
        orphans.isNullAt(0) ? 0 : orphans.getLong(0), orphans.isNullAt(1) ? 0 : orphans.getLong(1), model, tasks,
        seconds);
  }

  /**
   * False only for a record that cannot be rejected: before any cleaning, it already names enough
   * distinct symptoms the model knows (cleaning keeps known codes as they are).
   */
  Column mayBeRejected(ScoringModel model) {
    Column names = transform(coalesce(col(Bronze.SYMPTOMS), array()), s -> s.getField(Bronze.SYMPTOM_NAME));
    Object[] vocabulary = model.symptomVocabulary().toArray();
    return size(array_distinct(filter(names, n -> n.isin(vocabulary)))).lt(Math.max(1, score.minKnownSymptoms()));
  }

  /** The reason code of a record the model cannot score, or null. */
  Column rejection(ScoringModel model) {
    Column names = transform(coalesce(col(Bronze.SYMPTOMS), array()), s -> s.getField(Bronze.SYMPTOM_NAME));
    Object[] vocabulary = model.symptomVocabulary().toArray();
    // IN with many values becomes a hash-set lookup (InSet)
    Column known = size(filter(names, n -> n.isin(vocabulary)));
    return when(size(names).equalTo(0), lit(NO_SYMPTOMS))
        .when(known.lt(Math.max(1, score.minKnownSymptoms())), lit(NO_KNOWN_SYMPTOMS));
  }

  private Column reasonText(ScoringModel model) {
    int min = Math.max(1, score.minKnownSymptoms());
    String describe = model.describe();
    UserDefinedFunction text = org.apache.spark.sql.functions.udf(
        (UDF2<String, scala.collection.Seq<String>, String>) (code, names) -> rejectionReason(code,
            names == null ? List.of() : scala.collection.JavaConverters.seqAsJavaList(names), min, describe),
        org.apache.spark.sql.types.DataTypes.StringType);
    return text.apply(col(REASON_CODE), transform(col(Bronze.SYMPTOMS), s -> s.getField(Bronze.SYMPTOM_NAME)));
  }

  /**
   * The reason code of a cleaned record the model cannot score, or null: the rule of
   * {@link #rejection} on one record's symptom codes (the online service's path).
   */
  public static String rejectionCode(List<String> symptomCodes, java.util.Collection<String> vocabulary, int minKnown) {
    if (symptomCodes.isEmpty()) {
      return NO_SYMPTOMS;
    }
    long known = symptomCodes.stream().filter(vocabulary::contains).count();
    return known < Math.max(1, minKnown) ? NO_KNOWN_SYMPTOMS : null;
  }

  /** The text of a rejection, the same in the quarantine table and in the online service's 422. */
  public static String rejectionReason(String code, List<String> symptomNames, int minKnown, String model) {
    if (NO_SYMPTOMS.equals(code)) {
      return "no symptom recorded: a prediction would rest on demographics and vital signs alone";
    }
    return "fewer than " + Math.max(1, minKnown) + " of the record's symptoms are known to the model ("
        + String.join(", ", symptomNames) + "); known symptoms are those of " + model + "'s training data";
  }

  /**
   * The predictions table's rows from the model's output: the top {@code topK} classes in one pass
   * over each record's vector ({@link TopClasses}), the top 3 their first three.
   */
  static Dataset<Row> predictionRows(Dataset<Row> scored, ScoringModel model, String runId, Timestamp scoredAt,
      Column scoringDate, int topK) {
    Set<String> orphanCodes = DiseaseCatalogue.fromClasspath().orphanCodes();
    boolean margins = !java.util.Arrays.asList(scored.columns()).contains("probability");
    Column top = TopClasses.udf(model.labels(), orphanCodes, Math.max(3, topK), margins)
        .apply(col(margins ? "rawPrediction" : "probability"));
    Dataset<Row> ranked = scored.select(col(Bronze.RECORD_KEY), col(Bronze.PATIENT_KEY), col(Bronze.SOURCE),
        col(Bronze.VISIT_DATE), col(Predictions.PREDICTED_CODE), top.as(Predictions.TOP_K))
        .withColumn(Predictions.TOP3, org.apache.spark.sql.functions.slice(col(Predictions.TOP_K), 1, 3));
    Column best = col(Predictions.TOP3).getItem(0);
    Column anyOrphan = lit(false);
    for (int i = 0; i < 3; i++) {
      anyOrphan = anyOrphan.or(coalesce(col(Predictions.TOP3).getItem(i).getField(Predictions.IS_ORPHAN), lit(false)));
    }
    return ranked.select(
        col(Bronze.RECORD_KEY), col(Bronze.PATIENT_KEY), col(Bronze.SOURCE), col(Bronze.VISIT_DATE),
        col(Predictions.PREDICTED_CODE).as(Predictions.PREDICTED_CODE),
        best.getField(Predictions.PROBABILITY).as(Predictions.PROBABILITY),
        col(Predictions.TOP3),
        col(Predictions.PREDICTED_CODE).isin(orphanCodes.toArray()).as(Predictions.IS_ORPHAN),
        anyOrphan.as(Predictions.ORPHAN_IN_TOP3),
        col(Predictions.TOP_K),
        lit(model.name()).as(Predictions.MODEL_NAME),
        lit(model.version()).cast("int").as(Predictions.MODEL_VERSION),
        lit(model.runId()).cast("string").as(Predictions.MODEL_RUN_ID),
        lit(model.uri()).as(Predictions.MODEL_URI),
        lit(runId).as(Predictions.SCORE_RUN_ID),
        lit(scoredAt).as(Predictions.SCORED_AT),
        scoringDate);
  }
}
