package io.dxpipe.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dxpipe.config.PipelineConfig;
import io.dxpipe.config.Settings;
import io.dxpipe.config.StorageSettings;
import io.dxpipe.evaluate.ClassificationMetrics;
import io.dxpipe.evaluate.EvaluationPlots;
import io.dxpipe.features.FeaturePipeline;
import io.dxpipe.features.FeatureStage;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.io.StorageFiles;
import io.dxpipe.job.StepTimer;
import io.dxpipe.mlflow.MlflowSettings;
import io.dxpipe.mlflow.SparkModelFormat;
import io.dxpipe.mlflow.Tracking;
import io.dxpipe.monitor.Profile;
import io.dxpipe.monitor.Profiler;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Predictions;
import io.dxpipe.schema.Gold;
import io.dxpipe.score.ScoringModel;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The training job's work. From one pinned version of gold:
 * <ol>
 *   <li>for each candidate learner, stratified k-fold cross-validation over its grid on the train
 *       split (class weights computed on each fit part), the best grid point refitted on train and
 *       scored on validation, with and without class weights;</li>
 *   <li>a majority-class baseline on the same records;</li>
 *   <li>the winner on the selection metric refitted on train + validation and reported once on test;</li>
 *   <li>one {@link PipelineModel}: the fitted feature stages, the classifier and the index-to-code
 *       stage, checked to reproduce the classifier's predictions from silver records and timed;</li>
 *   <li>everything logged to MLflow (a parent run, a nested run per candidate), the model in MLflow's
 *       spark format, registered as a new version with the alias {@code challenger}.</li>
 * </ol>
 */
public final class TrainStage {
  public static final String JOB = "TrainJob";
  public static final String WEIGHT = "weight";
  static final String MODEL_ARTIFACT = "model";
  static final int SAMPLE_PREDICTIONS = 20;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
      int registeredVersion, String registeredModel, String tracking, String reportDir) {}

  /**
   * Everything the stage reads from the configuration, read once by {@link #parse}: that is the
   * validation (it runs before Spark starts), and the stage reads nothing else.
   *
   * @param config the effective configuration, written as it is into the run's provenance
   */
  public record Options(StorageSettings storage, TrainSettings train, MlflowSettings mlflow, PipelineConfig config) {

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
    StorageSettings storage = settings.storage();
    StepTimer step = new StepTimer(out);
    long goldVersion = DeltaTables.version(spark, storage.features(), "the features job");
    Dataset<Row> gold = DeltaTables.read(spark, storage.features(), goldVersion);
    long goldRows = gold.count();
    long silverVersion = silverVersionOf(storage, goldVersion);
    // the silver records gold was built from: the combined model's input
    Dataset<Row> silver = DeltaTables.read(spark, storage.silver(), silverVersion)
        .join(gold.select(Bronze.RECORD_KEY), Bronze.RECORD_KEY);
    String input = "gold@v" + goldVersion;
    Row first = gold.select(col(Gold.FEATURE_RUN_ID), col(train.featuresColumn())).first();
    String featureRunId = first.getString(0);
    int inputSize = ((org.apache.spark.ml.linalg.Vector) first.get(1)).size();
    String featureDir = storage.models() + "/" + FeatureStage.PIPELINE_DIR + "/" + featureRunId;
    PipelineModel featurePipeline = PipelineModel.load(featureDir + "/pipeline");
    List<String> labels = List.of(StringIndexerModel.load(featureDir + "/labels").labelsArray()[0]);
    int k = labels.size();
    Set<Integer> orphans = new HashSet<>();
    gold.filter(col(Gold.IS_ORPHAN)).select(Gold.LABEL).distinct().collectAsList()
        .forEach(r -> orphans.add((int) r.getDouble(0)));
    // the label column declares all k classes, so a fit part missing the last class still has k outputs
    Column label = col(Gold.LABEL).as(Gold.LABEL, NominalAttribute.defaultAttr().withName(Gold.LABEL)
        .withNumValues(k).toMetadata());
    // MLlib's iterative learners run a Spark job per iteration: one partition per core, not one per gold file
    Dataset<Row> data = gold.select(col(Bronze.RECORD_KEY), col(Bronze.PATIENT_KEY), label, col(train.featuresColumn()),
        col(Gold.SPLIT)).coalesce(spark.sparkContext().defaultParallelism());
    Dataset<Row> trainSplit = data.filter(col(Gold.SPLIT).equalTo(Gold.TRAIN)).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> validation = data.filter(col(Gold.SPLIT).equalTo(Gold.VALIDATION))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> test = data.filter(col(Gold.SPLIT).equalTo(Gold.TEST)).persist(StorageLevel.MEMORY_AND_DISK());
    Map<String, Long> perSplit = new TreeMap<>();
    perSplit.put(Gold.TRAIN, trainSplit.count());
    perSplit.put(Gold.VALIDATION, validation.count());
    perSplit.put(Gold.TEST, test.count());
    if (perSplit.get(Gold.VALIDATION) == 0 || perSplit.get(Gold.TEST) == 0) {
      throw new IllegalStateException(input + " has no " + (perSplit.get(Gold.VALIDATION) == 0 ? "validation" : "test")
          + " records (" + perSplit + "): generate more records or change dxpipe.features.split");
    }
    step.done(String.format(Locale.ROOT, "read %s: %d classes (%d orphan), %d input features, split %s", input, k,
        orphans.size(), inputSize, perSplit));

    String runId = FeatureStage.newRunId();
    try (Tracking tracking = Tracking.open(mlflow, spark.sparkContext().hadoopConfiguration())) {
      String experiment = tracking.experiment(mlflow.experiment());
      Map<String, String> tags = new LinkedHashMap<>();
      tags.put("mlflow.source.git.commit", gitCommit());
      tags.put("dxpipe.config_sha256", configHash());
      tags.put("dxpipe.gold_table", storage.features());
      tags.put("dxpipe.gold_version", Long.toString(goldVersion));
      tags.put("dxpipe.feature_run_id", featureRunId);
      tags.put("dxpipe.train_run_id", runId);
      perSplit.forEach((split, n) -> tags.put("dxpipe.rows." + split, Long.toString(n)));
      String parent = tracking.startRun(experiment, "train " + runId, null, tags);
      out.println("[dxpipe] MLflow: " + tracking.describe() + ", experiment " + mlflow.experiment() + ", run " + parent);
      boolean finished = false;
      try {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("candidates", train.candidates().stream().map(Learner::configName).toList().toString());
        params.put("class_weights", train.classWeights().name().toLowerCase(Locale.ROOT));
        params.put("cv_folds", Integer.toString(train.folds()));
        params.put("selection_metric", train.selectionMetric());
        params.put("features_column", train.featuresColumn());
        params.put("input_features", Integer.toString(inputSize));
        params.put("classes", Integer.toString(k));
        params.put("orphan_classes", Integer.toString(orphans.size()));
        tracking.logParams(parent, params);

        List<CandidateResult> results = new ArrayList<>();
        for (Learner learner : train.candidates()) {
          results.add(candidate(tracking, experiment, parent, learner, trainSplit, validation, labels, orphans,
              inputSize));
          CandidateResult r = results.get(results.size() - 1);
          step.done(String.format(Locale.ROOT, "%s: cv %s %.3f, validation %s", learner.configName(),
              train.selectionMetric(), r.cvScore(), r.validation()));
        }
        ClassificationMetrics baseline = majority(trainSplit, validation, labels, orphans);
        tracking.logMetrics(parent, "baseline_val_", baseline.summary());
        CandidateResult winner = results.stream().max(java.util.Comparator.comparingDouble(
            r -> score(r.validation(), train.selectionMetric()))).orElseThrow();
        tracking.setTag(parent, "dxpipe.winner", winner.learner().configName());
        tracking.logParams(parent, prefixed("winner_", winner.bestParams()));

        // the winner, refitted on train + validation, reported once on test
        Dataset<Row> trainAndValidation = trainSplit.union(validation);
        long start = System.nanoTime();
        Transformer classifier = fit(winner.learner(), winner.bestParams(), trainAndValidation, true, inputSize, k);
        double refitSeconds = (System.nanoTime() - start) / 1e9;
        ClassificationMetrics testMetrics = evaluate(classifier.transform(test), labels, orphans);
        step.done("refitted " + winner.learner().configName() + " on train + validation; test: " + testMetrics);
        tracking.logMetrics(parent, "test_", testMetrics.summary());
        tracking.logMetric(parent, "refit_seconds", refitSeconds, 0);

        PipelineModel model = combine(featurePipeline, classifier, labels, silver);
        Consistency consistency = checkAndTime(model, classifier, gold, silver);
        step.done(String.format(Locale.ROOT, "the full model reproduces the classifier on %d silver records "
            + "(%d mismatches) at %.1f ms per 1,000 records", consistency.records(), consistency.mismatches(),
            consistency.msPer1000()));
        if (consistency.mismatches() > 0) {
          throw new IllegalStateException("the combined model (feature stages + classifier) predicts differently from "
              + "the classifier on gold features for " + consistency.mismatches() + " of " + consistency.records()
              + " records: silver has changed since the features job, or the pipelines are out of step");
        }
        tracking.logMetric(parent, "scoring_ms_per_1000", consistency.msPer1000(), 0);

        tracking.logArtifact(parent, "model-check/java-predictions.json",
            json(samplePredictions(model, gold, silver)).getBytes(StandardCharsets.UTF_8));
        // saved by Spark to shared storage first (on a cluster the executors write the part files),
        // then copied to a local folder in MLflow's layout and uploaded from there
        String modelPath = storage.models() + "/classifier/" + runId;
        Path local = Files.createTempDirectory("dxpipe-model-");
        long modelBytes;
        try {
          modelBytes = SparkModelFormat.write(model, modelPath + "/sparkml", local.resolve(MODEL_ARTIFACT),
              spark.sparkContext().hadoopConfiguration(), parent, modelInput(silver),
              model.transformSchema(silver.schema()).apply(Predictions.PREDICTED_CODE));
          tracking.logMetric(parent, "model_size_bytes", modelBytes, 0);
          tracking.logArtifacts(parent, MODEL_ARTIFACT, local.resolve(MODEL_ARTIFACT));
        } finally {
          deleteRecursively(local);
        }
        tracking.setTag(parent, "dxpipe.model_path", modelPath + "/sparkml");

        // the monitor's baseline: the population the model learnt from (train + validation) and what it predicts there
        Dataset<Row> learnt = silver.join(gold.filter(col(Gold.SPLIT).notEqual(Gold.TEST)).select(Bronze.RECORD_KEY),
            Bronze.RECORD_KEY);
        Profile population = Profiler.baseline(learnt, model.transform(learnt).select(col(Predictions.PREDICTED_CODE)
            .as(Predictions.PREDICTED_CODE)), testMetrics.summary());
        byte[] baselineJson = population.toJson().getBytes(StandardCharsets.UTF_8);
        new StorageFiles(modelPath, spark.sparkContext().hadoopConfiguration())
            .write(modelPath + "/" + ScoringModel.BASELINE_FILE, baselineJson);
        tracking.logArtifact(parent, "monitoring/" + ScoringModel.BASELINE_FILE, baselineJson);
        step.done("saved the monitoring baseline of " + population.records() + " records beside the model");

        String reportDir = reports(tracking, parent, runId, results, baseline, winner, testMetrics, featureRunId);
        String description = String.format(Locale.ROOT, "%s trained on %s (train run %s); test macro-F1 %.3f, orphan "
            + "macro-recall %.3f, top-3 %.3f", winner.learner().configName(), input, runId, testMetrics.macroF1(),
            testMetrics.orphan().macroRecall(), testMetrics.top3Accuracy());
        int version = tracking.registerVersion(mlflow.registeredModel(), tracking.artifactUri(parent) + "/"
            + MODEL_ARTIFACT, parent, description);
        tracking.setAlias(mlflow.registeredModel(), "challenger", version);
        tracking.setTag(parent, "dxpipe.registered_version", Integer.toString(version));
        step.done("registered " + mlflow.registeredModel() + " version " + version + " as challenger");
        finished = true;
        return new Totals(runId, parent, input, goldRows, perSplit, results, baseline, winner, testMetrics,
            consistency.msPer1000(), modelBytes, consistency.records(), consistency.mismatches(), version,
            mlflow.registeredModel(), tracking.describe(), reportDir);
      } finally {
        endRun(tracking, parent, finished);
      }
    } finally {
      trainSplit.unpersist();
      validation.unpersist();
      test.unpersist();
    }
  }

  private CandidateResult candidate(Tracking tracking, String experiment, String parent, Learner learner,
      Dataset<Row> trainSplit, Dataset<Row> validation, List<String> labels, Set<Integer> orphans, int inputSize) {
    int k = labels.size();
    String run = tracking.startRun(experiment, learner.configName(), parent,
        Map.of("dxpipe.learner", learner.configName(), "dxpipe.weighting", learner.supportsWeightColumn()
            ? "weightCol" : "resampling"));
    boolean finished = false;
    try {
      Dataset<Row> folds = StratifiedKFold.assign(trainSplit, Gold.LABEL, col(Bronze.PATIENT_KEY),
          train.folds(), train.cvSeed(), "fold").persist(StorageLevel.MEMORY_AND_DISK());
      Map<String, Object> best = null;
      double bestScore = Double.NEGATIVE_INFINITY;
      try {
        List<Map<String, Object>> grid = train.grids().get(learner);
        for (int g = 0; g < grid.size(); g++) {
          double sum = 0;
          int scoredFolds = 0;
          for (int f = 0; f < train.folds(); f++) {
            Dataset<Row> fitPart = folds.filter(col("fold").notEqual(f));
            Dataset<Row> held = folds.filter(col("fold").equalTo(f));
            Transformer model = fit(learner, grid.get(g), fitPart, true, inputSize, k);
            double s = score(evaluate(model.transform(held), labels, orphans, train.selectionMetric().contains("auc")),
                train.selectionMetric());
            tracking.logMetric(run, "cv_grid" + g + "_" + train.selectionMetric(), s, f);
            if (Double.isFinite(s)) { // undefined on a fold (an AUC without positives there): left out
              sum += s;
              scoredFolds++;
            }
          }
          double mean = scoredFolds == 0 ? Double.NEGATIVE_INFINITY : sum / scoredFolds;
          tracking.logMetric(run, "cv_grid" + g + "_mean_" + train.selectionMetric(), mean, 0);
          out.printf(Locale.ROOT, "[dxpipe]   %s grid point %d %s: mean %s over %d folds %.3f%n", learner.configName(),
              g, grid.get(g), train.selectionMetric(), train.folds(), mean);
          if (mean > bestScore) {
            bestScore = mean;
            best = grid.get(g);
          }
        }
      } finally {
        folds.unpersist();
      }
      if (best == null) {
        throw new IllegalStateException(train.selectionMetric() + " is undefined on every cross-validation fold of "
            + learner.configName() + ": choose another dxpipe.train.selection-metric");
      }
      tracking.logParams(run, prefixed("", best));
      tracking.logMetric(run, "cv_best_mean_" + train.selectionMetric(), bestScore, 0);

      long start = System.nanoTime();
      Transformer weighted = fit(learner, best, trainSplit, true, inputSize, k);
      double seconds = (System.nanoTime() - start) / 1e9;
      ClassificationMetrics val = evaluate(weighted.transform(validation), labels, orphans);
      tracking.logMetrics(run, "val_", val.summary());
      tracking.logMetric(run, "training_seconds", seconds, 0);
      ClassificationMetrics unweighted = null;
      double unweightedSeconds = Double.NaN;
      if (train.compareUnweighted() && train.classWeights() != ClassWeights.Scheme.NONE) {
        start = System.nanoTime();
        Transformer plain = fit(learner, best, trainSplit, false, inputSize, k);
        unweightedSeconds = (System.nanoTime() - start) / 1e9;
        unweighted = evaluate(plain.transform(validation), labels, orphans);
        tracking.logMetrics(run, "unweighted_val_", unweighted.summary());
        tracking.logMetric(run, "unweighted_training_seconds", unweightedSeconds, 0);
      }
      tracking.logArtifact(run, "validation-metrics.json", json(metricsDocument(val)).getBytes(StandardCharsets.UTF_8));
      finished = true;
      return new CandidateResult(learner, best, bestScore, val, unweighted, seconds, unweightedSeconds, run);
    } finally {
      endRun(tracking, run, finished);
    }
  }

  /** Ends a run; when that fails after the job failed, the job's own failure is the one reported. */
  private static void endRun(Tracking tracking, String runId, boolean finished) {
    try {
      tracking.endRun(runId, finished);
    } catch (RuntimeException e) {
      if (finished) {
        throw e;
      }
      System.err.println("[dxpipe] could not mark MLflow run " + runId + " as failed: " + e);
    }
  }

  /** Fits a learner; with {@code weighted} the class weights come from {@code data}'s own class counts. */
  Transformer fit(Learner learner, Map<String, Object> params, Dataset<Row> data, boolean weighted, int inputSize,
      int classes) {
    boolean useWeights = weighted && train.classWeights() != ClassWeights.Scheme.NONE;
    Dataset<Row> fitData = data;
    String weightColumn = null;
    if (useWeights) {
      Map<Double, Long> counts = new TreeMap<>();
      data.groupBy(Gold.LABEL).count().collectAsList().forEach(r -> counts.put(r.getDouble(0), r.getLong(1)));
      Map<Double, Double> weights = ClassWeights.of(counts, train.classWeights());
      if (learner.supportsWeightColumn()) {
        fitData = ClassWeights.withWeights(data, Gold.LABEL, WEIGHT, weights);
        weightColumn = WEIGHT;
      } else {
        fitData = ClassWeights.resample(data, Gold.LABEL, weights, train.cvSeed());
      }
    }
    Estimator<?> estimator = learner.estimator(params, weightColumn, inputSize, classes, train.cvSeed(),
        train.ovrParallelism());
    estimator.set(estimator.getParam("featuresCol"), train.featuresColumn());
    return (Transformer) estimator.fit(fitData);
  }

  private static ClassificationMetrics evaluate(Dataset<Row> scored, List<String> labels, Set<Integer> orphans) {
    return evaluate(scored, labels, orphans, true);
  }

  private static ClassificationMetrics evaluate(Dataset<Row> scored, List<String> labels, Set<Integer> orphans,
      boolean withAreas) {
    return ClassificationMetrics.of(scored, Gold.LABEL, "prediction", ClassificationMetrics.probabilities(scored),
        labels, orphans, withAreas);
  }

  static double score(ClassificationMetrics m, String metric) {
    double v = m.summary().getOrDefault(metric, Double.NaN);
    return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
  }

  /** Always predicts the most frequent training class, with the training class shares as probabilities. */
  private static ClassificationMetrics majority(Dataset<Row> trainSplit, Dataset<Row> evaluation, List<String> labels,
      Set<Integer> orphans) {
    double[] prior = new double[labels.size()];
    long n = 0;
    for (Row r : trainSplit.groupBy(Gold.LABEL).count().collectAsList()) {
      prior[(int) r.getDouble(0)] = r.getLong(1);
      n += r.getLong(1);
    }
    int majority = 0;
    for (int c = 0; c < prior.length; c++) {
      prior[c] /= n;
      majority = prior[c] > prior[majority] ? c : majority;
    }
    Column probabilities = org.apache.spark.sql.functions.array(java.util.Arrays.stream(prior).mapToObj(p -> lit(p))
        .toArray(Column[]::new));
    return ClassificationMetrics.of(evaluation.withColumn("prediction", lit((double) majority)), Gold.LABEL,
        "prediction", probabilities, labels, orphans);
  }

  /** The fitted feature stages, the classifier and the label-to-code stage as one PipelineModel. */
  private static PipelineModel combine(PipelineModel features, Transformer classifier, List<String> labels,
      Dataset<Row> silver) {
    List<PipelineStage> stages = new ArrayList<>(List.of(features.stages()));
    stages.add(classifier);
    stages.add(new IndexToString().setInputCol("prediction").setOutputCol(Predictions.PREDICTED_CODE)
        .setLabels(labels.toArray(String[]::new)));
    // no estimator among the stages: fit only checks the schema (on silver's) and assembles the model
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(silver.limit(0));
  }

  record Consistency(long records, long mismatches, double msPer1000) {}

  /**
   * Runs the combined model on the silver records gold was built from and compares its predictions
   * with the classifier's on gold's features; the timing of a second full pass (Spark's noop sink,
   * so nothing is written; the first warms up) gives the scoring time per 1,000 records. On a small
   * table that figure is mostly Spark's fixed cost per job (reading Delta, planning): the scoring
   * benchmark measures throughput at scale.
   */
  private Consistency checkAndTime(PipelineModel model, Transformer classifier, Dataset<Row> gold,
      Dataset<Row> silver) {
    model.transform(silver).write().format("noop").mode("overwrite").save(); // warm-up: code generation, caches
    long start = System.nanoTime();
    model.transform(silver).write().format("noop").mode("overwrite").save();
    double ms = (System.nanoTime() - start) / 1e6;
    long records = silver.count();
    Dataset<Row> viaGold = classifier.transform(gold.select(Bronze.RECORD_KEY, train.featuresColumn()))
        .select(col(Bronze.RECORD_KEY), col("prediction").as("via_gold"));
    Dataset<Row> viaSilver = model.transform(silver).select(col(Bronze.RECORD_KEY), col("prediction").as("via_silver"));
    long mismatches = viaGold.join(viaSilver, Bronze.RECORD_KEY).filter(col("via_gold").notEqual(col("via_silver")))
        .count();
    return new Consistency(records, mismatches, records == 0 ? Double.NaN : ms / records * 1000);
  }

  /**
   * The full model's predictions for the first test records (by record key), as the Java scoring
   * path computes them: logged with the model so a Python user can check that
   * {@code mlflow.pyfunc.load_model} predicts the same (scripts/python/check_mlflow.py does).
   */
  private static List<Map<String, Object>> samplePredictions(PipelineModel model, Dataset<Row> gold,
      Dataset<Row> silver) {
    Dataset<Row> testSilver = silver.join(gold.filter(col(Gold.SPLIT).equalTo(Gold.TEST)).select(Bronze.RECORD_KEY),
        Bronze.RECORD_KEY).orderBy(Bronze.RECORD_KEY).limit(SAMPLE_PREDICTIONS);
    List<Map<String, Object>> sample = new ArrayList<>();
    for (Row r : model.transform(testSilver).select(Bronze.RECORD_KEY, "prediction", Predictions.PREDICTED_CODE).collectAsList()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("record_key", r.getString(0));
      p.put("prediction", r.getDouble(1));
      p.put(Predictions.PREDICTED_CODE, r.getString(2));
      sample.add(p);
    }
    return sample;
  }

  /** The silver version the features job read for this gold version (its commit's userMetadata). */
  private long silverVersionOf(StorageSettings storage, long goldVersion) {
    List<Row> commits = io.delta.tables.DeltaTable.forPath(spark, storage.features()).history()
        .filter(col("version").equalTo(goldVersion)).select("userMetadata").collectAsList();
    String metadata = commits.isEmpty() || commits.get(0).isNullAt(0) ? "" : commits.get(0).getString(0);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("silver@v(\\d+)").matcher(metadata);
    return m.find() ? Long.parseLong(m.group(1)) : DeltaTables.version(spark, storage.silver());
  }

  /** The model's input columns and types (its MLflow signature): the silver columns the pipeline reads. */
  private static org.apache.spark.sql.types.StructType modelInput(Dataset<Row> silver) {
    return silver.select(FeaturePipeline.INPUT_COLUMNS.stream().map(org.apache.spark.sql.functions::col)
        .toArray(Column[]::new)).schema();
  }

  private String reports(Tracking tracking, String parent, String runId, List<CandidateResult> results,
      ClassificationMetrics baseline, CandidateResult winner, ClassificationMetrics testMetrics, String featureRunId)
      throws IOException {
    Map<String, Map<String, Double>> comparison = new LinkedHashMap<>();
    for (CandidateResult r : results) {
      comparison.put(r.learner().configName(), r.validation().summary());
      if (r.unweighted() != null) {
        comparison.put(r.learner().configName() + " (unweighted)", r.unweighted().summary());
      }
    }
    comparison.put("majority baseline", baseline.summary());
    String title = winner.learner().configName() + " on test";
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("plots/confusion-matrix.png", EvaluationPlots.confusion(testMetrics, "Confusion matrix: " + title));
    files.put("plots/per-class-recall.png", EvaluationPlots.perClassRecall(testMetrics, "Recall per disease: " + title));
    files.put("plots/roc-curves.png", EvaluationPlots.roc(testMetrics, "One-vs-rest ROC: " + title));
    files.put("plots/model-comparison.png", EvaluationPlots.comparison(comparison,
        List.of("macro_f1", "orphan_macro_recall", "top3_accuracy"), "Candidates on validation"));
    files.put("confusion-matrix.csv", testMetrics.confusionCsv().getBytes(StandardCharsets.UTF_8));
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("train_run_id", runId);
    document.put("winner", winner.learner().configName());
    document.put("winner_params", winner.bestParams());
    document.put("test", metricsDocument(testMetrics));
    Map<String, Object> candidates = new LinkedHashMap<>();
    for (CandidateResult r : results) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("params", r.bestParams());
      c.put("cv_" + train.selectionMetric(), r.cvScore());
      c.put("training_seconds", r.trainSeconds());
      c.put("validation", r.validation().summary());
      if (r.unweighted() != null) {
        c.put("unweighted_training_seconds", r.unweightedTrainSeconds());
        c.put("unweighted_validation", r.unweighted().summary());
      }
      candidates.put(r.learner().configName(), c);
    }
    document.put("candidates", candidates);
    document.put("majority_baseline_validation", baseline.summary());
    files.put("metrics.json", json(document).getBytes(StandardCharsets.UTF_8));
    StorageFiles storageFiles = new StorageFiles(settings.storage().reports(), spark.sparkContext().hadoopConfiguration());
    String pcaReport = settings.storage().reports() + "/features/" + featureRunId + "/pca-report.json";
    if (storageFiles.exists(pcaReport)) {
      files.put("features/pca-report.json", storageFiles.readString(pcaReport).getBytes(StandardCharsets.UTF_8));
    }
    String dir = settings.storage().reports() + "/training/" + runId;
    files.forEach((path, content) -> {
      tracking.logArtifact(parent, path, content);
      for (String target : List.of(dir, settings.storage().reports() + "/training/latest")) {
        storageFiles.write(target + "/" + path, content);
      }
    });
    return dir;
  }

  static Map<String, Object> metricsDocument(ClassificationMetrics m) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("records", m.records());
    doc.putAll(m.summary());
    List<Map<String, Object>> perClass = new ArrayList<>();
    for (ClassificationMetrics.ClassMetrics c : m.perClass()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("label", c.label());
      row.put("orphan", c.orphan());
      row.put("support", c.support());
      row.put("precision", c.precision());
      row.put("recall", c.recall());
      row.put("f1", c.f1());
      row.put("roc_auc", Double.isNaN(c.rocAuc()) ? null : c.rocAuc());
      row.put("pr_auc", Double.isNaN(c.prAuc()) ? null : c.prAuc());
      perClass.add(row);
    }
    doc.put("per_class", perClass);
    doc.replaceAll((key, v) -> v instanceof Double d && !Double.isFinite(d) ? null : v);
    return doc;
  }

  private static Map<String, String> prefixed(String prefix, Map<String, Object> params) {
    Map<String, String> out = new LinkedHashMap<>();
    params.forEach((key, v) -> out.put(prefix + key, String.valueOf(v)));
    return out;
  }

  private String configHash() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String line : settings.config().render()) {
        sha.update(line.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The commit of the code: DXPIPE_GIT_COMMIT or GIT_COMMIT (CI), else git in the working directory. */
  static String gitCommit() {
    for (String name : List.of("DXPIPE_GIT_COMMIT", "GIT_COMMIT", "GITHUB_SHA")) {
      String value = System.getenv(name);
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    try {
      Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
      String sha = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return git.waitFor() == 0 && sha.matches("[0-9a-f]{40}") ? sha : "unknown";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
