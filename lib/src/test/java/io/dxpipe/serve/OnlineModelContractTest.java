package io.dxpipe.serve;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.clean.SilverBuilder;
import io.dxpipe.config.Settings;
import io.dxpipe.generate.BronzeSynthesizer;
import io.dxpipe.generate.GenerateSettings;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.model.ModelLayout;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import io.dxpipe.schema.Predictions;
import io.dxpipe.score.ScoreStage;
import io.dxpipe.score.ScoringModel;
import io.dxpipe.testing.BronzeDirt;
import io.dxpipe.testing.ServingFixture;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import io.dxpipe.train.GoldenRows;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.feature.Normalizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The online path against the score job, end to end: 1,200 generated bronze records with the dirt
 * the clean rules handle are scored by the real {@link ScoreStage} (bronze input, cleaned there,
 * Delta tables out) and, one by one, by {@link OnlineModel#predict} on the same bronze columns. Every
 * record the job scored gets the same predicted code and top 3 codes with probabilities within 1e-12;
 * every record it rejected gets the same reason code and text; the quality flags are the clean
 * rules'. Then the load gate: a model without golden rows, with a tampered golden row, without the
 * SQL stage, or with a stage the evaluator does not know is refused, saying why.
 */
class OnlineModelContractTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final DiseaseCatalogue CATALOGUE = DiseaseCatalogue.fromClasspath();
  private static final byte[] KEY = "test-patient-key-0123456789-0123456789-abcdefgh".getBytes(StandardCharsets.UTF_8);
  private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
  private static final String DAY = "2026-03-02";

  @TempDir
  static Path root;
  private static String modelPath;
  private static Dataset<Row> silver;
  private static Dataset<Row> gold;
  private static PipelineModel model;
  private static SilverBuilder cleaning;

  private static Settings settings(String... more) {
    return TestSettings.load(Stream.concat(Stream.of("storage.root=file:" + root,
        "mlflow.tracking-uri=\"http://127.0.0.1:1\"", "score.model.path=" + modelPath,
        "generate.records-per-partition=600"), Stream.of(more)).toArray(String[]::new));
  }

  @BeforeAll
  static void modelAndGoldenRows() {
    Settings s = settings("generate.mode=historical", "generate.records=800", "generate.date=2026-03-01");
    ServingFixture.Fixture fixture = ServingFixture.fit(SPARK, s);
    model = fixture.model();
    silver = fixture.silver();
    cleaning = fixture.cleaning();
    gold = silver.select(Bronze.RECORD_KEY);
    modelPath = fixture.save(root.resolve("models").toUri().toString(), "test");
    assertThat(SPARK.read().parquet(ModelLayout.goldenRowsUri(modelPath)).count()).isEqualTo(GoldenRows.ROWS);
  }

  private static String folder(String sparkModel) {
    return sparkModel.substring(0, sparkModel.lastIndexOf('/'));
  }

  private static void save(PipelineModel m, String path) {
    try {
      m.write().overwrite().save(path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static OnlineModel online(String path, int minKnown) {
    return OnlineModel.load(ScoringModel.resolve(path, 0, "champion", "dxpipe.serve", null, null), cleaning, minKnown,
        SPARK);
  }

  @Test
  void theOnlineModelAnswersWhatTheScoreJobWrites() {
    Settings day = settings("generate.mode=daily", "generate.records=1200", "generate.date=" + DAY);
    List<Row> bronze = new ArrayList<>();
    int i = 0;
    for (Row r : BronzeSynthesizer.records(SPARK, CATALOGUE, GenerateSettings.from(day.config()), KEY, "test")
        .collectAsList()) {
      bronze.add(BronzeDirt.dirty(r, new SplittableRandom(i++), CATALOGUE));
    }
    DeltaTables.replace(SPARK.createDataFrame(bronze, Bronze.SCHEMA), day.storage().bronze(), Bronze.PARTITION_BY,
        Bronze.DELIVERY_DATE + " = '" + DAY + "'", null);
    Settings s = settings("score.input=bronze", "score.date=" + DAY);
    ScoreStage.Totals totals = new ScoreStage(SPARK, ScoreStage.Options.parse(s), QUIET).run();
    assertThat(totals.read()).isEqualTo(1200);
    assertThat(totals.scored()).isGreaterThan(1000);
    assertThat(totals.rejected()).isPositive();

    Map<String, Row> scored = byKey(SPARK.read().format("delta").load(s.storage().predictions()));
    Map<String, Row> rejected = byKey(SPARK.read().format("delta").load(s.storage().scoringQuarantine()));
    OnlineModel online = online(modelPath, ScoreStage.Options.parse(s).score().minKnownSymptoms());
    assertThat(online.gate().rows()).isEqualTo(GoldenRows.ROWS);
    assertThat(online.gate().maxDifference()).isLessThanOrEqualTo(OnlineModel.TOLERANCE);

    int compared = 0;
    int flagged = 0;
    for (Row b : bronze) {
      String key = b.getString(b.fieldIndex(Bronze.RECORD_KEY));
      OnlineModel.Outcome o = online.predict(RowEvaluator.toMap(b), 3);
      flagged += o.flags().isEmpty() ? 0 : 1;
      if (rejected.containsKey(key)) {
        Row r = rejected.get(key);
        assertThat(o.rejectionCode()).as(key).isEqualTo(r.getString(r.fieldIndex(Predictions.Rejected.REASON_CODE)));
        assertThat(o.rejectionReason()).as(key).isEqualTo(r.getString(r.fieldIndex(Predictions.Rejected.REASON)));
        continue;
      }
      Row p = scored.get(key);
      assertThat(p).as(key).isNotNull();
      assertThat(o.rejected()).as(key).isFalse();
      assertThat(o.predictedCode()).as(key).isEqualTo(p.getString(p.fieldIndex(Predictions.PREDICTED_CODE)));
      List<Row> top3 = p.getList(p.fieldIndex(Predictions.TOP3));
      assertThat(o.top()).hasSize(3);
      for (int t = 0; t < 3; t++) {
        assertThat(o.top().get(t).code()).as(key).isEqualTo(top3.get(t).getString(0));
        assertThat(o.top().get(t).probability()).as(key).isCloseTo(top3.get(t).getDouble(1),
            org.assertj.core.api.Assertions.within(OnlineModel.TOLERANCE));
        assertThat(o.top().get(t).orphan()).as(key).isEqualTo(top3.get(t).getBoolean(2));
      }
      compared++;
    }
    assertThat(compared).isEqualTo(scored.size()).isGreaterThan(1000);
    assertThat(compared + rejected.size()).isEqualTo(bronze.size());
    assertThat(flagged).isGreaterThan(bronze.size() / 3);
  }

  private static Map<String, Row> byKey(Dataset<Row> table) {
    Map<String, Row> out = new HashMap<>();
    for (Row r : table.filter(col(Predictions.SCORING_DATE).equalTo(java.sql.Date.valueOf(DAY))).collectAsList()) {
      assertThat(out.put(r.getString(r.fieldIndex(Bronze.RECORD_KEY)), r)).isNull();
    }
    return out;
  }

  @Test
  void aModelWithoutGoldenRowsIsRefused() {
    String path = ModelLayout.sparkModel(ModelLayout.folder(root.resolve("models").toUri().toString(), "no-golden"));
    save(model, path);
    assertThatThrownBy(() -> online(path, 1)).isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("has no golden rows at").hasMessageContaining("retrain");
  }

  @Test
  void aGoldenRowTheEvaluatorDoesNotReproduceRefusesTheModel() {
    String path = ModelLayout.sparkModel(ModelLayout.folder(root.resolve("models").toUri().toString(), "tampered"));
    save(model, path);
    GoldenRows.write(model, gold, silver, folder(path));
    String golden = ModelLayout.goldenRowsUri(path);
    Dataset<Row> rows = SPARK.read().parquet(golden);
    String first = rows.first().getString(0);
    // one record's symptoms changed after the batch prediction was stored: its stored answer no longer holds
    Dataset<Row> tampered = rows.withColumn(Bronze.SYMPTOMS, org.apache.spark.sql.functions.when(
        col(Bronze.RECORD_KEY).equalTo(first), org.apache.spark.sql.functions.slice(
            col(Bronze.SYMPTOMS), 1, 1)).otherwise(col(Bronze.SYMPTOMS))).localCheckpoint();
    tampered.write().mode(SaveMode.Overwrite).parquet(golden);
    assertThatThrownBy(() -> online(path, 1)).isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("1 of " + GoldenRows.ROWS + " golden rows disagree with the batch path")
        .hasMessageContaining(first);
  }

  @Test
  void aModelWithoutTheSqlStageOrWithAnUnknownStageIsRefused() {
    PipelineModel noSql = new PipelineModel("no-sql", java.util.Arrays.copyOfRange(model.stages(), 1,
        model.stages().length));
    assertThatThrownBy(() -> OnlineModel.load(scoring(noSql), cleaning, 1, SPARK))
        .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("has no SQL stage");
    List<org.apache.spark.ml.Transformer> stages = new ArrayList<>(List.of(model.stages()));
    stages.add(stages.size() - 2, new Normalizer().setInputCol(Gold.FEATURES).setOutputCol("normalized"));
    PipelineModel unknown = new PipelineModel("unknown", stages.toArray(org.apache.spark.ml.Transformer[]::new));
    assertThatThrownBy(() -> OnlineModel.load(scoring(unknown), cleaning, 1, SPARK))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("unsupported stage type org.apache.spark.ml.feature.Normalizer");
  }

  private static ScoringModel scoring(PipelineModel m) {
    return new ScoringModel(m, "path", null, null, modelPath, List.of(), List.of());
  }
}
