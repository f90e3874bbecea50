package io.dxpipe.clean;

import static io.dxpipe.testing.BronzeRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.config.ConfigurationException;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Silver;
import io.dxpipe.testing.BronzeRecords;
import io.dxpipe.testing.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordCleaningTest {
  private static final CleanSettings SETTINGS = CleanSettings.from(TestSettings.load().config().dxpipe());
  private static final SilverBuilder BUILDER = SilverBuilder.load(SETTINGS, DiseaseCatalogue.fromClasspath());

  private static Map<String, Row> cleaned(BronzeRecords... records) {
    Map<String, Row> byKey = new TreeMap<>();
    for (Row r : BUILDER.clean(BronzeRecords.dataset(records)).collectAsList()) {
      byKey.put(r.getAs(Bronze.RECORD_KEY), r);
    }
    return byKey;
  }

  private static List<String> flags(Row r) {
    return r.getList(r.fieldIndex(Silver.QUALITY_FLAGS));
  }

  @Test
  void aCleanRecordPassesUnchangedWithoutFlags() {
    Row r = cleaned(record("a")).get("a");
    assertThat(flags(r)).isEmpty();
    assertThat(r.<Double>getAs(Bronze.TEMPERATURE_C)).isEqualTo(37.0);
    assertThat(r.<String>getAs(Bronze.GENDER)).isEqualTo("female");
  }

  @Test
  void fahrenheitInTheCelsiusColumnIsConvertedAndFlagged() {
    Map<String, Row> rows = cleaned(record("f").with(Bronze.TEMPERATURE_C, 102.2), record("c").with(Bronze.TEMPERATURE_C, 41.5));
    assertThat(rows.get("f").<Double>getAs(Bronze.TEMPERATURE_C)).isCloseTo(39.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(flags(rows.get("f"))).containsExactly("unit:temperature_c");
    assertThat(rows.get("c").<Double>getAs(Bronze.TEMPERATURE_C)).isEqualTo(41.5);
    assertThat(flags(rows.get("c"))).isEmpty();
  }

  @Test
  void impossibleValuesBecomeNullAndFlaggedWhilePlausibleExtremesStay() {
    Map<String, Row> rows = cleaned(
        record("age").with(Bronze.AGE, 240),
        record("hr").with(Bronze.HEART_RATE, 350.0).with(Bronze.SPO2, 130.0),
        record("weight").with(Bronze.WEIGHT_KG, -5.0),
        record("cold").with(Bronze.TEMPERATURE_C, 15.2),
        record("extreme").with(Bronze.AGE, 104).with(Bronze.HEART_RATE, 210.0).with(Bronze.SPO2, 72.0));
    assertThat(rows.get("age").<Integer>getAs(Bronze.AGE)).isNull();
    assertThat(flags(rows.get("age"))).containsExactly("outlier:age");
    assertThat(rows.get("hr").<Double>getAs(Bronze.HEART_RATE)).isNull();
    assertThat(rows.get("hr").<Double>getAs(Bronze.SPO2)).isNull();
    assertThat(flags(rows.get("hr"))).containsExactlyInAnyOrder("outlier:heart_rate", "outlier:spo2");
    assertThat(rows.get("weight").<Double>getAs(Bronze.WEIGHT_KG)).isNull();
    assertThat(rows.get("cold").<Double>getAs(Bronze.TEMPERATURE_C)).isNull();
    assertThat(flags(rows.get("cold"))).containsExactly("outlier:temperature_c");
    Row extreme = rows.get("extreme");
    assertThat(extreme.<Integer>getAs(Bronze.AGE)).isEqualTo(104);
    assertThat(extreme.<Double>getAs(Bronze.HEART_RATE)).isEqualTo(210.0);
    assertThat(extreme.<Double>getAs(Bronze.SPO2)).isEqualTo(72.0);
    assertThat(flags(extreme)).isEmpty();
  }

  @Test
  void datesNoDeliveryCanHoldBecomeNullAndFlagged() {
    // BronzeRecords deliver on 2026-01-01; reference.conf: earliest 1900-01-01, 1 day after delivery
    Map<String, Row> rows = cleaned(
        record("far").with(Bronze.VISIT_DATE, java.sql.Date.valueOf("9999-12-31")),
        record("tomorrow").with(Bronze.VISIT_DATE, java.sql.Date.valueOf("2026-01-02")),
        record("later").with(Bronze.VISIT_DATE, java.sql.Date.valueOf("2026-01-03")),
        record("old").with(Bronze.VISIT_DATE, java.sql.Date.valueOf("1899-12-31"))
            .with(Bronze.SYMPTOM_ONSET_DATE, java.sql.Date.valueOf("1900-01-01")),
        record("onset").with(Bronze.SYMPTOM_ONSET_DATE, java.sql.Date.valueOf("3024-05-01")));
    assertThat(rows.get("far").<java.sql.Date>getAs(Bronze.VISIT_DATE)).isNull();
    assertThat(flags(rows.get("far"))).containsExactly("outlier:visit_date");
    assertThat(rows.get("tomorrow").<java.sql.Date>getAs(Bronze.VISIT_DATE)).isEqualTo(java.sql.Date.valueOf("2026-01-02"));
    assertThat(flags(rows.get("tomorrow"))).isEmpty();
    assertThat(flags(rows.get("later"))).containsExactly("outlier:visit_date");
    assertThat(rows.get("old").<java.sql.Date>getAs(Bronze.VISIT_DATE)).isNull();
    assertThat(rows.get("old").<java.sql.Date>getAs(Bronze.SYMPTOM_ONSET_DATE)).isEqualTo(java.sql.Date.valueOf("1900-01-01"));
    assertThat(flags(rows.get("old"))).containsExactly("outlier:visit_date");
    assertThat(rows.get("onset").<java.sql.Date>getAs(Bronze.SYMPTOM_ONSET_DATE)).isNull();
    assertThat(rows.get("onset").<java.sql.Date>getAs(Bronze.VISIT_DATE)).isEqualTo(java.sql.Date.valueOf("2025-06-01"));
    assertThat(flags(rows.get("onset"))).containsExactly("outlier:symptom_onset_date");
  }

  @Test
  void categoricalVariantsMapToCanonicalValuesAndUnknownOnesAreFlagged() {
    Map<String, Row> rows = cleaned(
        record("a").with(Bronze.GENDER, " F ").with(Bronze.ETHNICITY, "White").with(Bronze.MARITAL_STATUS, "S")
            .with(Bronze.EDUCATION, "Bachelor's degree"),
        record("b").with(Bronze.GENDER, "unknown").with(Bronze.ETHNICITY, "Martian").with(Bronze.MARITAL_STATUS, null)
            .with(Bronze.EDUCATION, "PhD"));
    Row a = rows.get("a");
    assertThat(List.of(a.<String>getAs(Bronze.GENDER), a.getAs(Bronze.ETHNICITY), a.getAs(Bronze.MARITAL_STATUS),
        a.getAs(Bronze.EDUCATION))).containsExactly("female", "white", "single", "bachelor");
    assertThat(flags(a)).isEmpty();
    Row b = rows.get("b");
    assertThat(b.<String>getAs(Bronze.GENDER)).isNull(); // "unknown" means not recorded: no flag
    assertThat(b.<String>getAs(Bronze.ETHNICITY)).isNull();
    assertThat(b.<String>getAs(Bronze.EDUCATION)).isEqualTo("doctorate");
    assertThat(flags(b)).containsExactly("unmapped:ethnicity=martian");
  }

  @Test
  void symptomsGetCanonicalCodesOnceEachWithTheirHighestSeverity() {
    Row r = cleaned(record("s").symptoms("Skin Rash", 1, "skin-rash", 3, "congesiton", 2, "Shortness of breath", null,
        "Glowing ears", 2)).get("s");
    List<Row> symptoms = r.getList(r.fieldIndex(Bronze.SYMPTOMS));
    assertThat(symptoms).extracting(s -> s.getString(0) + "=" + s.get(1))
        .containsExactly("skin_rash=3", "congestion=2", "breathlessness=null", "glowing_ears=2");
    assertThat(flags(r)).containsExactly("symptom-typo:congesiton->congestion", "unknown-symptom:glowing_ears");
  }

  @Test
  void diagnosesResolveFromCodeOrTextAndUnknownOnesAreFlagged() {
    Map<String, Row> rows = cleaned(
        record("code").with(Bronze.DIAGNOSIS_CODE, "malaria"),
        record("text").with(Bronze.DIAGNOSIS_CODE, null).with(Bronze.DIAGNOSIS_TEXT, "Myocardial infarction"),
        record("synonym").with(Bronze.DIAGNOSIS_CODE, null).with(Bronze.DIAGNOSIS_TEXT, "UTI"),
        record("unknown").with(Bronze.DIAGNOSIS_CODE, "dragon_pox"),
        record("unmapped").with(Bronze.DIAGNOSIS_CODE, null).with(Bronze.DIAGNOSIS_TEXT, "feels odd"),
        record("none").with(Bronze.DIAGNOSIS_CODE, null));
    assertThat(rows.get("code").<String>getAs(Bronze.DIAGNOSIS_CODE)).isEqualTo("malaria");
    assertThat(rows.get("text").<String>getAs(Bronze.DIAGNOSIS_CODE)).isEqualTo("heart_attack");
    assertThat(rows.get("synonym").<String>getAs(Bronze.DIAGNOSIS_CODE)).isEqualTo("urinary_tract_infection");
    assertThat(flags(rows.get("unknown"))).containsExactly("unknown-diagnosis:dragon_pox");
    assertThat(rows.get("unmapped").<String>getAs(Bronze.DIAGNOSIS_CODE)).isNull();
    assertThat(flags(rows.get("unmapped"))).containsExactly("unmapped:diagnosis=feels odd");
    assertThat(flags(rows.get("none"))).isEmpty();
  }

  @Test
  void vocabularyFilesAreValidatedAtLoad(@TempDir Path dir) throws Exception {
    Path categories = dir.resolve("categories.csv");
    Files.writeString(categories, "field,variant,canonical\ngender,female,female\ngender,w,woman\n");
    assertThatThrownBy(() -> CategoryVocabulary.load(categories.toString()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("gender 'w' maps to 'woman', which is not declared (add the row gender,woman,woman)");
    Files.writeString(categories, "field,variant,canonical\nshoe_size,xl,large\n");
    assertThatThrownBy(() -> CategoryVocabulary.load(categories.toString()))
        .hasMessageContaining("field 'shoe_size' is not a categorical column");
    Files.writeString(categories, "field,variant,canonical\ngender,f\n");
    assertThatThrownBy(() -> CategoryVocabulary.load(categories.toString()))
        .hasMessageContaining("line 2: expected 3 comma-separated values but found 2");
    assertThatThrownBy(() -> CategoryVocabulary.load(dir.resolve("missing.csv").toString()))
        .hasMessageContaining("no such file");
  }
}
