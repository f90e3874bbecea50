package io.dxpipe.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.clean.CleanStage;
import io.dxpipe.config.Settings;
import io.dxpipe.features.FeatureStage;
import io.dxpipe.generate.BronzeSynthesizer;
import io.dxpipe.generate.GenerateSettings;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.mlflow.MlflowSettings;
import io.dxpipe.io.StorageFiles;
import io.dxpipe.model.ModelLayout;
import io.dxpipe.monitor.Profile;
import io.dxpipe.schema.Bronze;
import io.dxpipe.testing.MemoryTracking;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole training stage on gold built by the clean and features stages from 600 generated
 * records (one learner, two grid points on each of the two features columns, two folds), logging to
 * MLflow in memory: what it returns, prints, logs and writes beside the model, and that a gold commit
 * without its silver version stops it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainStageTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final byte[] KEY = "test-patient-key-0123456789-0123456789-abcdefgh".getBytes(StandardCharsets.UTF_8);
  private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

  @TempDir
  static Path root;

  private static Settings settings() {
    return TestSettings.load(Stream.of("storage.root=file:" + root, "mlflow.tracking-uri=",
        "generate.mode=historical", "generate.records=600", "generate.date=2026-03-01",
        "generate.records-per-partition=300", "train.candidates=[logistic-regression]", "train.cv.folds=2",
        "train.grids.logistic-regression.reg-param=[0.01, 0.1]", "train.grids.logistic-regression.max-iter=[30]")
        .toArray(String[]::new));
  }

  /** The stage's options with no tracking URI: the tests pass MLflow in memory, which Options.parse cannot know. */
  private static TrainStage.Options options(Settings s) {
    return new TrainStage.Options(s.storage(), TrainSettings.from(s.config().dxpipe()),
        MlflowSettings.from(s.config().dxpipe()), s.config());
  }

  /** A training run's outcome, what it logged and what it printed. */
  private record Trained(TrainStage.Totals totals, MemoryTracking tracking, String out) {}

  /** The stage with {@code s}, logging to MLflow in memory; its output is echoed. */
  private static Trained train(Settings s) throws Exception {
    MemoryTracking tracking = new MemoryTracking();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    TrainStage.Totals t = new TrainStage(SPARK, options(s), new PrintStream(printed, true, StandardCharsets.UTF_8))
        .run(m -> tracking);
    String out = printed.toString(StandardCharsets.UTF_8);
    System.out.print(out);
    return new Trained(t, tracking, out);
  }

  @BeforeAll
  static void gold() {
    Settings s = settings();
    Dataset<Row> records = BronzeSynthesizer.records(SPARK, DiseaseCatalogue.fromClasspath(), GenerateSettings.from(s.config()), KEY,
        "t");
    DeltaTables.replace(records, s.storage().bronze(), Bronze.PARTITION_BY, null, null);
    new CleanStage(SPARK, CleanStage.Options.parse(s), QUIET).run();
    new FeatureStage(SPARK, FeatureStage.Options.parse(s), QUIET).run();
  }

  @Test
  @Order(1)
  void trainsLogsRegistersAndWritesTheModelWithItsBaselineAndReports() throws Exception {
    Settings s = settings();
    Trained trained = train(s);
    MemoryTracking tracking = trained.tracking();
    TrainStage.Totals t = trained.totals();
    String out = trained.out();

    // what the job summary is made of
    assertThat(t.perSplit().keySet()).containsExactly("test", "train", "validation");
    assertThat(t.perSplit().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(t.goldRows());
    assertThat(t.input()).isEqualTo("gold@v0");
    assertThat(t.candidates()).hasSize(1);
    assertThat(t.winner().learner()).isEqualTo(Learner.LOGISTIC_REGRESSION);
    assertThat(t.winner().unweighted()).as("compare-unweighted is on").isNotNull();
    assertThat(t.test().records()).isEqualTo(t.perSplit().get("test"));
    assertThat(t.baseline().records()).isEqualTo(t.perSplit().get("validation"));
    assertThat(t.winner().validation().macroF1()).as("better than the majority baseline")
        .isGreaterThan(t.baseline().macroF1());
    assertThat(t.silverChecked()).isEqualTo(t.goldRows());
    assertThat(t.mismatches()).isZero();
    assertThat(t.modelBytes()).isPositive();
    assertThat(t.registeredVersion()).isEqualTo(1);
    assertThat(tracking.alias(t.registeredModel(), "challenger")).contains(1);
    assertThat(tracking.version(t.registeredModel(), 1).source()).isEqualTo("memory:/" + t.mlflowRunId()
        + "/artifacts/model");

    // MLflow: the parent run
    MemoryTracking.Run parent = tracking.runs().get(t.mlflowRunId());
    String folder = ModelLayout.folder(s.storage().models(), t.runId());
    assertThat(parent.ended()).containsExactly(true);
    assertThat(parent.tags()).containsEntry("dxpipe.gold_version", "0").containsEntry("dxpipe.train_run_id", t.runId())
        .containsEntry("dxpipe.winner", "logistic-regression").containsEntry("dxpipe.registered_version", "1")
        .containsEntry(ModelLayout.MODEL_PATH_TAG, ModelLayout.sparkModel(folder))
        .containsEntry("dxpipe.rows.test", Long.toString(t.perSplit().get("test")))
        .containsEntry("param.cv_folds", "2").containsEntry("param.classes", Integer.toString(t.test().labels().size()))
        .containsKeys("mlflow.source.git.commit", "dxpipe.config_sha256", "dxpipe.feature_run_id", "param.winner_reg-param")
        // both features columns by default: the column is a grid dimension, the winner's is logged
        .containsEntry("param.features_column", "features, features_full")
        .containsEntry("param.winner_features-column",
            (String) t.winner().bestParams().get(TrainSettings.FEATURES_COLUMN));
    assertThat(parent.tags().get("param.input_features")).matches("features=\\d+, features_full=\\d+");
    assertThat(parent.metrics()).containsKeys("baseline_val_macro_f1", "test_macro_f1", "test_top3_accuracy",
        "refit_seconds", "scoring_ms_per_1000", "model_size_bytes");
    assertThat(parent.metrics().get("test_macro_f1")).isEqualTo(t.test().macroF1());
    assertThat(parent.artifacts().keySet()).contains("model/MLmodel", "model/requirements.txt",
        "model-check/java-predictions.json", ModelLayout.BASELINE_ARTIFACT, "plots/confusion-matrix.png",
        "plots/per-class-recall.png", "plots/roc-curves.png", "plots/model-comparison.png", "confusion-matrix.csv",
        "metrics.json", "features/pca-report.json");
    assertThat(parent.artifacts().keySet()).anyMatch(p -> p.startsWith("model/sparkml/stages/"));
    String sample = new String(parent.artifacts().get("model-check/java-predictions.json"), StandardCharsets.UTF_8);
    assertThat(sample.split("\"record_key\"", -1)).hasSize(FullModel.SAMPLE_PREDICTIONS + 1);
    assertThat(new String(parent.artifacts().get("metrics.json"), StandardCharsets.UTF_8))
        .contains("\"winner\" : \"logistic-regression\"", "\"majority_baseline_validation\"", "\"per_class\"");

    // MLflow: the candidate's nested run
    MemoryTracking.Run candidate = tracking.runs().get(t.winner().runId());
    assertThat(candidate.tags()).containsEntry("mlflow.parentRunId", t.mlflowRunId())
        .containsEntry("dxpipe.learner", "logistic-regression").containsEntry("dxpipe.weighting", "weightCol");
    assertThat(candidate.metrics()).containsKeys("cv_grid0_mean_macro_f1", "cv_grid1_mean_macro_f1",
        "cv_grid2_mean_macro_f1", "cv_grid3_mean_macro_f1",
        "cv_best_mean_macro_f1", "val_macro_f1", "unweighted_val_macro_f1", "training_seconds",
        "unweighted_training_seconds");
    assertThat(candidate.metrics().get("cv_best_mean_macro_f1")).isEqualTo(t.winner().cvScore());
    assertThat(candidate.artifacts()).containsKey("validation-metrics.json");
    assertThat(candidate.ended()).containsExactly(true);

    // storage: the model, its baseline beside it, the reports
    StorageFiles files = new StorageFiles(folder, SPARK.sparkContext().hadoopConfiguration());
    PipelineModel saved = PipelineModel.load(ModelLayout.sparkModel(folder));
    assertThat(saved.stages()).hasSizeGreaterThan(2);
    Profile baseline = Profile.fromJson(files.readString(ModelLayout.baseline(folder)));
    assertThat(baseline.records()).isEqualTo(t.perSplit().get("train") + t.perSplit().get("validation"));
    assertThat(files.readString(ModelLayout.baseline(folder)).getBytes(StandardCharsets.UTF_8))
        .isEqualTo(parent.artifacts().get(ModelLayout.BASELINE_ARTIFACT));
    assertThat(t.reportDir()).isEqualTo(s.storage().reports() + "/training/" + t.runId());
    for (String dir : List.of(t.reportDir(), s.storage().reports() + "/training/latest")) {
      assertThat(files.exists(dir + "/metrics.json")).as(dir).isTrue();
      assertThat(files.exists(dir + "/plots/roc-curves.png")).as(dir).isTrue();
    }

    // what it prints, step by step
    assertThat(out).contains("[dxpipe] read gold@v0: " + t.test().labels().size() + " classes (",
        "[dxpipe] MLflow: MLflow in memory, experiment " + s.config().dxpipe().getString("mlflow.experiment")
            + ", run " + t.mlflowRunId(),
        "[dxpipe]   logistic-regression grid point 0 {", "[dxpipe]   logistic-regression grid point 1 {",
        "features-column=features}", "[dxpipe]   logistic-regression grid point 3 {",
        "features-column=features_full}",
        "[dxpipe] logistic-regression: cv macro_f1 ",
        "[dxpipe] refitted logistic-regression on train + validation; test: ",
        "[dxpipe] the full model reproduces the classifier on " + t.goldRows() + " silver records (0 mismatches) at ",
        "[dxpipe] saved the monitoring baseline of " + baseline.records() + " records beside the model",
        "[dxpipe] registered " + t.registeredModel() + " version 1 as challenger");

    // held out: the labels' generated patients are ranked; diseases without records are not classes
    HeldOutEvaluation.Group withRecords = t.heldOut().group("cases_over_5");
    assertThat(withRecords.top3()).as(withRecords.describe()).isGreaterThan(0.5);
    HeldOutEvaluation.Group unseen = t.heldOut().group("cases_0");
    assertThat(unseen.records()).isEqualTo(20L * 200);
    assertThat(unseen.top10()).as("not a class of this model: a miss at every k").isZero();
    assertThat(files.exists(t.reportDir() + "/held-out/diseases.csv")).isTrue();
  }

  /**
   * The phenotype candidate through the whole stage: the model it registers ranks every catalogue
   * disease (the training labels first), reproduces its classifier on silver, passes the service's
   * golden-row gate, gives the batch path's codes in the row evaluator, and puts an Orphanet disease
   * that has not a single training record in the top 3 for the symptoms it is annotated with.
   */
  @Test
  @Order(2)
  void thePhenotypeCandidateRanksEveryCatalogueDiseaseAndIsServed() throws Exception {
    Settings s = TestSettings.load(Stream.of("storage.root=file:" + root, "mlflow.tracking-uri=",
        "train.candidates=[phenotype]", "train.cv.folds=2", "train.grids.phenotype.strength=[3, 30]",
        "clean.vocabulary.hpo-ontology=\"" + io.dxpipe.testing.Repo.sharedData().resolve("hpo-orphanet/hp.obo") + "\"")
        .toArray(String[]::new));
    Trained trained = train(s);
    MemoryTracking tracking = trained.tracking();
    TrainStage.Totals t = trained.totals();
    String out = trained.out();
    DiseaseCatalogue catalogue = DiseaseCatalogue.fromClasspath();

    assertThat(t.winner().learner()).isEqualTo(Learner.PHENOTYPE);
    assertThat(t.winner().unweighted()).as("class weights do not apply: nothing to compare").isNull();
    assertThat(tracking.runs().get(t.winner().runId()).tags()).containsEntry("dxpipe.weighting", "class prior");
    assertThat(out).contains("[dxpipe]   phenotype grid point 0 {presentation=0.5, background=0.002, strength=3.0, prior=0.0, context=1.0}",
        "[dxpipe]   phenotype grid point 1 {presentation=0.5, background=0.002, strength=30.0, prior=0.0, context=1.0}");
    assertThat(t.mismatches()).isZero();
    assertThat(t.winner().validation().macroF1()).isGreaterThan(t.baseline().macroF1());

    String folder = ModelLayout.folder(s.storage().models(), t.runId());
    PipelineModel saved = PipelineModel.load(ModelLayout.sparkModel(folder));
    List<String> labels = t.test().labels();
    List<String> codes = List.of(((org.apache.spark.ml.feature.IndexToString) saved.stages()[saved.stages().length - 1])
        .getLabels());
    assertThat(codes).hasSize(catalogue.diseases().size()).startsWith(labels.toArray(String[]::new))
        .containsAll(catalogue.diseasesByCode().keySet());

    assertThat(io.dxpipe.score.ScoringModel.symptomVocabulary(saved)).as("the symptoms the model knows: all the "
        + "catalogue's").containsAll(catalogue.symptoms().stream().map(io.dxpipe.catalogue.Symptom::code).toList());

    // the row evaluator gives the batch path's codes and probabilities
    Dataset<Row> silver = DeltaTables.read(SPARK, s.storage().silver(), "the clean job").orderBy(Bronze.RECORD_KEY)
        .limit(40);
    io.dxpipe.serve.RowEvaluator evaluator = io.dxpipe.serve.RowEvaluator.of(saved);
    for (Row r : saved.transform(silver).select("*").collectAsList()) {
      io.dxpipe.serve.RowEvaluator.Prediction p = evaluator.predict(io.dxpipe.serve.RowEvaluator.toMap(r), 3);
      assertThat(p.predictedCode()).isEqualTo(r.getString(r.fieldIndex(io.dxpipe.schema.Predictions.PREDICTED_CODE)));
      double[] batch = ((org.apache.spark.ml.linalg.Vector) r.get(r.fieldIndex("probability"))).toArray();
      for (int i = 0; i < batch.length; i += 97) {
        assertThat(p.probability()[i]).isCloseTo(batch[i], org.assertj.core.data.Offset.offset(1e-12));
      }
    }

    // the service: its golden-row gate passes, and an Orphanet disease without training records is ranked
    io.dxpipe.serve.OnlineModel online = io.dxpipe.serve.OnlineModel.load(io.dxpipe.score.ScoringModel.resolve(
        ModelLayout.sparkModel(folder), 0, "champion", "dxpipe.serve", null, null), io.dxpipe.clean.SilverBuilder.load(
            io.dxpipe.clean.CleanSettings.from(s.config().dxpipe()), catalogue), 1, SPARK);
    assertThat(online.gate().rows()).isPositive();
    io.dxpipe.catalogue.Disease orphan = catalogue.diseasesByCode().get(codes.stream()
        .filter(c -> c.startsWith("orpha_") && !labels.contains(c)).findFirst().orElseThrow());
    List<Row> symptoms = orphan.symptoms().stream()
        .sorted(java.util.Comparator.comparingDouble(io.dxpipe.catalogue.SymptomFrequency::frequency).reversed())
        .limit(6).map(f -> (Row) new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(
            new Object[] {f.symptom(), null}, Bronze.SYMPTOM)).toList();
    Map<String, Object> record = new java.util.HashMap<>();
    record.put(Bronze.RECORD_KEY, "online");
    record.put(Bronze.SYMPTOMS, symptoms);
    record.put(Bronze.PREVIOUS_DIAGNOSES, List.of());
    io.dxpipe.serve.OnlineModel.Outcome outcome = online.predict(record, 3);
    assertThat(outcome.rejectionCode()).isNull();
    assertThat(outcome.top()).extracting(io.dxpipe.serve.OnlineModel.RankedDisease::code).as(orphan.name())
        .contains(orphan.code());

    // held out: 20 generated patients of each label and of 200 diseases without a record; most of the
    // latter are in the top 10 (the logistic regression of the first test, whose classes are the labels, has none)
    HeldOutEvaluation.Result heldOut = t.heldOut();
    assertThat(heldOut.skipped()).isNull();
    assertThat(heldOut.group("all").records()).isEqualTo(20L * (labels.size() + 200));
    HeldOutEvaluation.Group unseen = heldOut.group("cases_0");
    assertThat(unseen.diseases()).isEqualTo(200);
    assertThat(unseen.top10()).as(unseen.describe()).isGreaterThan(0.5);
    assertThat(heldOut.group("cases_over_5").top3()).as("diseases with records").isGreaterThan(0.7);
    assertThat(tracking.runs().get(t.mlflowRunId()).metrics()).containsKeys("heldout_all_top1",
        "heldout_orphan_macro_recall", "heldout_cases_0_top10", "heldout_cases_over_5_macro_recall");
    assertThat(out).contains("[dxpipe] held-out evaluation (" + heldOut.group("all").records() + " generated patients, "
        + "20% of the HPO terms written as a parent, ");
  }

  @Test
  @Order(3)
  void aGoldCommitThatDoesNotNameItsSilverVersionStopsTraining() {
    Settings s = settings();
    String gold = s.storage().features();
    // gold rewritten by hand, as it was: the commit records no lineage
    DeltaTables.read(SPARK, gold, "the features job").write().format("delta").mode(SaveMode.Overwrite).save(gold);
    long version = DeltaTables.version(SPARK, gold);
    MemoryTracking tracking = new MemoryTracking();
    assertThatThrownBy(() -> new TrainStage(SPARK, options(s), QUIET).run(m -> tracking))
        .hasMessageContaining("the commit of version " + version + " of " + gold + " has no metadata");
    assertThat(tracking.runs()).as("nothing logged").isEmpty();
  }
}
