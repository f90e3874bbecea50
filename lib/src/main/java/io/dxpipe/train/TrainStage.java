package io.dxpipe.train;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.clean.CleanSettings;
import io.dxpipe.clean.SilverBuilder;
import io.dxpipe.config.PipelineConfig;
import io.dxpipe.config.Settings;
import io.dxpipe.config.StorageSettings;
import io.dxpipe.evaluate.ClassificationMetrics;
import io.dxpipe.features.FeatureStage;
import io.dxpipe.generate.GenerateSettings;
import io.dxpipe.job.StepTimer;
import io.dxpipe.mlflow.MlflowSettings;
import io.dxpipe.mlflow.Tracking;
import io.dxpipe.model.ModelLayout;
import io.dxpipe.monitor.Profile;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.SparkSession;

/**
 * The training job's work, as its steps, each a class of this package. From one pinned version of gold:
 * <ol>
 *   <li>{@link TrainingData}: the gold snapshot, the silver records it was built from (its commit's
 *       lineage), the features run's pipeline and labels, the three splits;</li>
 *   <li>{@link Provenance}: the MLflow training run, tagged with the code, configuration and data it used;</li>
 *   <li>{@link CandidateSelection}: for each candidate learner, stratified k-fold cross-validation over
 *       its grid on the train split (class weights computed on each fit part), the best grid point
 *       refitted on train and scored on validation, with and without class weights, in a nested run;</li>
 *   <li>{@link MajorityBaseline}: a majority-class baseline on the same records;</li>
 *   <li>{@link WinnerRefit}: the winner on the selection metric refitted on train + validation and
 *       reported once on test;</li>
 *   <li>{@link FullModel}: one {@link PipelineModel} of the fitted feature stages, the classifier and the
 *       index-to-code stage, checked to reproduce the classifier's predictions from silver records and timed;</li>
 *   <li>{@link ModelPackage}: the model in storage ({@link ModelLayout}) and in MLflow's spark format;</li>
 *   <li>{@link MonitoringBaseline}: the monitor's baseline beside the model;</li>
 *   <li>{@link TrainingReports}: plots and metrics;</li>
 *   <li>{@link ChallengerRegistration}: a new registered version with the alias {@code challenger}.</li>
 * </ol>
 */
public final class TrainStage {
  public static final String JOB = "TrainJob";

  /** One candidate's outcome. */
  public record CandidateResult(Learner learner, Map<String, Object> bestParams, double cvScore,
      ClassificationMetrics validation, ClassificationMetrics unweighted, double trainSeconds,
      double unweightedTrainSeconds, String runId) {}

  /**
   * What the run read and produced: {@code goldRows} is the gold snapshot's row count, taken apart
   * from the per-split counts of the records the run used, so that the two can be balanced.
   */
  public record Totals(String runId, String mlflowRunId, String input, long goldRows, Map<String, Long> perSplit,
      List<CandidateResult> candidates, ClassificationMetrics baseline, CandidateResult winner,
      ClassificationMetrics test, double scoringMsPer1000, long modelBytes, long silverChecked, long mismatches,
      int registeredVersion, String registeredModel, String tracking, String reportDir,
      HeldOutEvaluation.Result heldOut) {}

  /**
   * Everything the stage reads from the configuration, read once by {@link #parse}: that is the
   * validation (it runs before Spark starts), and the stage reads nothing else.
   *
   * @param config the effective configuration, written as it is into the run's provenance
   */
  public record Options(StorageSettings storage, TrainSettings train, MlflowSettings mlflow, PipelineConfig config,
      GenerateSettings generate, CleanSettings clean) {

    /**
     * The options with the generator's and cleaning's settings of {@code config}, which the held-out
     * evaluation reads (its patients are generated and cleaned as the sample's are).
     */
    public Options(StorageSettings storage, TrainSettings train, MlflowSettings mlflow, PipelineConfig config) {
      this(storage, train, mlflow, config, GenerateSettings.from(config), CleanSettings.from(config.dxpipe()));
    }

    /** Reads every setting the stage needs, failing on the first bad one (an empty tracking URI too). */
    public static Options parse(Settings settings) {
      return new Options(settings.storage(), TrainSettings.from(settings.config().dxpipe()),
          MlflowSettings.requiringTracking(settings.config().dxpipe()), settings.config());
    }
  }

  private final SparkSession spark;
  private final Options settings;
  private final TrainSettings train;
  private final MlflowSettings mlflow;
  private final PrintStream out;

  public TrainStage(SparkSession spark, Options settings, PrintStream out) {
    this.spark = spark;
    this.settings = settings;
    this.train = settings.train();
    this.mlflow = settings.mlflow();
    this.out = out;
  }

  public Totals run() throws IOException {
    return run(m -> Tracking.open(m, spark.sparkContext().hadoopConfiguration()));
  }

  /** {@link #run()} logging to the tracking {@code openTracking} opens (tests pass one in memory). */
  Totals run(Function<MlflowSettings, Tracking> openTracking) throws IOException {
    StorageSettings storage = settings.storage();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    StepTimer step = new StepTimer(out);
    try (TrainingData data = TrainingData.load(spark, storage, train.featuresColumns(),
        train.candidates().contains(Learner.PHENOTYPE))) {
      step.done(data.describe());
      String runId = FeatureStage.newRunId();
      try (Tracking tracking = openTracking.apply(mlflow)) {
        String experiment = tracking.experiment(mlflow.experiment());
        String parent = tracking.startRun(experiment, "train " + runId, null, Provenance.tags(Provenance.gitCommit(),
            Provenance.configHash(settings.config()), storage.features(), data.goldVersion(), data.featureRunId(),
            runId, data.perSplit()));
        out.println("[dxpipe] MLflow: " + tracking.describe() + ", experiment " + mlflow.experiment() + ", run " + parent);
        boolean finished = false;
        try {
          tracking.logParams(parent, Provenance.params(train, data.inputSizes(), data.classes(), data.orphans().size()));
          Totals totals = train(tracking, experiment, parent, runId, data, step, hadoop);
          finished = true;
          return totals;
        } finally {
          TrainingRuns.end(tracking, parent, finished);
        }
      }
    }
  }

  /** The held-out evaluation of the full model ({@link HeldOutEvaluation}), when the settings ask for it. */
  private HeldOutEvaluation.Result heldOut(PipelineModel model, TrainingData data) {
    if (!train.evaluation().enabled()) {
      return HeldOutEvaluation.run(spark, model, List.of(), data.labels(), Map.of(), null, null, null,
          train.evaluation(), null);
    }
    DiseaseCatalogue catalogue = DiseaseCatalogue.fromClasspath();
    org.apache.spark.ml.Transformer codes = model.stages()[model.stages().length - 1];
    return HeldOutEvaluation.run(spark, model, List.of(((org.apache.spark.ml.feature.IndexToString) codes).getLabels()),
        data.labels(), data.refitCounts(), catalogue, settings.generate(), SilverBuilder.load(settings.clean(), catalogue),
        train.evaluation(), settings.clean().hpoOntology());
  }

  /** The steps inside the training run {@code parent}. */
  private Totals train(Tracking tracking, String experiment, String parent, String runId, TrainingData data,
      StepTimer step, Configuration hadoop) throws IOException {
    // candidates: cross-validated on train, compared on validation
    CandidateSelection selection = new CandidateSelection(train, tracking, tracking, experiment, out);
    List<CandidateResult> results = new ArrayList<>();
    for (Learner learner : train.candidates()) {
      CandidateResult r = selection.evaluate(parent, learner, data.train(), data.validation(), data.labels(),
          data.orphans(), data.inputSizes());
      results.add(r);
      step.done(String.format(Locale.ROOT, "%s: cv %s %.3f, validation %s", learner.configName(),
          train.selectionMetric(), r.cvScore(), r.validation()));
    }
    ClassificationMetrics baseline = MajorityBaseline.evaluate(data.train(), data.validation(), data.labels(),
        data.orphans());
    tracking.logMetrics(parent, "baseline_val_", baseline.summary());
    CandidateResult winner = CandidateSelection.winner(results, train.selectionMetric());
    tracking.setTag(parent, "dxpipe.winner", winner.learner().configName());
    tracking.logParams(parent, TrainingRuns.prefixed("winner_", winner.bestParams()));

    // the winner, refitted on train + validation, reported once on test
    WinnerRefit.Refitted refitted = WinnerRefit.refit(train, tracking, parent, winner, data.train(), data.validation(),
        data.test(), data.labels(), data.orphans(), data.inputSizes());
    ClassificationMetrics test = refitted.test();
    step.done("refitted " + winner.learner().configName() + " on train + validation; test: " + test);

    // the full model: feature stages + classifier + codes, checked against the classifier on gold
    PipelineModel model = FullModel.assemble(data.featurePipeline(), refitted.classifier(),
        ClassifierFit.classes(winner.learner(), data.labels()), data.silver());
    FullModel.Consistency consistency = FullModel.check(model, refitted.classifier(), data.all(), data.silver(),
        train.timingRecords());
    step.done(consistency.describe());
    consistency.requireReproduced();
    tracking.logMetric(parent, "scoring_ms_per_1000", consistency.msPer1000(), 0);

    // patients generated for the purpose, enough of every evaluated disease to judge it
    HeldOutEvaluation.Result heldOut = heldOut(model, data);
    tracking.logMetrics(parent, "", heldOut.metrics());
    step.done(heldOut.describe());

    String folder = ModelLayout.folder(settings.storage().models(), runId);
    long modelBytes = ModelPackage.log(tracking, tracking, parent, model, FullModel.samplePredictions(model, data.gold(),
        data.silver()), FullModel.input(model, data.silver()), FullModel.output(model, data.silver()), folder, hadoop);

    long golden = GoldenRows.write(model, data.gold(), data.silver(), folder);
    tracking.logMetric(parent, "golden_rows", golden, 0);
    step.done("saved " + golden + " golden rows beside the model (the online service's load gate)");

    Profile population = MonitoringBaseline.write(tracking, parent, model, data.gold(), data.silver(), test.summary(),
        folder, hadoop);
    step.done("saved the monitoring baseline of " + population.records() + " records beside the model");

    String reportDir = TrainingReports.write(tracking, parent, new TrainingReports.Outcome(runId, results, baseline,
        winner, test, data.featureRunId(), train.selectionMetric(), heldOut), settings.storage().reports(), hadoop);
    int version = ChallengerRegistration.register(tracking, tracking, tracking, mlflow.registeredModel(), parent,
        ChallengerRegistration.description(winner, data.input(), runId, test));
    step.done("registered " + mlflow.registeredModel() + " version " + version + " as challenger");
    return new Totals(runId, parent, data.input(), data.goldRows(), data.perSplit(), results, baseline, winner, test,
        consistency.msPer1000(), modelBytes, consistency.records(), consistency.mismatches(), version,
        mlflow.registeredModel(), tracking.describe(), reportDir, heldOut);
  }
}
