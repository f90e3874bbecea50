package io.dxpipe.score;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import io.dxpipe.catalogue.Disease;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.config.Settings;
import io.dxpipe.config.StorageSettings;
import io.dxpipe.evaluate.ClassificationMetrics;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.job.StepTimer;
import io.dxpipe.mlflow.MlflowSettings;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Predictions;
import io.dxpipe.spark.TaskProgress;
import io.dxpipe.train.TrainStage;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The daily scoring job's work: one day's records (silver, or bronze cleaned here by the same rules),
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
 * executor. The counts that close the run come from an independent count of the input and the
 * row counts of the two Delta commits: input = scored + rejected.
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

  private final SparkSession spark;
  private final Settings settings;
  private final ScoreSettings score;
  private final MlflowSettings mlflow;
  private final PrintStream out;

  public ScoreStage(SparkSession spark, Settings settings, PrintStream out) {
    this.spark = spark;
    this.settings = settings;
    this.score = ScoreSettings.from(settings.config().dxpipe());
    this.mlflow = MlflowSettings.from(settings.config().dxpipe());
    this.out = out;
  }

  public static void validate(Settings settings) {
    ScoreSettings.from(settings.config().dxpipe());
    MlflowSettings.from(settings.config().dxpipe());
  }

  public Totals run() {
    StorageSettings storage = settings.storage();
    StepTimer step = new StepTimer(out);
    String runId = UUID.randomUUID().toString();
    Timestamp scoredAt = Timestamp.from(Instant.now());
    ScoringModel model = ScoringModel.resolve(score, mlflow, spark.sparkContext().hadoopConfiguration());
    step.done("loaded " + model.describe() + " from " + model.uri() + ": " + model.labels().size() + " diseases, "
        + model.symptomVocabulary().size() + " known symptoms");

    DailyRecords.Input input = DailyRecords.read(spark, settings, score.input(), score.date());
    long read = input.records().count();
    if (read == 0) {
      out.println("[dxpipe] WARNING: " + input.description() + " holds no records: nothing to score (has the clean "
          + "job run for " + score.date() + "? dxpipe.score.date, dxpipe.score.input)");
    }
    Dataset<Row> records = score.partitions() > 0 ? input.records().repartition(score.partitions())
        : input.records();
    records = records.withColumn(REASON_CODE, rejection(model));
    int tasks = records.rdd().getNumPartitions();
    step.done(String.format(Locale.ROOT, "read %s: %,d records in %d tasks", input.description(), read, tasks));

    String date = score.date().toString();
    String replaceWhere = Predictions.SCORING_DATE + " = '" + date + "'";
    String metadata = "{\"score_run_id\":\"" + runId + "\",\"input\":\"" + input.description() + "\",\"model\":\""
        + model.describe() + "\"}";
    Column scoringDate = lit(java.sql.Date.valueOf(score.date())).as(Predictions.SCORING_DATE);

    // rejected records first: they are few, and their pass needs no model
    Dataset<Row> rejected = records.filter(col(REASON_CODE).isNotNull()).select(col(Bronze.RECORD_KEY),
        col(Bronze.SOURCE), col(Bronze.PATIENT_KEY), col(REASON_CODE).as(Predictions.Rejected.REASON_CODE),
        reasonText(model).as(Predictions.Rejected.REASON), lit(runId).as(Predictions.SCORE_RUN_ID),
        lit(scoredAt).as(Predictions.SCORED_AT), scoringDate);
    long rejectedRows = DeltaTables.replaceCounting(rejected, storage.scoringQuarantine(), Predictions.PARTITION_BY,
        replaceWhere, metadata);
    step.done(String.format(Locale.ROOT, "rejected %,d records (%s)", rejectedRows, storage.scoringQuarantine()));

    long start = System.nanoTime();
    Dataset<Row> scored = model.model().transform(records.filter(col(REASON_CODE).isNull()));
    Dataset<Row> predictions = scored.select(predictionColumns(scored, model, runId, scoredAt, scoringDate));
    long scoredRows;
    try (TaskProgress progress = new TaskProgress(spark, "score", tasks, out)) {
      scoredRows = DeltaTables.replaceCounting(predictions, storage.predictions(), Predictions.PARTITION_BY,
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
    return when(col(REASON_CODE).equalTo(NO_SYMPTOMS), lit("no symptom recorded: a prediction would rest on "
        + "demographics and vital signs alone"))
        .otherwise(org.apache.spark.sql.functions.concat(lit("fewer than " + Math.max(1, score.minKnownSymptoms())
            + " of the record's symptoms are known to the model ("), org.apache.spark.sql.functions.array_join(
                transform(col(Bronze.SYMPTOMS), s -> s.getField(Bronze.SYMPTOM_NAME)), ", "),
            lit("); known symptoms are those of " + model.describe() + "'s training data")));
  }

  /** The predictions table's columns from the model's output. */
  static Column[] predictionColumns(Dataset<Row> scored, ScoringModel model, String runId, Timestamp scoredAt,
      Column scoringDate) {
    Set<String> orphanCodes = DiseaseCatalogue.fromClasspath().diseases().stream().filter(Disease::isOrphan)
        .map(Disease::code).collect(Collectors.toSet());
    List<String> labels = model.labels();
    Column codes = array(labels.stream().map(l -> lit(l)).toArray(Column[]::new));
    Column orphan = array(labels.stream().map(l -> lit(orphanCodes.contains(l))).toArray(Column[]::new));
    // (probability, index) pairs sorted descending: the three best classes
    Column ranked = slice(sort_array(transform(ClassificationMetrics.probabilities(scored),
        (p, i) -> struct(p.as("p"), i.as("i"))), false), 1, 3);
    Column top3 = transform(ranked, r -> struct(
        element_at(codes, r.getField("i").plus(1)).as(Predictions.TOP_CODE),
        r.getField("p").as(Predictions.PROBABILITY),
        element_at(orphan, r.getField("i").plus(1)).as(Predictions.IS_ORPHAN)));
    return new Column[] {
        col(Bronze.RECORD_KEY), col(Bronze.PATIENT_KEY), col(Bronze.SOURCE), col(Bronze.VISIT_DATE),
        col(TrainStage.PREDICTED_CODE).as(Predictions.PREDICTED_CODE),
        element_at(top3, 1).getField(Predictions.PROBABILITY).as(Predictions.PROBABILITY),
        top3.as(Predictions.TOP3),
        col(TrainStage.PREDICTED_CODE).isin(orphanCodes.toArray()).as(Predictions.IS_ORPHAN),
        exists(top3, t -> t.getField(Predictions.IS_ORPHAN)).as(Predictions.ORPHAN_IN_TOP3),
        lit(model.name()).as(Predictions.MODEL_NAME),
        lit(model.version()).cast("int").as(Predictions.MODEL_VERSION),
        lit(model.runId()).cast("string").as(Predictions.MODEL_RUN_ID),
        lit(model.uri()).as(Predictions.MODEL_URI),
        lit(runId).as(Predictions.SCORE_RUN_ID),
        lit(scoredAt).as(Predictions.SCORED_AT),
        scoringDate};
  }
}
