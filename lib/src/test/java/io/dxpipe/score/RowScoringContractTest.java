package io.dxpipe.score;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.clean.CleanSettings;
import io.dxpipe.clean.SilverBuilder;
import io.dxpipe.config.Settings;
import io.dxpipe.features.FeaturePipeline;
import io.dxpipe.features.FeatureSettings;
import io.dxpipe.generate.BronzeSynthesizer;
import io.dxpipe.generate.GenerateSettings;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import io.dxpipe.schema.Predictions;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import io.dxpipe.train.PhenotypeFit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The score job's two engines give the same day: on 1,200 generated bronze records (two of them
 * unscorable), {@code engine = row} (one pass, the row evaluator; for the phenotype model the
 * sparse top-k) and {@code engine = pipeline} ({@code PipelineModel.transform}) write the same
 * predicted codes, top 3 and top k codes, orphan flags and rejects, with probabilities within 1e-12,
 * and report the same counts. Models: a logistic regression over the feature pipeline's vector, and
 * the phenotype model over every catalogue disease with its context, as the train job fits them.
 */
class RowScoringContractTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final DiseaseCatalogue CATALOGUE = DiseaseCatalogue.fromClasspath();
  private static final byte[] KEY = "test-patient-key-0123456789-0123456789-abcdefgh".getBytes(StandardCharsets.UTF_8);
  private static final String DAY = "2026-03-02";
  private static final double TOLERANCE = 1e-12;

  @TempDir
  static Path root;
  private static final Map<String, String> MODELS = new HashMap<>();
  private static List<PipelineStage> lrStages;

  private static Settings settings(String... more) {
    return TestSettings.load(Stream.concat(Stream.of("storage.root=file:" + root,
        "mlflow.tracking-uri=\"http://127.0.0.1:1\"", "generate.records-per-partition=400"), Stream.of(more))
        .toArray(String[]::new));
  }

  @BeforeAll
  static void modelsAndDay() throws Exception {
    Settings s = settings("generate.mode=historical", "generate.records=900", "generate.date=2026-03-01");
    Dataset<Row> silver = SilverBuilder.load(CleanSettings.from(s.config().dxpipe()), CATALOGUE)
        .clean(BronzeSynthesizer.records(SPARK, CATALOGUE, GenerateSettings.from(s.config()), KEY, "test"))
        .filter(col(Bronze.DIAGNOSIS_CODE).isNotNull()).cache();
    FeaturePipeline.Fitted features = FeaturePipeline.fit(silver, FeatureSettings.from(s.config().dxpipe()));
    StringIndexerModel indexer = new StringIndexer().setInputCol(Bronze.DIAGNOSIS_CODE).setOutputCol(Gold.LABEL)
        .fit(silver);
    List<String> labels = List.of(indexer.labelsArray()[0]);
    Dataset<Row> gold = indexer.transform(features.model().transform(silver)).cache();

    lrStages = new ArrayList<>(List.of(features.model().stages()));
    lrStages.add(new LogisticRegression().setFamily("multinomial").setMaxIter(30).setRegParam(0.01)
        .setFeaturesCol(Gold.FEATURES).setLabelCol(Gold.LABEL).fit(gold));
    lrStages.add(new IndexToString().setInputCol("prediction").setOutputCol(Predictions.PREDICTED_CODE)
        .setLabels(labels.toArray(String[]::new)));
    save("logistic-regression", lrStages, silver);

    List<PipelineStage> phenotype = new ArrayList<>(List.of(features.model().stages()));
    phenotype.addAll(List.of(PhenotypeFit.fit(Map.of(), gold, labels).stages()));
    phenotype.add(new IndexToString().setInputCol("prediction").setOutputCol(Predictions.PREDICTED_CODE)
        .setLabels(PhenotypeFit.classes(labels).toArray(String[]::new)));
    save("phenotype", phenotype, silver);

    // a stage the row evaluator does not reproduce: a second SQL statement
    List<PipelineStage> refused = new ArrayList<>(lrStages);
    refused.add(refused.size() - 2, new SQLTransformer().setStatement("SELECT *, 1 AS extra FROM __THIS__"));
    save("refused", refused, silver);
    gold.unpersist();
    silver.unpersist();

    Settings day = settings("generate.mode=daily", "generate.records=1200", "generate.date=" + DAY);
    Dataset<Row> records = BronzeSynthesizer.records(SPARK, CATALOGUE, GenerateSettings.from(day.config()), KEY, "test");
    records = records.withColumn(Bronze.SYMPTOMS,
        when(col(Bronze.SOURCE_RECORD_ID).endsWith("00000001"), array().cast(records.schema().apply(Bronze.SYMPTOMS)
            .dataType()))
        .when(col(Bronze.SOURCE_RECORD_ID).endsWith("00000002"), array(struct(lit("glowing_ears").as("name"),
            lit(2).as("severity"))))
        .otherwise(col(Bronze.SYMPTOMS)));
    DeltaTables.replace(records, day.storage().bronze(), Bronze.PARTITION_BY, Bronze.DELIVERY_DATE + " = '" + DAY + "'",
        null);
  }

  private static void save(String name, List<PipelineStage> stages, Dataset<Row> silver) throws Exception {
    PipelineModel model = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(silver.limit(0));
    String path = root.resolve("models/" + name).toUri().toString();
    model.write().overwrite().save(path);
    MODELS.put(name, path);
  }

  /** A run of the score job, with what it printed. */
  private record Run(ScoreStage.Totals totals, Map<String, Row> predictions, Map<String, Row> rejects, String log) {}

  private static final Map<List<String>, Run> RUNS = new HashMap<>();

  /** A run that only reads what it is given: the same run for the same model and settings (CI time). */
  private static Run scored(String model, String... more) {
    List<String> key = new ArrayList<>(List.of(model));
    key.addAll(List.of(more));
    return RUNS.computeIfAbsent(key, k -> score(model, more));
  }

  private static Run score(String model, String... more) {
    List<String> o = new ArrayList<>(List.of("score.input=bronze", "score.date=" + DAY, "score.model.path="
        + MODELS.get(model)));
    o.addAll(List.of(more));
    Settings s = settings(o.toArray(String[]::new));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    ScoreStage.Totals t = new ScoreStage(SPARK, ScoreStage.Options.parse(s), new PrintStream(log, true)).run();
    java.sql.Date date = java.sql.Date.valueOf(DAY);
    Map<String, Row> predictions = new HashMap<>();
    SPARK.read().format("delta").load(s.storage().predictions()).filter(col(Predictions.SCORING_DATE).equalTo(date))
        .collectAsList().forEach(r -> predictions.put(r.getAs(Bronze.RECORD_KEY), r));
    Map<String, Row> rejects = new HashMap<>();
    SPARK.read().format("delta").load(s.storage().scoringQuarantine())
        .filter(col(Predictions.SCORING_DATE).equalTo(date)).collectAsList()
        .forEach(r -> rejects.put(r.getAs(Bronze.RECORD_KEY), r));
    return new Run(t, predictions, rejects, log.toString(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"logistic-regression", "phenotype"})
  void theRowEngineWritesThePipelineEnginesDay(String model) {
    Run pipeline = scored(model, "score.engine=pipeline");
    Run row = scored(model, "score.engine=row");
    assertThat(pipeline.log()).contains("engine: pipeline");
    assertThat(row.log()).contains("engine: row");

    assertThat(row.totals().read()).isEqualTo(1200).isEqualTo(pipeline.totals().read());
    assertThat(row.totals().scored()).isEqualTo(pipeline.totals().scored());
    assertThat(row.totals().rejected()).isEqualTo(pipeline.totals().rejected()).isGreaterThanOrEqualTo(2);
    assertThat(row.totals().scored() + row.totals().rejected()).isEqualTo(1200);
    // the two unscorable records, and for the logistic regression any whose symptoms its 900 records never showed
    assertThat(row.totals().rejectedPerReason()).isEqualTo(pipeline.totals().rejectedPerReason())
        .containsEntry(ScoreStage.NO_SYMPTOMS, 1L).containsKey(ScoreStage.NO_KNOWN_SYMPTOMS);
    assertThat(row.totals().orphanPredicted()).isEqualTo(pipeline.totals().orphanPredicted());
    assertThat(row.totals().orphanInTop3()).isEqualTo(pipeline.totals().orphanInTop3());
    if (model.equals("phenotype")) {
      assertThat(row.totals().orphanInTop3()).as("a model over every disease puts orphans in some top 3")
          .isPositive();
    }

    assertThat(row.predictions().keySet()).isEqualTo(pipeline.predictions().keySet())
        .hasSize((int) row.totals().scored());
    double maxDifference = 0;
    for (Map.Entry<String, Row> e : pipeline.predictions().entrySet()) {
      Row expected = e.getValue();
      Row actual = row.predictions().get(e.getKey());
      for (String c : List.of(Bronze.PATIENT_KEY, Bronze.SOURCE, Bronze.VISIT_DATE, Predictions.PREDICTED_CODE,
          Predictions.IS_ORPHAN, Predictions.ORPHAN_IN_TOP3, Predictions.MODEL_URI, Predictions.MODEL_VERSION)) {
        assertThat((Object) actual.getAs(c)).as("%s of %s", c, e.getKey()).isEqualTo(expected.getAs(c));
      }
      for (String ranking : List.of(Predictions.TOP3, Predictions.TOP_K)) {
        List<Row> want = expected.getList(expected.fieldIndex(ranking));
        List<Row> got = actual.getList(actual.fieldIndex(ranking));
        assertThat(got).extracting(r -> r.getString(0)).as("%s of %s", ranking, e.getKey())
            .containsExactlyElementsOf(want.stream().map(r -> r.getString(0)).toList());
        assertThat(got).extracting(r -> r.getBoolean(2)).containsExactlyElementsOf(
            want.stream().map(r -> r.getBoolean(2)).toList());
        for (int i = 0; i < want.size(); i++) {
          maxDifference = Math.max(maxDifference, Math.abs(want.get(i).getDouble(1) - got.get(i).getDouble(1)));
        }
      }
      maxDifference = Math.max(maxDifference, Math.abs(expected.<Double>getAs(Predictions.PROBABILITY)
          - actual.<Double>getAs(Predictions.PROBABILITY)));
    }
    System.out.printf("score engines, %s: %d records, max |probability difference| row vs pipeline %s%n", model,
        pipeline.predictions().size(), maxDifference);
    assertThat(maxDifference).isLessThanOrEqualTo(TOLERANCE);
    assertSameRejects(row, pipeline);
  }

  private static void assertSameRejects(Run actual, Run expected) {
    assertThat(actual.rejects().keySet()).isEqualTo(expected.rejects().keySet())
        .hasSize((int) expected.totals().rejected());
    for (Map.Entry<String, Row> e : expected.rejects().entrySet()) {
      for (String c : List.of(Bronze.SOURCE, Bronze.PATIENT_KEY, Predictions.Rejected.REASON_CODE,
          Predictions.Rejected.REASON)) {
        assertThat((Object) actual.rejects().get(e.getKey()).getAs(c)).as(c).isEqualTo(e.getValue().getAs(c));
      }
    }
  }

  @Test
  void rejectsOverTheCapAreWrittenByASecondPassAndARerunReplacesTheDay() {
    Run kept = scored("logistic-regression", "score.engine=row");
    Run second = score("logistic-regression", "score.engine=row", "score.rejects-in-pass=1");
    assertThat(second.log()).contains(kept.totals().rejected() + " rejected records, over "
        + "dxpipe.score.rejects-in-pass (1): written by a second pass over the input");
    assertThat(kept.log()).doesNotContain("second pass");
    assertSameRejects(second, kept);
    assertThat(second.predictions()).hasSize((int) kept.totals().scored());
    assertThat(second.totals().read()).isEqualTo(1200);
    assertThat(second.predictions().values()).extracting(r -> r.<String>getAs(Predictions.SCORE_RUN_ID))
        .containsOnly(second.totals().runId());
  }

  @Test
  void aModelTheRowEvaluatorRefusesIsScoredByThePipelineOnAutoAndRefusedOnRow() {
    Run auto = score("refused");
    assertThat(auto.log()).contains("engine: pipeline, because the row evaluator cannot reproduce this model exactly",
        "(dxpipe.score.engine = auto)");
    assertThat(auto.totals().scored() + auto.totals().rejected()).isEqualTo(1200);
    assertThatThrownBy(() -> score("refused", "score.engine=row"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dxpipe.score.engine = row, but the row evaluator cannot reproduce this model exactly")
        .hasMessageContaining("set dxpipe.score.engine = pipeline");
  }

  /** Executors receive the evaluator compiled, by Java serialization (local mode shares the object). */
  @ParameterizedTest
  @ValueSource(strings = {"logistic-regression", "phenotype"})
  void aCompiledEvaluatorSurvivesSerialization(String model) throws Exception {
    io.dxpipe.serve.RowEvaluator evaluator = io.dxpipe.serve.RowEvaluator.forPrediction(
        PipelineModel.load(MODELS.get(model)));
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(bytes)) {
      o.writeObject(evaluator);
    }
    io.dxpipe.serve.RowEvaluator copy;
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (io.dxpipe.serve.RowEvaluator) in.readObject();
    }
    Settings s = settings();
    List<Row> records = SilverBuilder.load(CleanSettings.from(s.config().dxpipe()), CATALOGUE)
        .clean(SPARK.read().format("delta").load(s.storage().bronze())).limit(200).collectAsList();
    int compared = 0;
    for (Row r : records) {
      if (RowScoring.symptomNames(r).isEmpty()) {
        continue;
      }
      io.dxpipe.serve.RowEvaluator.Top a = evaluator.top(r, 10);
      io.dxpipe.serve.RowEvaluator.Top b = copy.top(r, 10);
      assertThat(b.predictedCode()).isEqualTo(a.predictedCode());
      assertThat(b.classes()).containsExactly(a.classes());
      assertThat(b.probabilities()).containsExactly(a.probabilities());
      compared++;
    }
    assertThat(compared).isGreaterThan(150);
  }

  @Test
  void theEngineKeyIsChecked() {
    assertThatThrownBy(() -> ScoreSettings.from(settings("score.engine=fast").config().dxpipe()))
        .hasMessageContaining("dxpipe.score.engine");
  }
}
