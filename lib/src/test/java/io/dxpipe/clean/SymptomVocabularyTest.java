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


  private static final String OBO = """
      format-version: 1.2
      data-version: hp/releases/test

      [Term]
      id: HP:0000001
      name: All

      [Term]
      id: HP:0000005
      name: Mode of inheritance
      is_a: HP:0000001

      [Term]
      id: HP:0000118
      name: Phenotypic abnormality
      is_a: HP:0000001

      [Term]
      id: HP:0000707
      name: Abnormality of the nervous system
      is_a: HP:0000118

      [Term]
      id: HP:0012638
      name: Abnormal nervous system physiology
      is_a: HP:0000707

      [Term]
      id: HP:0001250
      name: Seizure
      alt_id: HP:0002279
      synonym: "Epileptic seizure" EXACT []
      synonym: "Fits" RELATED []
      is_a: HP:0012638

      [Term]
      id: HP:0000050
      name: obsolete Fits
      is_obsolete: true
      replaced_by: HP:0001250

      [Term]
      id: HP:0000030
      name: Muscle spasm
      is_a: HP:0000118

      [Term]
      id: HP:0000040
      name: Jerks
      is_a: HP:0000707
      is_a: HP:0000030

      [Term]
      id: HP:0000041
      name: Twitching
      is_a: HP:0012638
      is_a: HP:0000030

      [Term]
      id: HP:0001945
      name: Fever
      synonym: "Pyrexia" EXACT []

      [Term]
      id: HP:0012735
      name: Cough
      synonym: "Coughing" EXACT layperson []
      is_a: HP:0000118
      """;

  private static final Set<String> HPO_KNOWN = Set.of("seizure", "abnormality_of_the_nervous_system", "muscle_spasm",
      "high_fever", "cough");
  private static final Map<String, String> HPO_IDS = Map.of("seizure", "HP:0001250",
      "abnormality_of_the_nervous_system", "HP:0000707", "muscle_spasm", "HP:0000030");
  private static final SymptomVocabulary HPO = new SymptomVocabulary(HPO_KNOWN, Map.of("fever", "high_fever"), 2,
      HPO_IDS, io.dxpipe.catalogue.HpoOntology.parse(OBO), "test.obo");

  private static SymptomVocabulary.Resolution r(String code, String flag) {
    return new SymptomVocabulary.Resolution(code, flag);
  }

  @Test
  void hpoIdsAltIdsAndReplacedObsoleteIdsResolveToTheirCatalogueSymptom() {
    assertThat(HPO.resolve("HP:0001250")).isEqualTo(r("seizure", null));
    assertThat(HPO.resolve(" hp:0001250")).isEqualTo(r("seizure", null));
    assertThat(HPO.resolve("HP:0002279")).as("alt id").isEqualTo(r("seizure", null));
    assertThat(HPO.resolve("HP:0000050")).as("obsolete, replaced").isEqualTo(r("seizure", null));
    // a term the catalogue names without its id is known by its name: by a code, or a listed synonym
    assertThat(HPO.resolve("HP:0012735")).isEqualTo(r("cough", null));
    assertThat(HPO.resolve("HP:0001945")).isEqualTo(r("high_fever", null));
  }

  @Test
  void hpoLabelsAndExactSynonymsResolveThroughTheirTerm() {
    assertThat(HPO.resolve("Epileptic seizure")).isEqualTo(r("seizure", null));
    assertThat(HPO.resolve("Pyrexia")).isEqualTo(r("high_fever", null));
    assertThat(HPO.resolve("coughing")).isEqualTo(r("cough", null));
    assertThat(HPO.resolve("Fits").flag()).as("a RELATED synonym is not taken").startsWith("unknown-symptom:");
  }

  @Test
  void anHpoTermTheCatalogueDoesNotKnowIsItsNearestKnownAncestorFlagged() {
    assertThat(HPO.resolve("HP:0012638"))
        .isEqualTo(r("abnormality_of_the_nervous_system", "symptom-ancestor:HP:0012638->HP:0000707"));
    assertThat(HPO.resolve("Abnormal nervous system physiology"))
        .isEqualTo(r("abnormality_of_the_nervous_system", "symptom-ancestor:HP:0012638->HP:0000707"));
    // one step up to muscle spasm beats two up to the nervous system
    assertThat(HPO.resolve("HP:0000041")).isEqualTo(r("muscle_spasm", "symptom-ancestor:HP:0000041->HP:0000030"));
    // both one step up: the smaller id
    assertThat(HPO.resolve("HP:0000040")).isEqualTo(r("muscle_spasm", "symptom-ancestor:HP:0000040->HP:0000030"));
  }

  @Test
  void anHpoIdOutsideTheOntologyOrWithoutAKnownAncestorIsUnknown() {
    assertThat(HPO.resolve("HP:9999999")).isEqualTo(r("hp_9999999", "unknown-symptom:HP:9999999"));
    assertThat(HPO.resolve("HP:0000005")).isEqualTo(r("hp_0000005", "unknown-symptom:HP:0000005"));
    assertThat(HPO.resolve("HP:0000004")).isEqualTo(r("hp_0000004", "unknown-symptom:HP:0000004"));
  }

  @Test
  void withoutTheOntologyOnlyTheCataloguesOwnIdsResolve() {
    SymptomVocabulary v = new SymptomVocabulary(HPO_KNOWN, Map.of("fever", "high_fever"), 2, HPO_IDS, null, "none.obo");
    assertThat(v.resolve("HP:0001250")).isEqualTo(r("seizure", null));
    assertThat(v.resolve("HP:0002279")).isEqualTo(r("hp_0002279", "unknown-symptom:HP:0002279"));
    assertThat(v.resolve("HP:0012638").flag()).isEqualTo("unknown-symptom:HP:0012638");
    assertThat(v.resolve("Epileptic seizure").flag()).startsWith("unknown-symptom:");
    assertThat(v.hpoSummary()).startsWith("no HPO ontology at none.obo");
    assertThat(VOCABULARY.resolve("HP:0001250").flag()).isEqualTo("unknown-symptom:HP:0001250");
  }

  @Test
  void theHpoIndexTravelsWithTheVocabulary() throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    HPO.resolve("HP:0012638"); // memoized before, not after: the memo is not shipped
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(HPO);
    }
    SymptomVocabulary copy;
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (SymptomVocabulary) in.readObject();
    }
    for (String name : new String[] {"HP:0012638", "HP:0002279", "Pyrexia", "HP:0000040", "HP:9999999", "cough"}) {
      assertThat(copy.resolve(name)).as(name).isEqualTo(HPO.resolve(name));
    }
  }

  @Test
  void theSharedOntologyResolvesEveryCatalogueHpoIdToItsSymptom() {
    io.dxpipe.catalogue.DiseaseCatalogue catalogue = io.dxpipe.catalogue.DiseaseCatalogue.fromClasspath();
    String obo = io.dxpipe.testing.Repo.sharedData().resolve("hpo-orphanet/hp.obo").toString();
    SymptomVocabulary v = SymptomVocabulary.load(catalogue.symptoms(), "conf/vocabulary/symptoms.csv", 2, obo);
    int withId = 0;
    for (io.dxpipe.catalogue.Symptom s : catalogue.symptoms()) {
      if (s.hpoId() != null) {
        withId++;
        assertThat(v.resolve(s.hpoId())).as(s.hpoId()).isEqualTo(r(s.code(), null));
      }
    }
    assertThat(withId).isEqualTo(8482);
    assertThat(v.resolve("HP:0001945")).isEqualTo(r("high_fever", null)); // Fever, via symptoms.csv's fever
    assertThat(v.resolve("HP:0002013")).isEqualTo(r("vomiting", null)); // Vomiting, by name
    // a Kaggle name merged into the symptom of its HPO term is the catalogue's alias of it
    assertThat(v.resolve("stomach_pain")).isEqualTo(r("abdominal_pain", null));
    assertThat(v.resolve("Belly pain")).isEqualTo(r("abdominal_pain", null));
    assertThat(v.hpoSummary()).contains("hp/releases/2025-01-16");
  }
  @Test
  void editDistanceCountsTranspositionsAsOneEdit() {
    assertThat(EditDistance.damerauLevenshtein("congestion", "congesiton", 3)).isEqualTo(1);
    assertThat(EditDistance.damerauLevenshtein("abc", "abc", 1)).isEqualTo(0);
    assertThat(EditDistance.damerauLevenshtein("kitten", "sitting", 5)).isEqualTo(3);
    assertThat(EditDistance.damerauLevenshtein("kitten", "sitting", 1)).isEqualTo(2);
  }
}
