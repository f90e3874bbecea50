package io.dxpipe.clean;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.schema.Silver;
import io.dxpipe.testing.TestSettings;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class DiagnosisVocabularyTest {
  private static final CleanSettings SETTINGS = CleanSettings.from(TestSettings.load().config().dxpipe());
  private static final DiagnosisVocabulary CATALOGUE = SilverBuilder.load(SETTINGS, DiseaseCatalogue.fromClasspath())
      .diagnoses();

  @Test
  void aCatalogueNameMatchesIgnoringCaseSpacingAndPunctuation() {
    assertThat(CATALOGUE.resolve("Holt-Oram syndrome")).isEqualTo("holt_oram_syndrome");
    assertThat(CATALOGUE.resolve("  HOLT ORAM   SYNDROME ")).isEqualTo("holt_oram_syndrome");
    assertThat(CATALOGUE.resolve("HoltOram syndrome")).as("a lost separator").isEqualTo("holt_oram_syndrome");
    assertThat(CATALOGUE.resolve("Marfan's syndrome")).as("a possessive adds a letter: another name").isNull();
    assertThat(CATALOGUE.resolve("MarfanSyndrome")).isEqualTo("marfan_syndrome");
    assertThat(CATALOGUE.resolve("HIV / AIDS")).isEqualTo("aids");
    assertThat(CATALOGUE.resolve("peptic-ulcer")).as("a code").isEqualTo("peptic_ulcer");
    assertThat(CATALOGUE.resolve("Glorbic fever")).isNull();
  }

  @Test
  void withLabelsFromTheDataAnUnknownDiagnosisIsALabelOfItsOwnUnflagged() {
    Row fromCatalogue = RecordCleaning.resolveDiagnosis(null, "Glorbic  Fever", CATALOGUE);
    assertThat(fromCatalogue.isNullAt(0)).isTrue();
    assertThat(fromCatalogue.getString(1)).isEqualTo(Silver.FLAG_UNMAPPED + "diagnosis=Glorbic  Fever");

    DiagnosisVocabulary data = CATALOGUE.withLabelsFromData(true);
    Row own = RecordCleaning.resolveDiagnosis(null, "Glorbic  Fever", data);
    assertThat(own.getString(0)).isEqualTo("glorbic_fever");
    assertThat(own.isNullAt(1)).isTrue();
    assertThat(RecordCleaning.resolveDiagnosis("zentar_x", null, data).getString(0)).isEqualTo("zentar_x");
    assertThat(RecordCleaning.resolveDiagnosis(null, "Holt Oram Syndrome", data).getString(0))
        .as("a name the catalogue knows still takes its code").isEqualTo("holt_oram_syndrome");
    assertThat(RecordCleaning.resolveDiagnosis(null, "  ", data).isNullAt(0)).as("no diagnosis: unlabelled").isTrue();
    assertThat(RecordCleaning.resolveDiagnosis(null, "???", data).getString(1)).as("no letter: unmapped")
        .isEqualTo(Silver.FLAG_UNMAPPED + "diagnosis=???");
  }
}
