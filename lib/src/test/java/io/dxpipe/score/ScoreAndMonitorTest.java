package io.dxpipe.score;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.clean.CleanSettings;
import io.dxpipe.clean.SilverBuilder;
import io.dxpipe.config.Settings;
import io.dxpipe.features.FeaturePipeline;
import io.dxpipe.features.FeatureSettings;
import io.dxpipe.generate.BronzeSynthesizer;
import io.dxpipe.generate.GenerateSettings;
import io.dxpipe.generate.LandingGenerator;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.io.StorageFiles;
import io.dxpipe.model.ModelLayout;
import io.dxpipe.monitor.MonitorStage;
import io.dxpipe.monitor.Profiler;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.DelayedLabels;
import io.dxpipe.schema.Gold;
import io.dxpipe.schema.Monitoring;
import io.dxpipe.schema.Predictions;
import io.dxpipe.schema.Schemas;
import io.dxpipe.testing.MemoryTracking;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The score and monitor jobs' work on real Delta tables with a model of the train job's shape
 * (feature stages, a logistic regression, the index-to-code stage) given by path: predictions and
 * rejects add up and re-runs replace the day; raw files score without bronze; the monitor writes
 * its table and signals retraining on a drifted day only, through the flag file.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScoreAndMonitorTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final DiseaseCatalogue CATALOGUE = DiseaseCatalogue.fromClasspath();
  private static final byte[] KEY = "test-patient-key-0123456789-0123456789-abcdefgh".getBytes(StandardCharsets.UTF_8);
  private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
  private static final String DAY = "2026-03-02";
  private static final MemoryTracking TRACKING = new MemoryTracking();

  @TempDir
  static Path root;
  private static String modelPath;

  private static Settings settings(String... more) {
    // a tracking URI nothing contacts: the model is a path and the monitor logs to MLflow in memory
    return TestSettings.load(Stream.concat(Stream.of("storage.root=file:" + root, "mlflow.tracking-uri=\"http://127.0.0.1:1\"",
        "score.model.path=" + modelPath, "monitor.min-records=100",
        "generate.records-per-partition=500"), Stream.of(more)).toArray(String[]::new));
  }

  /** The monitor logging to MLflow in memory (the same store across the tests, as a server would be). */
  private static MonitorStage.Outcome monitor(Settings s) {
    return new MonitorStage(SPARK, MonitorStage.Options.parse(s), QUIET, m -> TRACKING).run();
  }

  private static Dataset<Row> synthesized(Settings s) {
    return BronzeSynthesizer.records(SPARK, CATALOGUE, GenerateSettings.from(s.config()), KEY, "test");
  }

  /** A model of the train job's shape on 600 labelled records, and its monitoring baseline beside it. */
  @BeforeAll
  static void model() {
    modelPath = root.resolve("models/classifier/test/sparkml").toUri().toString();
    Settings s = settings("generate.mode=historical", "generate.records=600", "generate.date=2026-03-01");
    Dataset<Row> silver = SilverBuilder.load(CleanSettings.from(s.config().dxpipe()), CATALOGUE).clean(synthesized(s))
        .cache();
    FeaturePipeline.Fitted features = FeaturePipeline.fit(silver, FeatureSettings.from(s.config().dxpipe()));
    StringIndexerModel labels = new StringIndexer().setInputCol(Bronze.DIAGNOSIS_CODE).setOutputCol(Gold.LABEL)
        .fit(silver);
    Dataset<Row> training = labels.transform(features.model().transform(silver));
    List<PipelineStage> stages = new ArrayList<>(List.of(features.model().stages()));
    stages.add(new LogisticRegression().setMaxIter(10).setFeaturesCol(Gold.FEATURES).setLabelCol(Gold.LABEL)
        .fit(training));
    stages.add(new IndexToString().setInputCol("prediction").setOutputCol(Predictions.PREDICTED_CODE)
        .setLabels(labels.labelsArray()[0]));
    PipelineModel model = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(silver.limit(0));
    try {
      model.write().overwrite().save(modelPath);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String baseline = Profiler.baseline(silver, model.transform(silver).select(col(Predictions.PREDICTED_CODE)
        .as(Predictions.PREDICTED_CODE)), Map.of("macro_f1", 0.5, "orphan_macro_recall", 0.3)).toJson();
    new StorageFiles(modelPath, SPARK.sparkContext().hadoopConfiguration())
        .writeString(ModelLayout.baselineUri(modelPath), baseline);
    silver.unpersist();
  }

  /** The day's records in bronze: 300 generated, one without symptoms, one with only unknown ones. */
  private static void bronzeDay(String day, String... drift) {
    List<String> o = new ArrayList<>(List.of("generate.mode=daily", "generate.records=300", "generate.date=" + day));
    o.addAll(List.of(drift));
    Settings s = settings(o.toArray(String[]::new));
    Dataset<Row> records = synthesized(s);
    records = records.withColumn(Bronze.SYMPTOMS,
        when(col(Bronze.SOURCE_RECORD_ID).endsWith("00000001"), array().cast(records.schema().apply(Bronze.SYMPTOMS)
            .dataType()))
        .when(col(Bronze.SOURCE_RECORD_ID).endsWith("00000002"), array(struct(lit("glowing_ears").as("name"),
            lit(2).as("severity"))))
        .otherwise(col(Bronze.SYMPTOMS)));
    DeltaTables.replace(records, s.storage().bronze(), Bronze.PARTITION_BY,
        Bronze.DELIVERY_DATE + " = '" + day + "'", null);
  }

  private static Dataset<Row> predictions(String day) {
    return SPARK.read().format("delta").load(settings().storage().predictions())
        .filter(col(Predictions.SCORING_DATE).equalTo(lit(java.sql.Date.valueOf(day))));
  }

  @Test
  @Order(1)
  void scoresTheDayRejectsWhatItCannotScoreAndReplacesTheDayOnReRun() {
    bronzeDay(DAY);
    Settings s = settings("score.input=bronze", "score.date=" + DAY);
    ScoreStage.Totals t = new ScoreStage(SPARK, ScoreStage.Options.parse(s), QUIET).run();
    assertThat(t.read()).isEqualTo(300);
    assertThat(t.rejectedPerReason()).isEqualTo(Map.of(ScoreStage.NO_SYMPTOMS, 1L, ScoreStage.NO_KNOWN_SYMPTOMS, 1L));
    assertThat(t.scored()).isEqualTo(298);
    assertThat(t.model().version()).isNull();
    assertThat(t.model().uri()).isEqualTo(modelPath);

    Dataset<Row> p = predictions(DAY);
    assertThat(Schemas.differences(p.schema(), Predictions.SCHEMA)).isEmpty();
    assertThat(p.columns()).containsExactly(Predictions.SCHEMA.fieldNames());
    assertThat(p.count()).isEqualTo(298);
    assertThat(p.select(Bronze.RECORD_KEY).distinct().count()).isEqualTo(298);
    for (Row r : p.limit(50).collectAsList()) {
      List<Row> top3 = r.getList(r.fieldIndex(Predictions.TOP3));
      assertThat(top3).hasSize(3);
      assertThat(top3.get(0).getString(0)).isEqualTo(r.getString(r.fieldIndex(Predictions.PREDICTED_CODE)));
      assertThat(top3.get(0).getDouble(1)).isEqualTo(r.getDouble(r.fieldIndex(Predictions.PROBABILITY)));
      assertThat(top3.get(0).getDouble(1)).isGreaterThanOrEqualTo(top3.get(1).getDouble(1));
      assertThat(top3.get(1).getDouble(1)).isGreaterThanOrEqualTo(top3.get(2).getDouble(1));
      assertThat(top3.get(0).getDouble(1) + top3.get(1).getDouble(1) + top3.get(2).getDouble(1))
          .isLessThanOrEqualTo(1 + 1e-9);
      boolean anyOrphan = top3.stream().anyMatch(x -> x.getBoolean(2));
      assertThat(r.getBoolean(r.fieldIndex(Predictions.ORPHAN_IN_TOP3))).isEqualTo(anyOrphan);
      assertThat(r.getBoolean(r.fieldIndex(Predictions.IS_ORPHAN))).isEqualTo(top3.get(0).getBoolean(2));
      // top_k: dxpipe.score.top-k = 10 classes, best first, top3 its first three
      List<Row> topK = r.getList(r.fieldIndex(Predictions.TOP_K));
      assertThat(topK).hasSize(10).startsWith(top3.toArray(Row[]::new));
      assertThat(topK).extracting(x -> x.getString(0)).doesNotHaveDuplicates();
      for (int i = 1; i < topK.size(); i++) {
        assertThat(topK.get(i - 1).getDouble(1)).isGreaterThanOrEqualTo(topK.get(i).getDouble(1));
      }
    }
    Dataset<Row> rejected = SPARK.read().format("delta").load(s.storage().scoringQuarantine());
    assertThat(rejected.columns()).containsExactly(Predictions.Rejected.SCHEMA.fieldNames());
    assertThat(Schemas.differences(rejected.schema(), Predictions.Rejected.SCHEMA)).isEmpty();
    assertThat(rejected.filter(col(Predictions.Rejected.REASON).contains("glowing_ears")).count()).isEqualTo(1);

    // a re-run replaces the day: the same rows, once
    ScoreStage.Totals again = new ScoreStage(SPARK, ScoreStage.Options.parse(s), QUIET).run();
    assertThat(again.scored()).isEqualTo(298);
    assertThat(predictions(DAY).count()).isEqualTo(298);
    assertThat(SPARK.read().format("delta").load(s.storage().scoringQuarantine()).count()).isEqualTo(2);
    assertThat(predictions(DAY).select(Predictions.SCORE_RUN_ID).distinct().collectAsList())
        .extracting(r -> r.getString(0)).containsExactly(again.runId());
  }

  @Test
  @Order(2)
  void rawFilesScoreWithoutBronzeAndTheirUnusableRecordsAreRejected() {
    Settings gen = settings("generate.mode=daily", "generate.records=150", "generate.date=2026-03-05",
        "generate.dirty.missing-required-rate=0.1", "generate.dirty.corrupt-file-rate=0",
        "generate.dirty.duplicate-same-source-rate=0", "generate.dirty.duplicate-cross-source-rate=0",
        "storage.landing=file:" + root.resolve("adhoc"));
    new LandingGenerator(SPARK, CATALOGUE, GenerateSettings.from(gen.config()), gen.storage().landing()).run();
    long bronzeBefore = SPARK.read().format("delta").load(gen.storage().bronze()).count();
    Settings s = settings("score.input=landing", "score.landing-path=file:" + root.resolve("adhoc"),
        "score.date=2026-03-05");
    ScoreStage.Totals t = new ScoreStage(SPARK, ScoreStage.Options.parse(s), QUIET).run();
    assertThat(t.read()).isEqualTo(150);
    assertThat(t.scored() + t.rejected()).isEqualTo(150);
    assertThat(t.rejectedPerReason()).containsKey("ingest:MISSING_REQUIRED_FIELD");
    assertThat(t.scored()).isGreaterThan(100);
    assertThat(SPARK.read().format("delta").load(gen.storage().bronze()).count()).isEqualTo(bronzeBefore);
  }

  /**
   * A file of published-style cases (one per line, HPO ids and nothing else) is scored by
   * configuration alone: a source of format hpo-cases and an ad-hoc landing run.
   */
  @Test
  @Order(2)
  void aFileOfHpoCodedCasesIsScoredByConfiguration() throws Exception {
    Path folder = root.resolve("cases/published_cases/2026-03-06");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("cases.txt"), String.join("\n",
        "# case reports: HPO ids of the patient's phenotype",
        "HP:0001945 HP:0012735 HP:0025143 HP:0002315",  // fever, cough, chills, headache
        "HP:0002013,HP:0002018;HP:0002027",             // vomiting, nausea, abdominal pain
        "",
        "HP:0001945 fever",                             // a word: not an id
        "HP:0000198"));                                 // known to no model symptom
    Settings s = settings("score.input=landing", "score.landing-path=file:" + root.resolve("cases"),
        "score.date=2026-03-06", "ingest.sources.published_cases.format=hpo-cases", "score.top-k=25");
    ScoreStage.Totals t = new ScoreStage(SPARK, ScoreStage.Options.parse(s), QUIET).run();
    assertThat(t.read()).isEqualTo(4);
    assertThat(t.scored()).isEqualTo(2);
    assertThat(t.rejected()).isEqualTo(2);
    assertThat(t.rejectedPerReason()).hasSize(2);
    List<Row> scored = predictions("2026-03-06").filter(col(Bronze.SOURCE).equalTo("published_cases")).collectAsList();
    assertThat(scored).hasSize(2);
    assertThat(scored).extracting(r -> r.<String>getAs(Bronze.RECORD_KEY)).doesNotContainNull().doesNotHaveDuplicates();
    for (Row r : scored) {
      assertThat(r.<String>getAs(Predictions.PREDICTED_CODE)).isIn(CATALOGUE.diseasesByCode().keySet());
      assertThat(r.getList(r.fieldIndex(Predictions.TOP3))).hasSize(3);
      assertThat(r.getList(r.fieldIndex(Predictions.TOP_K))).as("score.top-k").hasSize(25);
    }
  }

  @Test
  @Order(3)
  void theMonitorIsQuietOnTheDayAndSignalsRetrainingOnADriftedOne() throws Exception {
    Settings quiet = settings("monitor.input=bronze", "monitor.date=" + DAY);
    MonitorStage.Outcome normal = monitor(quiet);
    assertThat(normal.breaches()).isEmpty();
    assertThat(normal.scored()).isEqualTo(298);
    assertThat(normal.rejected()).isEqualTo(2);
    assertThat(normal.signalFile()).isNull();
    Path signals = root.resolve("monitoring/daily/_signals");
    assertThat(Files.readString(signals.resolve("latest.json"))).contains("\"retrain\" : false");

    // delayed labels: confirmed diagnoses arrive for the day's records; here the model's own predictions for
    // all but 20 records, so accuracy is known: (labelled - 20) / labelled
    List<Row> predicted = predictions(DAY).select(Bronze.SOURCE, Bronze.RECORD_KEY, Predictions.PREDICTED_CODE)
        .collectAsList();
    StringBuilder csv = new StringBuilder(DelayedLabels.HEADER + "\n");
    for (int i = 0; i < predicted.size(); i++) {
      Row r = predicted.get(i);
      String id = r.getString(1).substring(r.getString(0).length() + 1);
      String code = i < 20 ? "not_" + r.getString(2) : r.getString(2);
      csv.append(DelayedLabels.line(r.getString(0), id, code, "2026-03-20"));
    }
    Files.createDirectories(root.resolve("labels/2026-03-20"));
    Files.writeString(root.resolve("labels/2026-03-20/diagnoses.csv"), csv.toString());
    MonitorStage.Outcome labelled = monitor(quiet);
    Map<String, Double> performance = new java.util.HashMap<>();
    labelled.findings().stream().filter(f -> f.check().equals("performance"))
        .forEach(f -> performance.put(f.metric(), f.value()));
    assertThat(performance.get("labelled")).isEqualTo(298.0);
    assertThat(performance.get("accuracy")).isCloseTo(278 / 298.0, within(1e-12));
    assertThat(performance.get("macro_f1")).isBetween(0.5, 1.0);

    String drifted = "2026-03-03";
    bronzeDay(drifted, "generate.drift.fahrenheit-source=north_ehr_batch", "generate.drift.age-shift-share=0.5",
        "generate.drift.age-shift-years=30");
    new ScoreStage(SPARK, ScoreStage.Options.parse(settings("score.input=bronze", "score.date=" + drifted)), QUIET)
        .run();
    MonitorStage.Outcome o = monitor(settings("monitor.input=bronze", "monitor.date=" + drifted));
    assertThat(o.retrain()).isTrue();
    assertThat(o.breaches()).extracting(f -> f.feature() + " " + f.metric())
        .contains("flag:unit share", "age ks");
    assertThat(Files.readString(signals.resolve("retrain-" + drifted + ".json"))).contains("\"retrain\" : true",
        "flag:unit");
    assertThat(root.resolve("reports/monitoring/" + drifted + "/drift.png")).isNotEmptyFile();
    assertThat(root.resolve("reports/monitoring/" + drifted + "/trend.png")).isNotEmptyFile();
    MemoryTracking.Run logged = TRACKING.runs().values().stream()
        .filter(r -> r.name().equals("monitor " + drifted)).findFirst().orElseThrow();
    assertThat(logged.metrics()).containsEntry("retrain_signal", 1.0);
    assertThat(logged.tags()).containsEntry("dxpipe.retrain", "true");
    assertThat(logged.artifacts()).containsKey("drift.png");

    // the monitoring table holds each day's figures once; a re-run of a day replaces them
    Dataset<Row> table = SPARK.read().format("delta").load(quiet.storage().monitoring());
    assertThat(table.schema().fields()).extracting(f -> f.name() + " " + f.dataType().simpleString())
        .containsExactly(java.util.Arrays.stream(Monitoring.SCHEMA.fields())
            .map(f -> f.name() + " " + f.dataType().simpleString()).toArray(String[]::new));
    long rows = table.filter(col(Monitoring.MONITOR_DATE).equalTo(lit(java.sql.Date.valueOf(drifted)))).count();
    assertThat(rows).isEqualTo(o.findings().size());
    monitor(settings("monitor.input=bronze", "monitor.date=" + drifted));
    assertThat(SPARK.read().format("delta").load(quiet.storage().monitoring())
        .filter(col(Monitoring.MONITOR_DATE).equalTo(lit(java.sql.Date.valueOf(drifted)))).count()).isEqualTo(rows);
    assertThat(table.filter(col(Monitoring.BREACHED)).select(Monitoring.MONITOR_DATE).distinct().count()).isEqualTo(1);
    assertThat(o.findings().stream().filter(f -> f.feature() != null && f.feature().equals(Bronze.AGE)
        && f.metric().equals("mean")).findFirst().orElseThrow().value()).isCloseTo(
            normal.findings().stream().filter(f -> Bronze.AGE.equals(f.feature()) && f.metric().equals("mean"))
                .findFirst().orElseThrow().value() + 15, within(6.0));
  }
}
