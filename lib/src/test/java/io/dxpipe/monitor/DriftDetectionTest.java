package io.dxpipe.monitor;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.clean.CleanSettings;
import io.dxpipe.clean.SilverBuilder;
import io.dxpipe.config.Settings;
import io.dxpipe.generate.BronzeSynthesizer;
import io.dxpipe.generate.GenerateSettings;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Predictions;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The monitor's drift figures on generated populations: quiet on a normal day, and each of the
 * generator's drift options (an outbreak, a source sending °F, an older hospital) crosses the
 * threshold meant to catch it. The records are the generator's, cleaned by the clean job's rules; the
 * recorded diagnosis stands in for a perfect model's prediction, so no model is trained here.
 */
class DriftDetectionTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final DiseaseCatalogue CATALOGUE = DiseaseCatalogue.fromClasspath();
  private static final byte[] KEY = "test-patient-key-0123456789-0123456789-abcdefgh".getBytes(StandardCharsets.UTF_8);
  private static Profile baseline;
  private static DriftFindings figures;

  /** A cleaned population of labelled records; the day's date and seed make it a new sample. */
  private static Dataset<Row> day(String date, long records, long seed, String... drift) {
    String[] overrides = new String[drift.length + 6];
    overrides[0] = "generate.mode=historical";
    overrides[1] = "generate.history-years=1";
    overrides[2] = "generate.date=" + date;
    overrides[3] = "generate.records=" + records;
    overrides[4] = "generate.seed=" + seed;
    overrides[5] = "generate.records-per-partition=1000";
    System.arraycopy(drift, 0, overrides, 6, drift.length);
    Settings s = TestSettings.load(overrides);
    Dataset<Row> bronze = BronzeSynthesizer.records(SPARK, CATALOGUE, GenerateSettings.from(s.config()), KEY, "test");
    return SilverBuilder.load(CleanSettings.from(s.config().dxpipe()), CATALOGUE).clean(bronze).cache();
  }

  private static Dataset<Row> predicted(Dataset<Row> records) {
    return records.select(col(Bronze.DIAGNOSIS_CODE).as(Predictions.PREDICTED_CODE));
  }

  @BeforeAll
  static void trainingPopulation() {
    Dataset<Row> training = day("2026-01-01", 3000, 1);
    baseline = Profiler.baseline(training, predicted(training), Map.of("macro_f1", 0.6));
    figures = new DriftFindings(MonitorSettings.from(TestSettings.load().config().dxpipe()));
  }

  private static List<Finding> findings(String date, long seed, String... drift) {
    Dataset<Row> records = day(date, 1500, seed, drift);
    Profile current = Profiler.at(records, predicted(records), baseline);
    assertThat(current.records()).isEqualTo(1500);
    return figures.of(LocalDate.parse(date), baseline, current, 1500, 0);
  }

  private static List<Finding> breaches(String date, long seed, String... drift) {
    return findings(date, seed, drift).stream().filter(Finding::breached).toList();
  }

  private static double value(List<Finding> findings, String feature, String metric) {
    return findings.stream().filter(f -> feature.equals(f.feature()) && metric.equals(f.metric())).findFirst()
        .orElseThrow().value();
  }

  private static List<String> names(List<Finding> findings) {
    return findings.stream().map(f -> f.check() + " " + f.feature() + " " + f.metric()).collect(Collectors.toList());
  }

  @Test
  void baselineHoldsEveryInputAndPercentileEdges() {
    assertThat(baseline.records()).isEqualTo(3000);
    assertThat(baseline.numeric()).containsOnlyKeys(Profiler.NUMERIC);
    assertThat(baseline.numeric().get(Bronze.AGE).edges()).hasSize(99).isSorted();
    assertThat(baseline.categorical()).containsKeys(Bronze.GENDER, Bronze.ETHNICITY, Bronze.MARITAL_STATUS,
        Bronze.EDUCATION, Profiler.SYMPTOM, Predictions.PREDICTED_CODE);
  }

  @Test
  void aNormalDayCrossesNoThreshold() {
    assertThat(names(breaches("2026-01-02", 2))).isEmpty();
  }

  @Test
  void anOutbreakShowsInThePredictedClassesAndTheSymptoms() {
    List<Finding> normal = findings("2026-01-02", 2);
    List<Finding> outbreak = findings("2026-01-03", 3, "generate.drift.outbreak-disease=dengue",
        "generate.drift.outbreak-factor=30");
    assertThat(names(outbreak.stream().filter(Finding::breached).toList()))
        .containsExactly("prediction_drift predicted_code psi");
    // the symptom mix moves too, though diluted by every record's other symptoms: below its threshold here
    assertThat(value(outbreak, Profiler.SYMPTOM, "psi")).isGreaterThan(2 * value(normal, Profiler.SYMPTOM, "psi"));
  }

  @Test
  void aSourceSendingFahrenheitShowsInTheUnitFlags() {
    List<String> crossed = names(breaches("2026-01-04", 4, "generate.drift.fahrenheit-source=north_ehr_batch"));
    assertThat(crossed).contains("data_quality flag:unit share");
  }

  @Test
  void anOlderPopulationShowsInTheAgeDistribution() {
    List<String> crossed = names(breaches("2026-01-05", 5, "generate.drift.age-shift-share=0.4",
        "generate.drift.age-shift-years=30"));
    assertThat(crossed).contains("feature_drift age ks", "feature_drift age psi");
  }

  /** The day's records with declared inputs: an LDL level around {@code ldl} and a blood pressure category. */
  private static Dataset<Row> withInputs(Dataset<Row> records, int ldl, String bpExpression) {
    return records.withColumn(io.dxpipe.schema.DeclaredInputs.COLUMN, org.apache.spark.sql.functions.expr(
        "map('ldl_mg_dl', CAST(" + ldl + " + pmod(hash(record_key), 40) AS STRING), 'bp_category', " + bpExpression + ")"));
  }

  @Test
  void declaredInputsAreProfiledAndTheirDriftIsJudgedLikeTheBuiltInOnes() {
    io.dxpipe.schema.DeclaredInputs declared = io.dxpipe.schema.DeclaredInputs.from(
        com.typesafe.config.ConfigFactory.parseString("inputs { ldl_mg_dl { type = numeric }, "
            + "bp_category { type = ordinal, levels = [low, normal, high] } }"));
    String mixed = "element_at(array('low', 'normal', 'high'), CAST(pmod(hash(record_key, 7), 3) AS INT) + 1)";
    Dataset<Row> training = withInputs(day("2026-01-01", 3000, 1), 100, mixed);
    Profile withBaseline = Profiler.baseline(training, predicted(training), Map.of(), declared);
    assertThat(withBaseline.numeric()).containsKey("inputs.ldl_mg_dl");
    assertThat(withBaseline.numeric().get("inputs.ldl_mg_dl").edges()).hasSize(99);
    assertThat(withBaseline.categorical().get("inputs.bp_category")).containsOnlyKeys("low", "normal", "high");
    // a round trip through the JSON the baseline is stored as keeps them
    Profile stored = Profile.fromJson(withBaseline.toJson());
    assertThat(stored.categorical()).containsKey("inputs.bp_category");

    Dataset<Row> normal = withInputs(day("2026-01-02", 1500, 2), 100, mixed);
    List<Finding> same = figures.of(LocalDate.parse("2026-01-02"), stored,
        Profiler.at(normal, predicted(normal), stored), 1500, 0);
    assertThat(names(same.stream().filter(Finding::breached).toList())).isEmpty();
    assertThat(names(same)).contains("feature_drift inputs.ldl_mg_dl ks", "feature_drift inputs.bp_category psi");

    Dataset<Row> shifted = withInputs(day("2026-01-03", 1500, 3), 130, "'high'");
    List<String> crossed = names(figures.of(LocalDate.parse("2026-01-03"), stored,
        Profiler.at(shifted, predicted(shifted), stored), 1500, 0).stream().filter(Finding::breached).toList());
    assertThat(crossed).contains("feature_drift inputs.ldl_mg_dl ks", "feature_drift inputs.bp_category psi");

    // a day from a table without the inputs column: the inputs are missing, not a crash
    Dataset<Row> old = day("2026-01-04", 1500, 4).drop(io.dxpipe.schema.DeclaredInputs.COLUMN);
    Profile without = Profiler.at(old, predicted(old), stored);
    assertThat(without.numeric().get("inputs.ldl_mg_dl").nullShare()).isEqualTo(1.0);
  }
}
