package io.dxpipe.features;

import static org.apache.spark.sql.functions.col;
import static io.dxpipe.testing.DataFrameAssertions.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.clean.CleanStage;
import io.dxpipe.clean.Deduplication;
import io.dxpipe.config.Settings;
import io.dxpipe.generate.GenerateSettings;
import io.dxpipe.generate.GenerationStats;
import io.dxpipe.generate.LandingGenerator;
import io.dxpipe.ingest.IngestTotals;
import io.dxpipe.ingest.LandingIngest;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.quality.DataQualityException;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import io.dxpipe.schema.Schemas;
import io.dxpipe.schema.QualityResults;
import io.dxpipe.schema.Silver;
import io.dxpipe.testing.IngestFixtures;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.apache.spark.ml.PipelineModel;
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
 * generate -> ingest -> clean -> features on generated data through real Delta tables: what the
 * generator injected is found again (duplicates, impossible values), counts add up, re-runs change
 * nothing, and a failing error check stops the clean job before silver is written.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CleanAndFeaturesEndToEndTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

  @TempDir
  static Path root;
  private static GenerationStats generated;
  private static IngestTotals ingested;

  private static Settings settings(String... more) {
    return TestSettings.load(Stream.concat(Stream.of("storage.root=file:" + root, "generate.records=500",
        "generate.dirty.corrupt-file-rate=0", "generate.dirty.impossible-value-rate=0.03",
        "generate.dirty.duplicate-same-source-rate=0.03", "generate.dirty.duplicate-cross-source-rate=0.03",
        "generate.dirty.symptom-variant-rate=0.2"), Stream.of(more)).toArray(String[]::new));
  }

  @BeforeAll
  static void generateAndIngest() throws Exception {
    Settings s = settings();
    generated = new LandingGenerator(SPARK, IngestFixtures.CATALOGUE, GenerateSettings.from(s.config()), s.storage().landing()).run();
    var st = s.storage();
    ingested = new LandingIngest(SPARK, IngestFixtures.ingestSettings(), IngestFixtures.CATALOGUE, st, QUIET).run();
  }

  private static Dataset<Row> table(String path) {
    return SPARK.read().format("delta").load(path);
  }

  @Test
  @Order(1)
  void cleanFindsWhatTheGeneratorInjectedAndAccountsForEveryRecord() {
    Settings s = settings();
    CleanStage.Totals t = new CleanStage(SPARK, CleanStage.Options.parse(s), QUIET).run();
    assertThat(t.bronze()).isEqualTo(ingested.bronze);
    assertThat(t.silver() + t.duplicates()).isEqualTo(t.bronze());
    assertThat(table(s.storage().silver()).count()).isEqualTo(t.silver());
    assertThat(table(s.storage().duplicates()).count()).isEqualTo(t.duplicates());
    // every injected duplicate is found, under the rule that matches how it was injected
    assertThat(t.duplicatesPerRule()).containsEntry(Deduplication.RESENT, generated.duplicateSameSource)
        .containsEntry(Deduplication.SAME_VISIT, generated.duplicateCrossSource);
    // every impossible value is nulled and flagged, and nothing else is
    Dataset<Row> silver = table(s.storage().silver());
    long outliers = silver.filter(org.apache.spark.sql.functions.exists(col(Silver.QUALITY_FLAGS),
        f -> f.startsWith(Silver.FLAG_OUTLIER))).count();
    assertThat(outliers).isEqualTo(generated.defects.get("impossible_value"));
    assertThat(silver.filter(col(Bronze.AGE).gt(120).or(col(Bronze.HEART_RATE).gt(300))).count()).isZero();
    // vocabularies: no spelling variant survives in silver's categorical columns
    assertThat(silver.select(Bronze.ETHNICITY).distinct().collectAsList()).extracting(r -> r.getString(0))
        .allMatch(v -> v == null || v.matches("white|black|asian|hispanic|other"));
    assertThat(silver.select(Bronze.RECORD_KEY).distinct().count()).isEqualTo(t.silver());
    // results of both tables are stored, all passing on this data
    Dataset<Row> quality = table(s.storage().quality());
    assertThat(quality.select(QualityResults.TABLE).distinct().collectAsList()).extracting(r -> r.getString(0))
        .containsExactlyInAnyOrder("bronze", "silver");
    assertThat(quality.filter(col(QualityResults.SEVERITY).equalTo("error")
        .and(col(QualityResults.STATUS).equalTo("FAIL"))).count()).isZero();
  }

  @Test
  @Order(2)
  void reRunningCleanChangesNothing() {
    Settings s = settings();
    Dataset<Row> before = table(s.storage().silver()).drop(Silver.CLEAN_RUN_ID, Silver.CLEANED_AT).localCheckpoint();
    long qualityRows = table(s.storage().quality()).count();
    long duplicates = table(s.storage().duplicates()).count();
    new CleanStage(SPARK, CleanStage.Options.parse(s), QUIET).run();
    Dataset<Row> after = table(s.storage().silver()).drop(Silver.CLEAN_RUN_ID, Silver.CLEANED_AT);
    assertSameRows(before, after);
    assertThat(table(s.storage().duplicates()).count()).isEqualTo(duplicates);
    assertThat(table(s.storage().quality()).count()).isEqualTo(qualityRows);
  }

  @Test
  @Order(3)
  void aPerDateRunReplacesOnlyThatDeliveryAndGivesTheSameSilver() {
    Settings all = settings();
    Dataset<Row> before = table(all.storage().silver()).drop(Silver.CLEAN_RUN_ID, Silver.CLEANED_AT).localCheckpoint();
    long version = DeltaTables.version(SPARK, all.storage().silver());
    CleanStage.Totals t = new CleanStage(SPARK,
        CleanStage.Options.parse(settings("clean.delivery-date=" + GenerateSettings.from(all.config()).date())), QUIET).run();
    assertThat(t.input()).endsWith("deliveries=" + GenerateSettings.from(all.config()).date());
    assertThat(t.bronze()).isEqualTo(ingested.bronze);
    Dataset<Row> after = table(all.storage().silver()).drop(Silver.CLEAN_RUN_ID, Silver.CLEANED_AT);
    assertSameRows(before, after);
    assertThat(DeltaTables.version(SPARK, all.storage().silver())).isEqualTo(version + 1);
    // an empty delivery date: nothing read, nothing written, the table keeps its rows
    assertThatThrownBy(() -> new CleanStage(SPARK,
        CleanStage.Options.parse(settings("clean.delivery-date=2020-01-01")), QUIET).run())
        .isInstanceOf(DataQualityException.class).hasMessageContaining("row-count");
    assertThat(table(all.storage().silver()).count()).isEqualTo(before.count());
  }

  @Test
  @Order(4)
  void aFailingErrorCheckStopsCleanBeforeSilverIsWrittenAndAWarningDoesNot() {
    String strict = "quality.tables.silver=[{group=strict, severity=%s, checks=[{type=range, column=age, min=0, max=10}]}]";
    Settings s = settings(String.format(strict, "error"));
    long version = DeltaTables.version(SPARK, s.storage().silver());
    assertThatThrownBy(() -> new CleanStage(SPARK, CleanStage.Options.parse(s), QUIET).run())
        .isInstanceOf(DataQualityException.class)
        .hasMessageContaining("strict/range(age) [error]")
        .hasMessageContaining("offending: ");
    assertThat(DeltaTables.version(SPARK, s.storage().silver())).isEqualTo(version);
    assertThat(table(s.storage().quality()).filter(col(QualityResults.CHECK_GROUP).equalTo("strict")
        .and(col(QualityResults.STATUS).equalTo("FAIL"))).count()).isEqualTo(1);

    CleanStage.Totals warned = new CleanStage(SPARK,
        CleanStage.Options.parse(settings(String.format(strict, "warning"))), QUIET).run();
    assertThat(warned.quality().get(1).failures(io.dxpipe.quality.Severity.WARNING)).hasSize(1);
    assertThat(DeltaTables.version(SPARK, s.storage().silver())).isGreaterThan(version);
  }

  @Test
  @Order(5)
  void featuresBuildGoldThePipelineTheReportAndTheAggregates() throws Exception {
    Settings s = settings();
    FeatureStage.Totals t = new FeatureStage(SPARK, FeatureStage.Options.parse(s), QUIET).run();
    long silver = table(s.storage().silver()).count();
    assertThat(t.silver()).isEqualTo(silver);
    assertThat(t.gold() + t.unlabelled() + t.notTrained()).isEqualTo(silver);
    Dataset<Row> gold = table(s.storage().features());
    assertThat(gold.count()).isEqualTo(t.gold());
    assertThat(gold.columns()).containsExactly(Gold.SCHEMA.fieldNames());
    assertThat(Schemas.differences(gold.schema(), Gold.SCHEMA)).isEmpty();
    assertThat(t.perSplit().keySet()).containsExactlyInAnyOrder(Gold.TRAIN, Gold.VALIDATION, Gold.TEST);
    assertThat(gold.select(Gold.FEATURE_RUN_ID).distinct().collectAsList()).extracting(r -> r.getString(0))
        .containsExactly(t.runId());
    assertThat(gold.filter(col(Gold.IS_ORPHAN)).count()).isPositive();

    // the saved pipeline reproduces gold's features from silver
    PipelineModel pipeline = PipelineModel.load(t.pipelinePath() + "/pipeline");
    Dataset<Row> again = pipeline.transform(table(s.storage().silver())).select(col(Bronze.RECORD_KEY),
        col(Gold.FEATURES).as("again"));
    Dataset<Row> joined = gold.join(again, Bronze.RECORD_KEY);
    assertThat(joined.count()).isEqualTo(t.gold());
    assertThat(joined.collectAsList()).allMatch(r -> r.getAs(Gold.FEATURES).equals(r.getAs("again")));

    // no leakage: the imputer's medians are those of the train split, not of all labelled records
    org.apache.spark.ml.feature.ImputerModel imputer = (org.apache.spark.ml.feature.ImputerModel) java.util.Arrays
        .stream(pipeline.stages()).filter(st -> st instanceof org.apache.spark.ml.feature.ImputerModel).findFirst()
        .orElseThrow();
    Row surrogate = imputer.surrogateDF().first();
    Dataset<Row> labelled = table(s.storage().silver()).join(gold.select(Bronze.RECORD_KEY, Gold.SPLIT),
        Bronze.RECORD_KEY);
    int differs = 0;
    for (String c : Silver.NUMERIC_COLUMNS) {
      double train = labelled.filter(col(Gold.SPLIT).equalTo(Gold.TRAIN)).select(col(c).cast("double").as(c))
          .stat().approxQuantile(c, new double[] {0.5}, imputer.getRelativeError())[0];
      double everything = labelled.select(col(c).cast("double").as(c)).stat()
          .approxQuantile(c, new double[] {0.5}, imputer.getRelativeError())[0];
      assertThat(surrogate.<Double>getAs("f_" + c)).as(c).isEqualTo(train);
      differs += train != everything ? 1 : 0;
    }
    assertThat(differs).as("columns whose train median differs from the all-records median").isPositive();

    // the report and its plot
    Path report = Paths.get(java.net.URI.create(t.reportDir()));
    assertThat(Files.readString(report.resolve("pca-report.json"))).contains("\"components\" : " + t.pca().components());
    byte[] png = Files.readAllBytes(report.resolve("pca-explained-variance.png"));
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');

    // aggregates agree with the tables they summarise
    Dataset<Row> diseases = table(s.storage().aggregates() + "/" + Gold.DISEASE_SUMMARY);
    assertThat(diseases.agg(org.apache.spark.sql.functions.sum("records")).first().getLong(0)).isEqualTo(t.gold());
    assertThat(diseases.filter(col(Gold.IS_ORPHAN)).count()).isPositive();
    Dataset<Row> daily = table(s.storage().aggregates() + "/" + Gold.DAILY_SUMMARY);
    Row day = daily.first();
    assertThat(daily.count()).isEqualTo(1);
    assertThat(day.<Long>getAs("bronze_records")).isEqualTo(ingested.bronze);
    assertThat(day.<Long>getAs("quarantined_records")).isEqualTo(ingested.quarantineRows());
    assertThat(day.<Long>getAs("silver_records") + day.<Long>getAs("duplicates_removed")).isEqualTo(ingested.bronze);

    // a re-run replaces gold (a new Delta version), it does not add to it
    FeatureStage.Totals rerun = new FeatureStage(SPARK, FeatureStage.Options.parse(s), QUIET).run();
    assertThat(table(s.storage().features()).count()).isEqualTo(t.gold());
    assertThat(rerun.goldVersion()).isEqualTo(t.goldVersion() + 1);
    assertThat(rerun.pca().components()).isEqualTo(t.pca().components());
  }
}
