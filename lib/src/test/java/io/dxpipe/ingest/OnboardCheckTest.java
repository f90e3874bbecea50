package io.dxpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.catalogue.LabelSettings;
import io.dxpipe.clean.CleanSettings;
import io.dxpipe.clean.SilverBuilder;
import io.dxpipe.config.ConfigurationException;
import io.dxpipe.config.Environment;
import io.dxpipe.config.Settings;
import io.dxpipe.testing.Repo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The onboarding check shows a bad mapping before anything is written, without Spark. */
class OnboardCheckTest {
  private static final DiseaseCatalogue CATALOGUE = DiseaseCatalogue.fromClasspath();

  /** A one-hot table: own diseases, a column nothing maps, a symptom the catalogue lacks, a bad cell. */
  private static final String TABLE = String.join("\n",
      "Disease,Age,Sex,Cholesterol,Chills,Back pain,Glowing ears,Absent thumb",
      "Glorbic fever,30,F,high,1,1,0,0",
      "Glorbic fever,31,M,high,yes,1,0,0",
      "Glorbic fever,32,F,low,1,0,1,0",
      "Zentar syndrome,40,M,normal,0,1,1,0",
      "Zentar syndrome,41,F,normal,0,1,1,0",
      "Zentar syndrome,42,M,high,0,2,1,0",
      "HoltOram Syndrome,9,F,normal,0,0,0,1",
      ",50,M,low,1,1,0,0") + "\n";

  @TempDir
  static Path dir;

  private static OnboardCheck check(String sourceBlock, String... overrides) throws Exception {
    Path conf = dir.resolve("onboard-" + Math.abs(sourceBlock.hashCode()) + ".conf");
    Files.writeString(conf, "include file(\"" + Repo.root().resolve("conf/local.conf") + "\")\n"
        + "dxpipe.ingest.sources.my_table {\n" + sourceBlock + "\n}\n");
    List<String> all = new java.util.ArrayList<>(List.of("clean.vocabulary.hpo-ontology=\""
        + Repo.sharedData().resolve("hpo-orphanet/hp.obo") + "\"")); // the default is relative to the repository root
    all.addAll(List.of(overrides));
    Settings s = Settings.load(conf.toString(), all);
    var dxpipe = s.config().dxpipe();
    return new OnboardCheck(IngestSettings.from(dxpipe, Environment.LOCAL),
        SilverBuilder.load(CleanSettings.from(dxpipe), CATALOGUE), CATALOGUE, LabelSettings.from(dxpipe));
  }

  private static final String FLAGS = String.join("\n",
      "format = csv",
      "fields { record-id = \"#line\", diagnosis = Disease, age = Age, gender = Sex }",
      "values.gender { F = female, M = male }",
      "required = [record-id]",
      "symptom-flags.all-columns-except = [Cholesterol]");

  @Test
  void aColumnMappedToADeclaredInputShowsItsTypeValuesAndTheValuesItWouldQuarantine() throws Exception {
    String table = TABLE.replace("Glorbic fever,31,M,high", "Glorbic fever,31,M,very high");
    OnboardCheck.Report r = check(FLAGS.replace("all-columns-except = [Cholesterol]", "all-columns-except = []")
        + "\ninputs { cholesterol = Cholesterol }", "inputs.cholesterol.type=ordinal",
        "inputs.cholesterol.levels=[low, normal, high]").check("table.csv", "my_table",
        table.getBytes(StandardCharsets.UTF_8), 100);
    System.out.print(r.text());
    assertThat(r.columns()).anySatisfy(c -> assertThat(c).startsWith("Cholesterol")
        .contains("input cholesterol, ordinal [low, normal, high] (7 of 7 readable records with a value; "
            + "1 not a level, quarantined: [very high])"));
    assertThat(r.quarantineExample()).containsKey("TYPE_MISMATCH");
    assertThat(r.quarantineExample().get("TYPE_MISMATCH")).contains("input cholesterol 'very high' is not one of its levels");
  }

  @Test
  void aOneHotTableShowsEachColumnsRoleTheSymptomsAndDiagnosesAndWhatTrainingWouldDo() throws Exception {
    OnboardCheck.Report r = check(FLAGS).check("table.csv", "my_table", TABLE.getBytes(StandardCharsets.UTF_8), 100);
    System.out.print(r.text());
    assertThat(r.unreadable()).isNull();
    assertThat(r.records()).isEqualTo(8);
    assertThat(r.columns()).anySatisfy(c -> assertThat(c).startsWith("Disease").contains("field diagnosis (6 of 7 readable records"))
        .anySatisfy(c -> assertThat(c).startsWith("Chills").contains("symptom flag -> Chills (true in 4)"))
        .anySatisfy(c -> assertThat(c).startsWith("Cholesterol").contains("NOT USED"));
    assertThat(r.quarantined()).containsOnlyKeys("MALFORMED_RECORD");
    assertThat(r.quarantineExample().get("MALFORMED_RECORD")).contains("Back pain = '2'");
    assertThat(r.bronze()).isEqualTo(7);
    assertThat(r.recognisedAs()).containsEntry("Chills", "chills").containsEntry("Back pain", "back_pain")
        .containsEntry("Absent thumb", "absent_thumb");
    assertThat(r.unknownSymptoms()).containsOnlyKeys("Glowing ears");
    assertThat(r.matchedAs()).containsEntry("HoltOram Syndrome", "holt_oram_syndrome");
    assertThat(r.unmatched()).containsOnlyKeys("Glorbic fever", "Zentar syndrome");
    assertThat(r.labels().classes()).as("from the catalogue only one disease is known")
        .containsExactly("holt_oram_syndrome");
    assertThat(r.text()).contains("NOT TRAINABLE: a model needs at least 2 classes")
        .contains("train on the data's own labels with labels.from = data")
        .contains("records: 8 checked = 7 to bronze + 1 quarantined");
    assertThat(r.inputsWithoutValues()).contains("temperature_c", "symptom_duration_days", "previous_diagnoses")
        .doesNotContain("age", "symptoms");
  }

  @Test
  void withLabelsFromTheDataTheSameTableHasItsOwnClassesAndSaysWhichAreTooSmall() throws Exception {
    OnboardCheck.Report r = check(FLAGS, "labels.from=data", "labels.min-records=2")
        .check("table.csv", "my_table", TABLE.getBytes(StandardCharsets.UTF_8), 100);
    assertThat(r.labels().classes()).containsExactly("glorbic_fever", "zentar_syndrome");
    assertThat(r.labels().tooFewClasses()).containsExactly("holt_oram_syndrome (1)");
    assertThat(r.labels().unlabelled()).isEqualTo(1);
    assertThat(r.text()).contains("training (labels from the data, at least 2 records per class) would:")
        .contains("train on 5 records of 2 classes: glorbic_fever, zentar_syndrome")
        .doesNotContain("NOT TRAINABLE");
  }

  @Test
  void flagColumnsMappedAsSymptomNamesAreUnreadableAndAMissingSourceIsNamed() throws Exception {
    OnboardCheck names = check(String.join("\n", "format = csv",
        "fields { record-id = \"#line\", diagnosis = Disease }", "required = [record-id]",
        "symptom-columns = [Chills, \"Back pain\", \"Glowing ears\", \"Absent thumb\"]"));
    OnboardCheck.Report r = names.check("table.csv", "my_table", TABLE.getBytes(StandardCharsets.UTF_8), 100);
    assertThat(r.usable()).isFalse();
    assertThat(r.unreadable()).contains("hold flag values").contains("symptom-flags");
    assertThat(r.text()).contains("UNREADABLE: ");
    assertThatThrownBy(() -> names.check("x.csv", "nobody", new byte[0], 10)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no source block dxpipe.ingest.sources.nobody").hasMessageContaining("my_table");
  }

  @Test
  void anHpoCodedSourceShowsTheCodesItsTermsBecameAndTheAncestorsUsed() throws Exception {
    // a registry describing patients in HPO terms only: ids, one label, an id the catalogue lacks
    String lines = String.join("\n",
        "{\"id\": \"c1\", \"disease\": \"Marfan syndrome\", \"hpo\": [\"HP:0001945\", \"HP:0012735\"]}",
        "{\"id\": \"c2\", \"disease\": \"Marfan syndrome\", \"hpo\": [\"HP:0012228\", \"Pyrexia\"]}",
        "{\"id\": \"c3\", \"disease\": \"Marfan syndrome\", \"hpo\": [\"HP:9999999\"]}") + "\n";
    OnboardCheck hpo = check(String.join("\n", "format = jsonl",
        "fields { record-id = /id, diagnosis = /disease, symptoms = /hpo }", "required = [record-id]"));
    OnboardCheck.Report r = hpo.check("cases.jsonl", "my_table", lines.getBytes(StandardCharsets.UTF_8), 100);
    System.out.print(r.text());
    assertThat(r.bronze()).isEqualTo(3);
    assertThat(r.recognisedAs()).containsEntry("HP:0001945", "high_fever").containsEntry("HP:0012735", "cough")
        .containsEntry("Pyrexia", "high_fever").containsEntry("HP:0012228", "headache");
    assertThat(r.corrected().get("HP:0012228")).as("Tension-type headache is a kind of headache")
        .startsWith("symptom-ancestor:HP:0012228->HP:");
    assertThat(r.unknownSymptoms()).containsOnlyKeys("HP:9999999");
    assertThat(r.matchedAs()).containsEntry("Marfan syndrome", "marfan_syndrome");
  }

  @Test
  void theSourceIsTheFolderAboveTheDeliveryDate() {
    assertThat(OnboardCheck.sourceOf(Path.of("/x/landing/my_table/2026-11-25/a.csv"))).isEqualTo("my_table");
    assertThat(OnboardCheck.sourceOf(Path.of("/x/my_table/a.csv"))).isEqualTo("my_table");
  }
}
