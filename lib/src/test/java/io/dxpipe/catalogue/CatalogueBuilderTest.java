package io.dxpipe.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.dxpipe.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogueBuilderTest {
  private static DiseaseCatalogue built;
  private static CatalogueBuilder builder;

  @BeforeAll
  static void build() {
    builder = new CatalogueBuilder(Repo.sharedData(), Repo.curated());
    built = builder.build();
  }

  @Test
  void hasEnoughCommonAndOrphanDiseases() {
    assertThat(built.diseasesOf(DiseaseGroup.COMMON)).hasSize(41);
    assertThat(built.diseasesOf(DiseaseGroup.ORPHAN)).hasSize(4097);
    assertThat(built.diseases()).extracting(Disease::code).doesNotHaveDuplicates();
    // every Orphanet disease with at least 5 phenotypes is in, once: 4,085 by its own entry, 8 by a curated
    // orphan row, 4 by a common disease (typhoid, dengue, malaria, hepatitis D are in Orphanet too)
    assertThat(built.diseasesOf(DiseaseGroup.ORPHAN).stream().filter(d -> d.code().startsWith("orpha_"))).hasSize(4085);
    assertThat(builder.report()).contains("Orphanet (2025-01-16): 4281 diseases, 4085 in the catalogue with at least 5 "
        + "phenotypes, 184 with fewer left out, 12 described by a curated row (orphan or common)");
    assertThat(built.diseasesByCode()).doesNotContainKeys("orpha_99745", "orpha_673", "orpha_99828", "orpha_402823");
    assertThat(built.diseasesByCode().get("typhoid").group()).isEqualTo(DiseaseGroup.COMMON);
  }

  @Test
  void orphanetDiseasesComeFromTheFullAnnotationFile() {
    // ORPHA:79414 Woolly hair nevus: HP:0002212 Curly hair annotated Very frequent (80-99%)
    Disease woolly = built.diseasesByCode().get("orpha_79414");
    assertThat(woolly.name()).isEqualTo("Woolly hair nevus");
    assertThat(woolly.sourceId()).isEqualTo("ORPHA:79414");
    assertThat(woolly.group()).isEqualTo(DiseaseGroup.ORPHAN);
    assertThat(frequencies("orpha_79414")).containsEntry("curly_hair", 0.895);
    assertThat(built.symptomsByCode().get("curly_hair").hpoId()).isEqualTo("HP:0002212");
    // no prevalence in the file: weight 0, so the sample generator does not draw it; documented defaults
    assertThat(woolly.weight()).isZero();
    assertThat(woolly.ageMean()).isEqualTo(CatalogueBuilder.ORPHANET_AGE_MEAN);
    assertThat(woolly.femaleShare()).isEqualTo(CatalogueBuilder.ORPHANET_FEMALE_SHARE);
    // NOT rows are excluded symptoms, never present ones
    List<Disease> withExcluded = built.diseases().stream().filter(d -> !d.excludedSymptoms().isEmpty()).toList();
    assertThat(withExcluded).hasSizeGreaterThan(300);
    assertThat(withExcluded).allSatisfy(d -> assertThat(frequencies(d.code())).doesNotContainKeys(
        d.excludedSymptoms().toArray(String[]::new)));
    // a curated row describes its Orphanet disease instead of a second entry
    assertThat(built.diseasesByCode()).containsKey("marfan_syndrome").doesNotContainKey("orpha_558");
    // the skipped curated row (familial ectopia lentis) leaves its Orphanet disease in
    assertThat(built.diseasesByCode()).containsKey("orpha_1885");
  }

  @Test
  void everyHpoTermIsOneSymptomAndCommonSymptomsCarryTheirReviewedTerm() {
    Map<String, List<String>> codesByTerm = built.symptoms().stream().filter(s -> s.hpoId() != null)
        .collect(Collectors.groupingBy(Symptom::hpoId, Collectors.mapping(Symptom::code, Collectors.toList())));
    assertThat(codesByTerm.values()).allSatisfy(codes -> assertThat(codes).hasSize(1));
    // Kaggle names the review gave one term are one symptom, the others its aliases, counted once per row
    Symptom abdominalPain = built.symptomsByCode().get("abdominal_pain");
    assertThat(abdominalPain.hpoId()).isEqualTo("HP:0002027");
    assertThat(abdominalPain.aliases()).containsExactly("belly_pain", "stomach_pain");
    assertThat(built.symptomsByCode()).doesNotContainKeys("belly_pain", "stomach_pain", "increased_appetite",
        "swelling_of_stomach");
    assertThat(frequencies("hepatitis_a").get("abdominal_pain")).isBetween(0.0, 1.0);
    assertThat(built.symptomsByCode().get("high_fever").hpoId()).isEqualTo("HP:0001945");
    assertThat(built.symptomsByCode().get("receiving_blood_transfusion").hpoId()).isNull();
    // an Orphanet disease annotated with Fever shares the common symptom high_fever
    assertThat(built.diseases().stream().filter(d -> d.code().startsWith("orpha_"))
        .filter(d -> frequencies(d.code()).containsKey("high_fever"))).hasSizeGreaterThan(100);
    assertThat(built.symptomsByCode()).doesNotContainKey("fever");
  }

  @Test
  void theMinimumNumberOfAnnotationsIsASetting() {
    CatalogueBuilder four = new CatalogueBuilder(Repo.sharedData(), Repo.curated(), 4);
    DiseaseCatalogue c = four.build();
    assertThat(c.diseases().stream().filter(d -> d.code().startsWith("orpha_"))).hasSize(4158);
    assertThatThrownBy(() -> new CatalogueBuilder(Repo.sharedData(), Repo.curated(), 0))
        .hasMessageContaining("min-annotations must be at least 1");
  }

  @Test
  void prevalenceSpansAtLeastOneHundredToOne() {
    double maxWeight = built.diseases().stream().mapToDouble(Disease::weight).max().orElseThrow();
    double rarestOrphan = built.diseasesOf(DiseaseGroup.ORPHAN).stream().mapToDouble(Disease::weight)
        .filter(w -> w > 0).min().orElseThrow();
    assertThat(maxWeight / rarestOrphan).isGreaterThanOrEqualTo(100);
  }

  /** Recount one disease's symptom frequencies straight from the Kaggle file and compare. */
  @Test
  void commonSymptomFrequenciesAreTheSharesOfKaggleRows() throws IOException {
    List<String> rows = Files.readAllLines(Repo.sharedData().resolve("kaggle-disease-symptom/dataset.csv")).stream()
        .filter(l -> l.startsWith("Fungal infection,")).toList();
    long withItching = rows.stream().filter(l -> Arrays.stream(l.split(",")).skip(1).anyMatch(s -> s.trim().equals("itching"))).count();
    long withPatches = rows.stream().filter(l -> l.contains("dischromic _patches")).count();
    Map<String, Double> fungal = frequencies("fungal_infection");
    assertThat(fungal.get("itching")).isCloseTo(withItching / (double) rows.size(), within(0.001));
    // the Kaggle spelling " dischromic _patches" becomes the canonical code dischromic_patches
    assertThat(fungal.get("dischromic_patches")).isCloseTo(withPatches / (double) rows.size(), within(0.001));
    assertThat(fungal.keySet()).allMatch(code -> code.matches("[a-z0-9_]+"));
  }

  @Test
  void bothSpellingsOfHaemorrhoidsAreOneDisease() {
    assertThat(built.diseases()).filteredOn(d -> d.code().equals("hemorrhoids")).hasSize(1);
    assertThat(built.diseases()).noneMatch(d -> d.name().toLowerCase().contains("hemmorhoids"));
  }

  @Test
  void orphanFrequenciesComeFromTheHpoAnnotations() {
    // Weill-Marchesani 2: HP:0004933 (Ascending aortic dissection) annotated 1/1
    assertThat(frequencies("weill_marchesani_syndrome_2").get("ascending_aortic_dissection")).isEqualTo(1.0);
    // Holt-Oram: phenotypes without a frequency get the documented default
    Disease mass = built.diseasesByCode().get("mass_syndrome");
    assertThat(mass.symptoms()).extracting(SymptomFrequency::frequency)
        .containsOnly(CatalogueBuilder.DEFAULT_HPO_FREQUENCY);
  }

  @Test
  void notQualifiedAnnotationsAreExcluded() {
    // OMIM:604308 (MASS) annotates NOT HP:0001083 (Ectopia lentis)
    assertThat(frequencies("mass_syndrome")).doesNotContainKey("ectopia_lentis");
  }

  @Test
  void hpoPhenotypesWithASynonymShareTheCommonSymptomCode() {
    // MELAS: HP:0001324 Muscle weakness -> the Kaggle symptom muscle_weakness
    assertThat(frequencies("melas")).containsKey("muscle_weakness");
    Symptom muscleWeakness = built.symptomsByCode().get("muscle_weakness");
    assertThat(muscleWeakness.hpoId()).isEqualTo("HP:0001324"); // conf/catalogue/common-symptom-hpo.csv
    assertThat(muscleWeakness.severityWeight()).isEqualTo(2); // from Symptom-severity.csv
  }

  @Test
  void orphanDiseaseWithTooFewPhenotypesIsSkippedAndReported() {
    assertThat(built.diseasesByCode()).doesNotContainKey("familial_ectopia_lentis");
    assertThat(builder.report()).anyMatch(l -> l.contains("OMIM:129600") && l.contains("skipped"));
  }

  @Test
  void ethnicitySharesComeFromSyntheaAndSumToOne() {
    assertThat(built.ethnicities()).extracting(Category::value).contains("white", "black", "asian", "hispanic", "other");
    assertThat(built.ethnicities().stream().mapToDouble(Category::share).sum()).isCloseTo(1.0, within(0.01));
    double white = built.ethnicities().stream().filter(c -> c.value().equals("white")).findFirst().orElseThrow().share();
    assertThat(white).isGreaterThan(0.5); // 97 of 115 Synthea patients are white
  }

  @Test
  void checkedInCatalogueIsWhatTheSourcesGiveToday() {
    DiseaseCatalogue checkedIn = DiseaseCatalogue.fromClasspath();
    assertThat(checkedIn)
        .as("lib/src/main/resources/catalogue/disease-catalogue.json is stale: run scripts/build-catalogue.sh")
        .isEqualTo(built);
  }

  @Test
  void catalogueRoundTripsThroughJson(@TempDir Path dir) {
    Path file = dir.resolve("catalogue.json");
    built.write(file);
    assertThat(DiseaseCatalogue.read(file)).isEqualTo(built);
  }

  @Test
  void unknownKaggleDiseaseFailsWithTheFileToFix(@TempDir Path dir) throws IOException {
    Path curated = dir.resolve("curated");
    Files.createDirectories(curated);
    for (String f : List.of("orphan-diseases.csv", "symptom-synonyms.csv", SymptomHpoMapping.FILE)) {
      Files.copy(Repo.curated().resolve(f), curated.resolve(f));
    }
    List<String> common = Files.readAllLines(Repo.curated().resolve("common-diseases.csv")).stream()
        .filter(l -> !l.startsWith("Malaria,")).collect(Collectors.toList());
    Files.write(curated.resolve("common-diseases.csv"), common);
    assertThatThrownBy(() -> new CatalogueBuilder(Repo.sharedData(), curated).build())
        .hasMessageContaining("Kaggle disease 'Malaria' has no row in")
        .hasMessageContaining("common-diseases.csv");
  }

  private static Map<String, Double> frequencies(String disease) {
    return built.diseasesByCode().get(disease).symptoms().stream()
        .collect(Collectors.toMap(SymptomFrequency::symptom, SymptomFrequency::frequency));
  }
}
