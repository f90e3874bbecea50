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
 * Nothing is collected to the driver. Without {@code score.partitions} the input keeps Spark's file
 * splits, which the file source sizes to the cluster's cores, and the whole scoring is one stage
 * without a shuffle, whose task binary (holding the fitted model) Spark broadcasts once to each
 * executor. The rejects are written first, by a pass that cleans only the records that can be
 * rejected. The counts that close the run come from an independent count of the input and the row
 * counts of the two Delta commits: input = scored + rejected.
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
    StorageSettings storage = settings.storage();
    long unusable = input.unusable() == null ? 0 : input.unusable().count();
    long read = input.raw().count() + unusable; // cleaning keeps every record
    if (read == 0) {
      out.println("[dxpipe] WARNING: " + Secrets.mask(input.description())
          + " holds no records: nothing to score (has the clean "
          + "job run for " + score.date() + "? dxpipe.score.date, dxpipe.score.input)");
    }
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

    // rejected records first, without the model. Only a record with no symptom, or with a symptom name
    // that is not a code the model knows, can be rejected: only those candidates are cleaned in this pass
    Dataset<Row> candidates = input.cleaning().apply(input.raw().filter(mayBeRejected(model)));
    Dataset<Row> rejected = candidates.withColumn(REASON_CODE, rejection(model)).filter(col(REASON_CODE).isNotNull())
        .select(col(Bronze.RECORD_KEY),
        col(Bronze.SOURCE), col(Bronze.PATIENT_KEY), col(REASON_CODE).as(Predictions.Rejected.REASON_CODE),
        reasonText(model).as(Predictions.Rejected.REASON));
    if (input.unusable() != null) {
      rejected = rejected.unionByName(input.unusable());
    }
    rejected = rejected.withColumn(Predictions.SCORE_RUN_ID, lit(runId)).withColumn(Predictions.SCORED_AT,
        lit(scoredAt)).withColumn(Predictions.SCORING_DATE, scoringDate);
    long rejectedRows = DeltaTables.replaceCounting(
        Schemas.conform(rejected, Predictions.Rejected.SCHEMA, "rejected records"), storage.scoringQuarantine(), Predictions.PARTITION_BY,
        replaceWhere, metadata);
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
    Map<String, Long> perReason = new TreeMap<>();
    spark.read().format("delta").load(storage.scoringQuarantine())
        .filter(col(Predictions.SCORING_DATE).equalTo(lit(java.sql.Date.valueOf(score.date()))))
        .groupBy(Predictions.Rejected.REASON_CODE).count().collectAsList()
        .forEach(r -> perReason.put(r.getString(0), r.getLong(1)));
    return new Totals(runId, input.description(), read, scoredRows, rejectedRows, perReason,
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
