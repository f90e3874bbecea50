package io.dxpipe.monitor;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.config.Settings;
import io.dxpipe.config.StorageSettings;
import io.dxpipe.io.CommitMetadata;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.io.StorageFiles;
import io.dxpipe.job.StepTimer;
import io.dxpipe.mlflow.MlflowSettings;
import io.dxpipe.mlflow.Tracking;
import io.dxpipe.model.ModelLayout;
import io.dxpipe.schema.Monitoring;
import io.dxpipe.schema.Predictions;
import io.dxpipe.score.DailyRecords;
import java.io.PrintStream;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 *
 * <p>{@link #run} is the sequence of the steps, each its own class: {@link DriftFindings} (drift
 * and quality of the day), {@link LabelledPerformance} (performance on labelled days),
 * {@link MonitorMlflowRun} (the MLflow run) and {@link RetrainSignal}.
 */
public final class MonitorStage {
  public static final String JOB = "MonitorJob";
  public static final String SIGNALS = RetrainSignal.FOLDER;

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
    StorageFiles files = new StorageFiles(storage.root(), spark.sparkContext().hadoopConfiguration());

    // the day's predictions, the model that made them, and its training baseline
    Dataset<Row> predictions = DeltaTables.read(spark, storage.predictions(), "the score job")
        .filter(col(Predictions.SCORING_DATE).equalTo(lit(day)));
    ScoredBy model = scoredBy(predictions, storage, date);
    Profile baseline = baseline(files, model, date);
    step.done("read the baseline of " + model + " (" + baseline.records() + " training records)");

    // the day's records, profiled at the baseline's edges
    DailyRecords.Input input = DailyRecords.read(spark, settings.records(), monitor.input(), date);
    Profile current = Profiler.at(input.records(), predictions.select(col(Predictions.PREDICTED_CODE)
        .as(Predictions.PREDICTED_CODE)), baseline);
    long scored = current.categorical().getOrDefault(Predictions.PREDICTED_CODE, Map.of()).values().stream()
        .mapToLong(Long::longValue).sum();
    long rejected = rejectedOn(storage, day);
    step.done(String.format(Locale.ROOT, "profiled %s: %,d records, %,d scored, %,d rejected", input.description(),
        current.records(), scored, rejected));

    // findings: the day's drift and quality, and the performance of the days whose labels arrived
    List<Finding> findings = new ArrayList<>(new DriftFindings(monitor).of(date, baseline, current, scored, rejected));
    findings.addAll(new LabelledPerformance(monitor, DiseaseCatalogue.fromClasspath().orphanCodes()).measure(spark,
        files, storage.labels(), spark.read().format("delta").load(storage.predictions()), date, baseline, out));
    step.done("compared with the baseline: " + findings.size() + " figures");
    List<Finding> breaches = findings.stream().filter(Finding::breached).toList();

    // the MLflow run of the day, with the drift plot
    String reportDir = storage.reports() + "/monitoring/" + date;
    Map<String, byte[]> plots = new LinkedHashMap<>();
    plots.put("drift.png", MonitorPlots.drift(findings, date + ": drift against the training baseline of " + model));
    String previousRun = MonitorMlflowRun.previousRun(monitoringTable(storage), date);
    String mlflowRun;
    String tracking;
    try (Tracking t = openTracking.apply(mlflow)) {
      mlflowRun = new MonitorMlflowRun(t, t, mlflow.experiment()).log(previousRun, date, model.toString(), findings,
          breaches, plots);
      tracking = t.describe() + ", run " + mlflowRun;
    }

    // the monitoring table, and the plots with the trend up to the day
    List<Row> rows = findings.stream()
        .map(f -> f.toRow(date, model.name(), model.version(), runId, mlflowRun, now)).toList();
    DeltaTables.replace(spark.createDataFrame(rows, Monitoring.SCHEMA), storage.monitoring(),
        Monitoring.PARTITION_BY, Monitoring.MONITOR_DATE + " = '" + date + "'",
        CommitMetadata.of(Monitoring.MONITOR_RUN_ID, runId));
    plots.put("trend.png", MonitorPlots.trend(spark.read().format("delta").load(storage.monitoring()),
        "Monitoring trend up to " + date));
    plots.forEach((name, png) -> files.write(reportDir + "/" + name, png));
    step.done("wrote " + findings.size() + " rows to " + storage.monitoring() + " and plots to " + reportDir);

    // the retraining signal
    String signalFile = new RetrainSignal(files, storage.monitoring(), out).give(date, model.toString(), breaches);
    return new Outcome(runId, date, current.records(), scored, rejected, model.toString(), findings, breaches,
        signalFile, reportDir, tracking);
  }

  /** The model the day's predictions name: its folder, and its registry name and version (null when given by path). */
  private record ScoredBy(String uri, String name, Integer version) {
    @Override
    public String toString() {
      return version == null ? uri : name + " version " + version;
    }
  }

  private static ScoredBy scoredBy(Dataset<Row> predictions, StorageSettings storage, LocalDate date) {
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
    Row m = models.get(0);
    return new ScoredBy(m.getString(0), m.getString(1), m.isNullAt(2) ? null : m.getInt(2));
  }

  private static Profile baseline(StorageFiles files, ScoredBy model, LocalDate date) {
    String baselineUri = ModelLayout.baselineUri(model.uri());
    if (!files.exists(baselineUri)) {
      throw new IllegalStateException("no training baseline at " + baselineUri + ": the model of " + date
          + " was trained before baselines were saved; retrain it (the train job writes one beside the model)");
    }
    return Profile.fromJson(files.readString(baselineUri));
  }

  private long rejectedOn(StorageSettings storage, Date day) {
    if (!DeltaTables.exists(spark, storage.scoringQuarantine())) {
      return 0;
    }
    return spark.read().format("delta").load(storage.scoringQuarantine())
        .filter(col(Predictions.SCORING_DATE).equalTo(lit(day))).count();
  }

  /** The monitoring table, or null before the first run. */
  private Dataset<Row> monitoringTable(StorageSettings storage) {
    return DeltaTables.exists(spark, storage.monitoring()) ? spark.read().format("delta").load(storage.monitoring())
        : null;
  }
}
