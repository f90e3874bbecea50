package io.dxpipe.monitor;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.config.Secrets;
import io.dxpipe.config.Settings;
import io.dxpipe.config.StorageSettings;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.io.StorageFiles;
import io.dxpipe.job.StepTimer;
import io.dxpipe.mlflow.MlflowSettings;
import io.dxpipe.mlflow.Tracking;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Predictions;
import io.dxpipe.score.DailyRecords;
import io.dxpipe.score.ScoringModel;
import java.io.PrintStream;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The monitor job's work for one scoring day: the day's records and predictions against the
 * training baseline saved beside the model (feature drift, predicted-class drift, data quality),
 * and, where confirmed diagnoses of earlier days have arrived, the model's performance per day.
 * Every figure becomes a row of the monitoring table (replaced for the day on a re-run) and an
 * MLflow metric; plots go to the reports folder; a crossed threshold signals retraining through a
 * flag file, a Databricks task value and the exit code.
 */
public final class MonitorStage {
  public static final String JOB = "MonitorJob";
  public static final String SIGNALS = "_signals";

  /** What the run found. */
  public record Outcome(String runId, LocalDate date, long records, long scored, long rejected, String model,
      List<Finding> findings, List<Finding> breaches, String signalFile, String reportDir, String tracking) {

    public boolean retrain() {
      return !breaches.isEmpty();
    }
  }

  /**
   * Everything the stage reads from the configuration, read once by {@link #parse}: that is the
   * validation (it runs before Spark starts), and the stage reads nothing else.
   *
   * @param records what reading the day's records needs (the clean rules for bronze)
   */
  public record Options(StorageSettings storage, MonitorSettings monitor, MlflowSettings mlflow,
      DailyRecords.Sources records) {

    /** Reads every setting the stage needs, failing on the first bad one (an empty tracking URI too). */
    public static Options parse(Settings settings) {
      MonitorSettings monitor = MonitorSettings.from(settings.config().dxpipe());
      return new Options(settings.storage(), monitor, MlflowSettings.requiringTracking(settings.config().dxpipe()),
          DailyRecords.Sources.parse(settings, monitor.input()));
    }
  }

  private final SparkSession spark;
  private final Options settings;
  private final MonitorSettings monitor;
  private final MlflowSettings mlflow;
  private final PrintStream out;
  private final Function<MlflowSettings, Tracking> openTracking;

  public MonitorStage(SparkSession spark, Options settings, PrintStream out) {
    this(spark, settings, out, m -> Tracking.open(m, spark.sparkContext().hadoopConfiguration()));
  }

  /** With the MLflow the figures go to given (tests pass one that keeps them in memory). */
  public MonitorStage(SparkSession spark, Options settings, PrintStream out, Function<MlflowSettings, Tracking> tracking) {
    this.spark = spark;
    this.settings = settings;
    this.monitor = settings.monitor();
    this.mlflow = settings.mlflow();
    this.out = out;
    this.openTracking = tracking;
  }

  public Outcome run() {
    StorageSettings storage = settings.storage();
    StepTimer step = new StepTimer(out);
    LocalDate date = monitor.date();
    Date day = Date.valueOf(date);
    String runId = UUID.randomUUID().toString();
    Timestamp now = Timestamp.from(Instant.now());

    Dataset<Row> predictions = DeltaTables.read(spark, storage.predictions(), "the score job")
        .filter(col(Predictions.SCORING_DATE).equalTo(lit(day)));
    List<Row> models = predictions.select(Predictions.MODEL_URI, Predictions.MODEL_NAME, Predictions.MODEL_VERSION)
        .distinct().limit(2).collectAsList();
    if (models.isEmpty()) {
      throw new IllegalStateException("the predictions table " + storage.predictions() + " has no predictions for "
          + date + ": run the score job for that day first (dxpipe.monitor.date, dxpipe.score.date)");
    }
    if (models.size() > 1) {
      throw new IllegalStateException("the predictions of " + date + " come from more than one model (" + models
          + "): re-run the score job for the day");
    }
    String modelUri = models.get(0).getString(0);
    String modelName = models.get(0).getString(1);
    Integer modelVersion = models.get(0).isNullAt(2) ? null : models.get(0).getInt(2);
    String model = modelVersion == null ? modelUri : modelName + " version " + modelVersion;
    String baselineUri = ScoringModel.baselineUri(modelUri);
    StorageFiles files = new StorageFiles(storage.root(), spark.sparkContext().hadoopConfiguration());
    if (!files.exists(baselineUri)) {
      throw new IllegalStateException("no training baseline at " + baselineUri + ": the model of " + date
          + " was trained before baselines were saved; retrain it (the train job writes one beside the model)");
    }
    Profile baseline = Profile.fromJson(files.readString(baselineUri));
    step.done("read the baseline of " + model + " (" + baseline.records() + " training records)");

    DailyRecords.Input input = DailyRecords.read(spark, settings.records(), monitor.input(), date);
    Profile current = Profiler.at(input.records(), predictions.select(col(Predictions.PREDICTED_CODE)
        .as(Predictions.PREDICTED_CODE)), baseline);
    long scored = current.categorical().getOrDefault(Predictions.PREDICTED_CODE, Map.of()).values().stream()
        .mapToLong(Long::longValue).sum();
    long rejected = rejectedOn(storage, day);
    step.done(String.format(Locale.ROOT, "profiled %s: %,d records, %,d scored, %,d rejected", input.description(),
        current.records(), scored, rejected));

    List<Finding> findings = new ArrayList<>(drift(date, baseline, current, scored, rejected));
    findings.addAll(performance(date, baseline));
    step.done("compared with the baseline: " + findings.size() + " figures");

    List<Finding> breaches = findings.stream().filter(Finding::breached).toList();
    String reportDir = storage.reports() + "/monitoring/" + date;
    Map<String, byte[]> plots = new LinkedHashMap<>();
    plots.put("drift.png", MonitorPlots.drift(findings, date + ": drift against the training baseline of " + model));
    String mlflowRun = previousMlflowRun(storage, day);
    String tracking;
    try (Tracking t = openTracking.apply(mlflow)) {
      mlflowRun = logToMlflow(t, mlflowRun, date, model, findings, breaches, plots);
      tracking = t.describe() + ", run " + mlflowRun;
    }
    String mlflowRunId = mlflowRun;
    List<Row> rows = findings.stream().map(f -> f.toRow(date, modelName, modelVersion, runId, mlflowRunId, now))
        .toList();
    DeltaTables.replace(spark.createDataFrame(rows, Finding.SCHEMA), storage.monitoring(), Finding.PARTITION_BY,
        Finding.MONITOR_DATE + " = '" + date + "'", "{\"monitor_run_id\":\"" + runId + "\"}");

    plots.put("trend.png", MonitorPlots.trend(spark.read().format("delta").load(storage.monitoring()),
        "Monitoring trend up to " + date));
    plots.forEach((name, png) -> files.write(reportDir + "/" + name, png));
    step.done("wrote " + findings.size() + " rows to " + storage.monitoring() + " and plots to " + reportDir);

    String signalFile = signal(storage, files, date, model, breaches);
    return new Outcome(runId, date, current.records(), scored, rejected, model, findings, breaches, signalFile,
        reportDir, tracking);
  }

  private long rejectedOn(StorageSettings storage, Date day) {
    if (!DeltaTables.exists(spark, storage.scoringQuarantine())) {
      return 0;
    }
    return spark.read().format("delta").load(storage.scoringQuarantine())
        .filter(col(Predictions.SCORING_DATE).equalTo(lit(day))).count();
  }

  /** Feature, prediction and data-quality figures of the day against the baseline. */
  List<Finding> drift(LocalDate date, Profile baseline, Profile current, long scored, long rejected) {
    MonitorSettings.Thresholds t = monitor.thresholds();
    boolean judged = current.records() >= monitor.minRecords();
    String small = judged ? null : "fewer than " + monitor.minRecords() + " records: not judged";
    List<Finding> f = new ArrayList<>();
    long n = current.records();
    f.add(new Finding(date, "volume", null, "records", n, (double) baseline.records(), null, false, n, null));
    double rejectedShare = scored + rejected == 0 ? 0 : rejected / (double) (scored + rejected);
    f.add(new Finding(date, "data_quality", null, "rejected_share", rejectedShare, null, t.rejectedShare(),
        judged && rejectedShare > t.rejectedShare(), n, small));
    for (Map.Entry<String, Profile.Numeric> e : baseline.numeric().entrySet()) {
      Profile.Numeric b = e.getValue();
      Profile.Numeric c = current.numeric().get(e.getKey());
      if (c == null) {
        continue;
      }
      double nullIncrease = c.nullShare() - b.nullShare();
      f.add(new Finding(date, "data_quality", e.getKey(), "null_share", c.nullShare(), b.nullShare(),
          b.nullShare() + t.nullShareIncrease(), judged && nullIncrease > t.nullShareIncrease(), n, small));
      if (b.edges().length == 0 || c.nonNull() == 0) {
        continue;
      }
      double psi = Drift.numericPsi(b, c);
      double noise = Drift.psiNoise(Drift.numericBins(b), b.nonNull(), c.nonNull());
      f.add(new Finding(date, "feature_drift", e.getKey(), "psi", psi, null, t.featurePsi(),
          judged && psi - noise > t.featurePsi(), c.nonNull(), noiseNote(noise, small)));
      double ks = Drift.ks(b, c);
      f.add(new Finding(date, "feature_drift", e.getKey(), "ks", ks, null, t.featureKs(),
          judged && ks > t.featureKs(), c.nonNull(), small));
      f.add(new Finding(date, "feature_drift", e.getKey(), "wasserstein", Drift.wasserstein(b, c), null, null,
          false, c.nonNull(), "in the column's unit"));
      f.add(new Finding(date, "feature_drift", e.getKey(), "mean", c.mean(), b.mean(), null, false, c.nonNull(),
          null));
    }
    for (String feature : baseline.categorical().keySet()) {
      Map<String, Long> b = baseline.categorical().get(feature);
      Map<String, Long> c = current.categorical().getOrDefault(feature, Map.of());
      boolean prediction = feature.equals(Predictions.PREDICTED_CODE);
      boolean symptom = feature.equals(Profiler.SYMPTOM);
      double limit = prediction ? t.predictionPsi() : symptom ? t.symptomPsi() : t.featurePsi();
      double psi = Drift.psi(b, c);
      Set<String> bins = new java.util.HashSet<>(b.keySet());
      bins.addAll(c.keySet());
      long bn = b.values().stream().mapToLong(Long::longValue).sum();
      long cn = c.values().stream().mapToLong(Long::longValue).sum();
      double noise = Drift.psiNoise(bins.size(), bn, cn);
      f.add(new Finding(date, prediction ? "prediction_drift" : "feature_drift", feature, "psi", psi, null, limit,
          judged && psi - noise > limit, cn, noiseNote(noise, small)));
    }
    Set<String> kinds = new java.util.TreeSet<>(baseline.flagRecords().keySet());
    kinds.addAll(current.flagRecords().keySet());
    for (String kind : kinds) {
      double b = baseline.records() == 0 ? 0 : baseline.flagRecords().getOrDefault(kind, 0L) / (double) baseline.records();
      double c = n == 0 ? 0 : current.flagRecords().getOrDefault(kind, 0L) / (double) n;
      f.add(new Finding(date, "data_quality", "flag:" + kind, "share", c, b, b + t.flagShareIncrease(),
          judged && c - b > t.flagShareIncrease(), n, small));
    }
    return f;
  }

  private static String noiseNote(double noise, String small) {
    String note = String.format(Locale.ROOT, "sampling alone gives about %.3f; judged on PSI minus that", noise);
    return small == null ? note : small + "; " + note;
  }

  /**
   * Confirmed diagnoses (delayed labels) matched to the predictions of the last
   * {@code performance.days} scoring days: accuracy, macro-F1 and orphan macro-recall per day,
   * judged against the model's test figures.
   */
  List<Finding> performance(LocalDate date, Profile baseline) {
    StorageSettings storage = settings.storage();
    StorageFiles files = new StorageFiles(storage.root(), spark.sparkContext().hadoopConfiguration());
    if (!files.exists(storage.labels())) {
      out.println("[dxpipe] no delayed labels at " + Secrets.mask(storage.labels()) + ": performance not measured");
      return List.of();
    }
    Dataset<Row> labels = spark.read().option("header", "true").option("recursiveFileLookup", "true")
        .option("pathGlobFilter", "*.csv").csv(storage.labels())
        .select(Bronze.recordKey(col(Bronze.SOURCE), col(Bronze.SOURCE_RECORD_ID)).as(Bronze.RECORD_KEY),
            col("diagnosis_code").as("truth"))
        .dropDuplicates(Bronze.RECORD_KEY);
    Dataset<Row> matched = spark.read().format("delta").load(storage.predictions())
        .filter(col(Predictions.SCORING_DATE).between(lit(Date.valueOf(date.minusDays(monitor.performanceDays() - 1))),
            lit(Date.valueOf(date))))
        .select(Predictions.SCORING_DATE, Bronze.RECORD_KEY, Predictions.PREDICTED_CODE)
        .join(labels, Bronze.RECORD_KEY);
    // per (day, class): records of the class, records predicted as it, and the correct ones
    Map<LocalDate, Map<String, long[]>> perDay = new TreeMap<>();
    for (Row r : matched.groupBy(col(Predictions.SCORING_DATE), col("truth").as("class")).agg(count(lit(1)),
        sum(when(col("truth").equalTo(col(Predictions.PREDICTED_CODE)), 1L).otherwise(0L))).collectAsList()) {
      long[] c = perDay.computeIfAbsent(r.getDate(0).toLocalDate(), d -> new HashMap<>())
          .computeIfAbsent(r.getString(1), k -> new long[3]);
      c[0] = r.getLong(2);
      c[2] = r.getLong(3);
    }
    for (Row r : matched.groupBy(col(Predictions.SCORING_DATE), col(Predictions.PREDICTED_CODE)).count()
        .collectAsList()) {
      perDay.computeIfAbsent(r.getDate(0).toLocalDate(), d -> new HashMap<>())
          .computeIfAbsent(r.getString(1), k -> new long[3])[1] = r.getLong(2);
    }
    Set<String> orphans = DiseaseCatalogue.fromClasspath().orphanCodes();
    MonitorSettings.Thresholds t = monitor.thresholds();
    List<Finding> f = new ArrayList<>();
    perDay.forEach((day, classes) -> {
      DayPerformance p = DayPerformance.of(classes, orphans);
      boolean judged = p.labelled() >= monitor.minLabelled();
      boolean orphansJudged = judged && p.orphanLabelled() >= monitor.minOrphanLabelled();
      String few = judged ? null : "fewer than " + monitor.minLabelled() + " labelled records: not judged";
      Double testF1 = baseline.performance().get("macro_f1");
      Double testOrphan = baseline.performance().get("orphan_macro_recall");
      f.add(new Finding(day, "performance", null, "labelled", p.labelled(), null, null, false, p.labelled(), null));
      f.add(new Finding(day, "performance", null, "accuracy", p.accuracy(), baseline.performance().get("accuracy"),
          null, false, p.labelled(), few));
      f.add(new Finding(day, "performance", null, "macro_f1", p.macroF1(), testF1,
          testF1 == null ? null : testF1 - t.macroF1Drop(),
          judged && testF1 != null && p.macroF1() < testF1 - t.macroF1Drop(), p.labelled(), few));
      f.add(new Finding(day, "performance", null, "orphan_macro_recall", p.orphanRecall(), testOrphan,
          testOrphan == null ? null : testOrphan - t.orphanRecallDrop(),
          orphansJudged && testOrphan != null && p.orphanRecall() < testOrphan - t.orphanRecallDrop(),
          p.orphanLabelled(), orphansJudged ? null : "fewer than " + monitor.minOrphanLabelled()
              + " labelled orphan records: not judged"));
    });
    return f;
  }

  /** Writes (or, on a quiet day, removes) the day's retraining flag file and sets the Databricks task value. */
  private String signal(StorageSettings storage, StorageFiles files, LocalDate date, String model,
      List<Finding> breaches) {
    String dir = storage.monitoring() + "/" + SIGNALS;
    String file = dir + "/retrain-" + date + ".json";
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("retrain", !breaches.isEmpty());
    doc.put("scoring_date", date.toString());
    doc.put("model", model);
    doc.put("reasons", breaches.stream()
        .map(f -> f.scoringDate() + " " + f.line().trim().replaceAll(" +", " ")).toList());
    String json;
    try {
      json = Profile.JSON.writeValueAsString(doc);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    if (!breaches.isEmpty()) {
      files.writeString(file, json);
    } else {
      files.delete(file);
    }
    files.writeString(dir + "/latest.json", json);
    DatabricksTaskValues.set("retrain", !breaches.isEmpty(), out);
    return breaches.isEmpty() ? null : file;
  }

  /** The MLflow run an earlier monitor run of the same day logged to (a re-run logs to it again). */
  private String previousMlflowRun(StorageSettings storage, Date day) {
    if (!DeltaTables.exists(spark, storage.monitoring())) {
      return null;
    }
    List<Row> previous = spark.read().format("delta").load(storage.monitoring())
        .filter(col(Finding.MONITOR_DATE).equalTo(lit(day)).and(col(Finding.MLFLOW_RUN_ID).isNotNull()))
        .select(Finding.MLFLOW_RUN_ID).limit(1).collectAsList();
    return previous.isEmpty() ? null : previous.get(0).getString(0);
  }

  /** Logs the day's figures (step = the day), the signal and the drift plot; returns the run id. */
  private String logToMlflow(Tracking tracking, String previousRun, LocalDate date, String model,
      List<Finding> findings, List<Finding> breaches, Map<String, byte[]> plots) {
    String run = previousRun;
    if (run == null) {
      Map<String, String> tags = new LinkedHashMap<>();
      tags.put("dxpipe.kind", "monitoring");
      tags.put("dxpipe.scoring_date", date.toString());
      tags.put("dxpipe.model", model);
      run = tracking.startRun(tracking.experiment(mlflow.experiment()), "monitor " + date, null, tags);
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (Finding f : findings) {
      if (!Double.isNaN(f.value()) && f.scoringDate().equals(date)) {
        metrics.put(f.metricKey(), f.value());
      }
    }
    metrics.put("retrain_signal", breaches.isEmpty() ? 0.0 : 1.0);
    tracking.logMetrics(run, "", metrics, date.toEpochDay());
    tracking.setTag(run, "dxpipe.retrain", Boolean.toString(!breaches.isEmpty()));
    for (Map.Entry<String, byte[]> plot : plots.entrySet()) {
      tracking.logArtifact(run, plot.getKey(), plot.getValue());
    }
    if (previousRun == null) {
      tracking.endRun(run, true);
    }
    return run;
  }
}
