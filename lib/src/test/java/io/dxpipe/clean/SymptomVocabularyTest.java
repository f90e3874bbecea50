package io.dxpipe.clean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.config.ConfigurationException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SymptomVocabularyTest {
  private static final SymptomVocabulary VOCABULARY = new SymptomVocabulary(
      Set.of("skin_rash", "neck_pain", "congestion", "cough", "breathlessness", "foul_smell_of_urine", "chills", "chest_pain"),
      Map.of("Shortness of breath", "breathlessness"), 2);

  @Test
  void spellingVariantsOfAKnownCodeNeedNoMapping() {
    for (String variant : new String[] {"skin_rash", "Skin Rash", "  skin_rash ", "SKIN_RASH", "skin-rash", "foul_smell_ofurine"}) {
      assertThat(VOCABULARY.resolve(variant).code()).as(variant).isIn("skin_rash", "foul_smell_of_urine");
      assertThat(VOCABULARY.resolve(variant).flag()).as(variant).isNull();
    }
  }

  @Test
  void synonymsComeFromTheMappingFile() {
    assertThat(VOCABULARY.resolve("shortness of breath")).isEqualTo(new SymptomVocabulary.Resolution("breathlessness", null));
  }

  @Test
  void aQuotedVariantMayHoldACommaInTheMappingFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("symptoms.csv");
    java.nio.file.Files.writeString(file, "# synonyms\nvariant,code\n\"pain, chest\",chest_pain\n");
    // (split(",") read three values and refused the file)
    SymptomVocabulary v = SymptomVocabulary.load(Set.of("chest_pain"), file.toString(), 2);
    assertThat(v.resolve("Pain, chest").code()).isEqualTo("chest_pain");
  }

  @Test
  void typosWithinTheDistanceMapToTheNearestCodeAndAreFlagged() {
    assertThat(VOCABULARY.resolve("congesiton"))
        .isEqualTo(new SymptomVocabulary.Resolution("congestion", "symptom-typo:congesiton->congestion"));
    assertThat(VOCABULARY.resolve("neck pin").code()).isEqualTo("neck_pain");
    assertThat(VOCABULARY.resolve("skn rash").code()).isEqualTo("skin_rash");
  }

  @Test
  void shortOrDistantNamesStayUnknownAndFlagged() {
    // four letters get no typo slack: "cugh" could be many words
    assertThat(VOCABULARY.resolve("cugh")).isEqualTo(new SymptomVocabulary.Resolution("cugh", "unknown-symptom:cugh"));
    assertThat(VOCABULARY.resolve("Hair loss")).isEqualTo(new SymptomVocabulary.Resolution("hair_loss", "unknown-symptom:hair_loss"));
    assertThat(VOCABULARY.resolve("  ").code()).isNull();
  }

  @Test
  void aTieBetweenTwoCodesIsNotGuessed() {
    SymptomVocabulary v = new SymptomVocabulary(Set.of("pain_abcd", "pain_abce"), Map.of(), 2);
    assertThat(v.resolve("pain_abcf").flag()).startsWith("unknown-symptom:");
  }

  @Test
  void aMappingToAnUnknownCodeFailsAtLoad() {
    assertThatThrownBy(() -> new SymptomVocabulary(Set.of("cough"), Map.of("tussis", "coughing"), 2))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'tussis' maps to 'coughing', which is not a known symptom code");
  }

  @Test
  void editDistanceCountsTranspositionsAsOneEdit() {
    assertThat(EditDistance.damerauLevenshtein("congestion", "congesiton", 3)).isEqualTo(1);
    assertThat(EditDistance.damerauLevenshtein("abc", "abc", 1)).isEqualTo(0);
    assertThat(EditDistance.damerauLevenshtein("kitten", "sitting", 5)).isEqualTo(3);
    assertThat(EditDistance.damerauLevenshtein("kitten", "sitting", 1)).isEqualTo(2);
  }
}
