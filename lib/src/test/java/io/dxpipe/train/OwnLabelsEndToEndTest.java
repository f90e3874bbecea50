package io.dxpipe.train;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.clean.CleanStage;
import io.dxpipe.config.Environment;
import io.dxpipe.config.Settings;
import io.dxpipe.features.FeatureStage;
import io.dxpipe.features.LabelSet;
import io.dxpipe.ingest.IngestSettings;
import io.dxpipe.ingest.IngestTotals;
import io.dxpipe.ingest.LandingIngest;
import io.dxpipe.mlflow.MlflowSettings;
import io.dxpipe.model.ModelLayout;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Predictions;
import io.dxpipe.schema.Silver;
import io.dxpipe.score.ScoreStage;
import io.dxpipe.testing.MemoryTracking;
import io.dxpipe.testing.Repo;
import io.dxpipe.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own table, onboarded by configuration only, as issue 17's report had it: diseases the
 * catalogue does not have, one 0/1 (or yes/no) column per symptom, no vital signs, no previous
 * diagnoses, no patient ids. With
 * {@code labels.from = data} it is ingested, cleaned, turned into features, trained on its own
 * labels and scored; the summaries count what was not trained on, and why.
 */
class OwnLabelsEndToEndTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final String DAY = "2026-11-20";
  /** Invented diseases (none in the catalogue), each with three symptoms of its own. */
  private static final Map<String, List<String>> OWN = Map.of(
      "Glorbic fever", List.of("chills", "back_pain", "congestion"),
      "Zentar syndrome", List.of("blister", "bruising", "alopecia"),
      "Quillon's disease", List.of("acidity", "abdominal_pain", "constipation"),
      "Morrow pox", List.of("blackheads", "brittle_nails", "anxiety"),
      "Morrow fever", List.of("blackheads", "brittle_nails", "anxiety"), // Morrow pox's symptoms, low cholesterol
      "Veldt ague", List.of("chest_pain", "breathlessness", "coma"));

  @TempDir
  static Path root;

  /** One 0/1 column per symptom, headed by the symptom's name as the source writes it. */
  private static final List<String> COLUMNS = List.of("chills", "back_pain", "congestion", "blister", "bruising",
      "alopecia", "acidity", "abdominal_pain", "constipation", "blackheads", "brittle_nails", "anxiety", "chest_pain",
      "breathlessness", "coma", "absent_thumb", "atrial_septal_defect");

  private static String row(String disease, int age, String sex, String bp, String cholesterol, List<String> symptoms,
      boolean words) {
    StringBuilder row = new StringBuilder(disease.contains(",") || disease.contains("'") ? '"' + disease + '"' : disease)
        .append(',').append(age).append(',').append(sex).append(',').append(bp).append(',').append(cholesterol);
    for (String c : COLUMNS) {
      boolean present = symptoms.contains(c);
      row.append(',').append(words ? (present ? "yes" : "no") : (present ? "1" : "0"));
    }
    return row.append('\n').toString();
  }

  private static String csv() {
    Random random = new Random(17);
    List<String> pool = List.of("chills", "back_pain", "blister", "acidity", "anxiety", "coma", "bruising");
    StringBuilder csv = new StringBuilder("Disease,Age,Sex,Blood Pressure,Cholesterol Level");
    String[] levels = {"Low", "Normal", "High"};
    COLUMNS.forEach(c -> csv.append(',').append(Character.toUpperCase(c.charAt(0))).append(c.substring(1)
        .replace('_', ' ')));
    csv.append('\n');
    for (Map.Entry<String, List<String>> d : new java.util.TreeMap<>(OWN).entrySet()) {
      for (int i = 0; i < 40; i++) {
        List<String> symptoms = new ArrayList<>(d.getValue());
        symptoms.add(pool.get(random.nextInt(pool.size()))); // one symptom of another disease as noise
        // cholesterol tells Morrow pox (High) from Morrow fever (Low), which share their symptoms; the
        // source writes levels in its own case, and a few records leave them blank
        String cholesterol = d.getKey().equals("Morrow pox") ? "High" : d.getKey().equals("Morrow fever") ? "low"
            : levels[random.nextInt(3)];
        csv.append(row(d.getKey(), 20 + random.nextInt(50), random.nextBoolean() ? "F" : "M",
            i % 7 == 0 ? "" : levels[random.nextInt(3)], cholesterol, symptoms, i % 5 == 0));
      }
    }
    for (int i = 0; i < 12; i++) { // a catalogue disease, spelled the source's way: takes the catalogue's code
      csv.append(row("HoltOram Syndrome", 10 + i, "F", "Normal", "", List.of("absent_thumb", "atrial_septal_defect"),
          false));
    }
    csv.append(row("Rare thing", 40, "M", "High", "High", List.of("coma", "chills"), false)); // under labels.min-records
    csv.append(row("Rare thing", 41, "F", "Low", "Low", List.of("coma", "blister"), false));
    for (int i = 0; i < 4; i++) { // no diagnosis: to be scored, not trained on
      csv.append(row("", 33, "F", "Normal", "Normal", List.of("chills", "back_pain", "congestion"), false));
    }
    // a level the declaration does not have: quarantined, naming the input and the column
    csv.append(row("Veldt ague", 50, "M", "Very high", "High", List.of("chest_pain", "coma"), false));
    return csv.toString();
  }

  private static Settings settings(String... more) throws Exception {
    Path conf = root.resolve("own.conf");
    Files.writeString(conf, "include file(\"" + Repo.root().resolve("conf/local.conf") + "\")\n"
        + "dxpipe.inputs {\n" // blood pressure as a category and cholesterol: inputs of this table's own
        + "  bp_category { type = ordinal, levels = [low, normal, high] }\n"
        + "  cholesterol_level { type = ordinal, levels = [low, normal, high] }\n"
        + "}\n"
        + "dxpipe.ingest.sources.own_table {\n"
        + "  inputs { bp_category = \"Blood Pressure\", cholesterol_level = \"Cholesterol Level\" }\n"
        + "  format = csv\n"
        + "  fields { record-id = \"#line\", diagnosis = Disease, age = Age, gender = Sex }\n"
        + "  symptom-flags.all-columns-except = []\n" // every column not mapped above is a symptom flag
        + "  required = [record-id]\n"
        + "  values.gender { F = female, M = male }\n"
        + "}\n");
    List<String> overrides = new ArrayList<>(List.of("storage.root=file:" + root, "labels.from=data",
        "labels.min-records=5", "mlflow.tracking-uri=\"http://127.0.0.1:1\"", "train.candidates=[logistic-regression]",
        "train.cv.folds=2", "train.grids.logistic-regression.reg-param=[0.01]",
        "train.grids.logistic-regression.max-iter=[50]", "train.timing-records=2000", "train.compare-unweighted=false",
        "train.features-column=features",
        "ingest.settle-time=0s"));
    overrides.addAll(List.of(more));
    return Settings.load(conf.toString(), overrides);
  }

  @Test
  void aOneHotTableOfDiseasesOutsideTheCatalogueWithoutVitalsTrainsOnItsOwnLabelsAndScores() throws Exception {
    Path landing = root.resolve("landing/own_table/" + DAY);
    Files.createDirectories(landing);
    Files.writeString(landing.resolve("table.csv"), csv());
    Settings s = settings();
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());

    IngestTotals ingested = new LandingIngest(SPARK, IngestSettings.from(s.config().dxpipe(), Environment.LOCAL),
        DiseaseCatalogue.fromClasspath(), s.storage(), quiet).run();
    assertThat(ingested.unreadableFiles).isZero();
    assertThat(ingested.quarantinedPerReason).isEqualTo(Map.of("TYPE_MISMATCH", 1L));
    assertThat(SPARK.read().format("delta").load(s.storage().quarantine()).select("reason").first().getString(0))
        .contains("input bp_category 'Very high' is not one of its levels [low, normal, high] (mapped from Blood Pressure)");
    long rows = 6 * 40 + 12 + 2 + 4;
    assertThat(SPARK.read().format("delta").load(s.storage().bronze()).count()).isEqualTo(rows);

    new CleanStage(SPARK, CleanStage.Options.parse(s), quiet).run();
    Dataset<Row> silver = SPARK.read().format("delta").load(s.storage().silver());
    assertThat(silver.filter(org.apache.spark.sql.functions.exists(col(Silver.QUALITY_FLAGS),
        f -> f.startsWith("unknown-symptom"))).count()).as("every flag column's header is a symptom clean knows").isZero();
    assertThat(silver.filter(org.apache.spark.sql.functions.size(col(Bronze.SYMPTOMS)).equalTo(4)).count())
        .as("the own-disease records: three symptoms of their own and one of another, from the 1/yes cells")
        .isGreaterThanOrEqualTo(150);
    assertThat(silver.filter(org.apache.spark.sql.functions.exists(col(Silver.QUALITY_FLAGS),
        f -> f.startsWith("unmapped:diagnosis"))).count()).as("own diagnoses are labels, not unmapped ones").isZero();

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    FeatureStage.Totals f = new FeatureStage(SPARK, FeatureStage.Options.parse(s),
        new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
    String out = printed.toString(StandardCharsets.UTF_8);
    System.out.print(out);
    LabelSet labels = f.labels();
    assertThat(labels.classes()).containsExactly("glorbic_fever", "holt_oram_syndrome", "morrow_fever", "morrow_pox",
        "quillon_s_disease", "veldt_ague", "zentar_syndrome");
    assertThat(labels.tooFewClasses()).containsExactly("rare_thing (2)");
    assertThat(labels.notTrained()).isEqualTo(Map.of(LabelSet.TOO_FEW, 2L));
    assertThat(f.unlabelled()).isEqualTo(4);
    assertThat(f.gold()).isEqualTo(6 * 40 + 12);
    assertThat(f.silver()).isEqualTo(f.gold() + f.unlabelled() + f.notTrained());
    assertThat(f.inputsDropped()).containsKeys(Bronze.TEMPERATURE_C, Bronze.SPO2, Bronze.SYMPTOM_DURATION_DAYS,
        Bronze.PREVIOUS_DIAGNOSES).doesNotContainKeys(Bronze.AGE, Bronze.SYMPTOMS, "bp_category", "cholesterol_level");
    assertThat(out).contains("not trained on: 2 in a class with fewer than dxpipe.labels.min-records records: "
        + "[rare_thing (2)]").contains("inputs left out (dxpipe.features.missing-input = drop)");

    MemoryTracking tracking = new MemoryTracking();
    TrainStage.Totals t = new TrainStage(SPARK, new TrainStage.Options(s.storage(),
        TrainSettings.from(s.config().dxpipe()), MlflowSettings.from(s.config().dxpipe()), s.config()), quiet)
        .run(m -> tracking);
    assertThat(t.test().labels()).hasSize(7);
    assertThat(t.test().accuracy()).as(t.test().toString()).isGreaterThanOrEqualTo(0.9);
    assertThat(t.scoringMsPer1000()).isPositive();

    String model = ModelLayout.sparkModel(ModelLayout.folder(s.storage().models(), t.runId()));
    Settings scoring = settings("score.input=bronze", "score.date=" + DAY, "score.model.path=" + model);
    ScoreStage.Totals scored = new ScoreStage(SPARK, ScoreStage.Options.parse(scoring), quiet).run();
    assertThat(scored.read()).isEqualTo(rows);
    assertThat(scored.scored() + scored.rejected()).isEqualTo(scored.read());
    Dataset<Row> predictions = SPARK.read().format("delta").load(scoring.storage().predictions());
    assertThat(predictions.select(Predictions.PREDICTED_CODE).distinct().collectAsList().stream()
        .map(r -> r.getString(0)).toList()).isSubsetOf(labels.classes());
    long right = predictions.join(silver.select(col(Bronze.RECORD_KEY), col(Bronze.DIAGNOSIS_CODE)), Bronze.RECORD_KEY)
        .filter(col(Predictions.PREDICTED_CODE).equalTo(col(Bronze.DIAGNOSIS_CODE))).count();
    assertThat(right).as("own-label records predicted as their own label").isGreaterThanOrEqualTo((long) (0.9 * f.gold()));
    long morrow = predictions.join(silver.select(col(Bronze.RECORD_KEY), col(Bronze.DIAGNOSIS_CODE)), Bronze.RECORD_KEY)
        .filter(col(Bronze.DIAGNOSIS_CODE).isin("morrow_pox", "morrow_fever"))
        .filter(col(Predictions.PREDICTED_CODE).equalTo(col(Bronze.DIAGNOSIS_CODE))).count();
    assertThat(morrow).as("Morrow pox and Morrow fever share their symptoms: only the declared cholesterol input tells "
        + "them apart").isGreaterThanOrEqualTo(76);

    // the online row evaluator reads the declared inputs from the model and gives the batch path's codes
    org.apache.spark.ml.PipelineModel loaded = org.apache.spark.ml.PipelineModel.load(model);
    io.dxpipe.serve.RowEvaluator evaluator = io.dxpipe.serve.RowEvaluator.of(loaded);
    assertThat(evaluator.declaredInputs().names()).containsExactly("bp_category", "cholesterol_level");
    Map<String, String> batch = new java.util.HashMap<>();
    predictions.select(Bronze.RECORD_KEY, Predictions.PREDICTED_CODE).collectAsList()
        .forEach(r -> batch.put(r.getString(0), r.getString(1)));
    List<Row> sample = silver.orderBy(Bronze.RECORD_KEY).limit(60).collectAsList();
    for (Row r : sample) {
      assertThat(evaluator.predict(io.dxpipe.serve.RowEvaluator.toMap(r), 3).predictedCode())
          .as(r.getString(r.fieldIndex(Bronze.RECORD_KEY))).isEqualTo(batch.get(r.getString(r.fieldIndex(Bronze.RECORD_KEY))));
    }

    // the service's model: its gate passes on golden rows holding the inputs map, and a record's inputs are
    // checked as ingest checks them
    io.dxpipe.serve.OnlineModel online = io.dxpipe.serve.OnlineModel.load(io.dxpipe.score.ScoringModel.resolve(model, 0,
        "champion", "dxpipe.serve", null, null), io.dxpipe.clean.SilverBuilder.load(io.dxpipe.clean.CleanSettings.from(
            s.config().dxpipe()), DiseaseCatalogue.fromClasspath()), 1, SPARK);
    assertThat(online.gate().rows()).isPositive();
    assertThat(online.declaredInputs().names()).containsExactly("bp_category", "cholesterol_level");
    java.util.function.Function<Map<String, String>, io.dxpipe.serve.OnlineModel.Outcome> ask = inputs -> {
      Map<String, Object> record = new java.util.HashMap<>();
      record.put(Bronze.RECORD_KEY, "online");
      record.put(Bronze.SYMPTOMS, List.of(
          new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(new Object[] {"blackheads", null}, Bronze.SYMPTOM),
          new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(new Object[] {"brittle_nails", null}, Bronze.SYMPTOM),
          new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(new Object[] {"anxiety", null}, Bronze.SYMPTOM)));
      record.put(Bronze.PREVIOUS_DIAGNOSES, List.of());
      record.put(Bronze.INPUTS, inputs);
      return online.predict(record, 3);
    };
    assertThat(ask.apply(Map.of("cholesterol_level", "HIGH")).predictedCode()).isEqualTo("morrow_pox");
    assertThat(ask.apply(Map.of("cholesterol_level", "low")).predictedCode()).isEqualTo("morrow_fever");
    io.dxpipe.serve.OnlineModel.Outcome unknown = ask.apply(Map.of("smoking", "yes"));
    assertThat(unknown.rejectionCode()).isEqualTo(io.dxpipe.serve.OnlineModel.INVALID_INPUT);
    assertThat(unknown.rejectionReason()).startsWith("inputs.smoking is not an input of")
        .endsWith("its inputs: bp_category, cholesterol_level");
    assertThat(ask.apply(Map.of("bp_category", "extreme")).rejectionReason())
        .isEqualTo("inputs.bp_category: input bp_category 'extreme' is not one of its levels [low, normal, high]");
  }
}
