package io.dxpipe.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.testing.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SymptomHpoMappingTest {
  private static final HpoOntology OBO = HpoOntology.parse("""
      data-version: hp/releases/test

      [Term]
      id: HP:0001945
      name: Fever
      alt_id: HP:0000100

      [Term]
      id: HP:0000003
      name: obsolete Hot
      is_obsolete: true
      replaced_by: HP:0001945
      """);

  @Test
  void theReviewedFileHoldsAgainstTheSharedOntologyAndCoversEveryCommonSymptom() {
    Path file = Repo.curated().resolve(SymptomHpoMapping.FILE);
    SymptomHpoMapping mapping = SymptomHpoMapping.read(file, HpoOntology.read(Repo.sharedData().resolve("hpo-orphanet/hp.obo")));
    Set<String> common = DiseaseCatalogue.fromClasspath().diseasesOf(DiseaseGroup.COMMON).stream()
        .flatMap(d -> d.symptoms().stream()).map(SymptomFrequency::symptom).collect(Collectors.toSet());
    mapping.requireCovers(common, file);
    assertThat(mapping.entries()).hasSize(131);
    assertThat(mapping.entries().values().stream().filter(e -> e.hpoId() != null).count()).isEqualTo(109);
    assertThat(mapping.hpoId("high_fever")).contains("HP:0001945");
    assertThat(mapping.hpoId("receiving_blood_transfusion")).isEmpty();
    // the review overrode a wrong exact synonym
    assertThat(mapping.entries().get("sunken_eyes").match()).isEqualTo("none");
  }

  @Test
  void rowsTheOntologyDoesNotBackAreRefusedTogether(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("m.csv");
    Files.writeString(file, """
        # comment
        symptom,hpo_id,hpo_label,match,note
        fever,HP:0001945,Fever,exact-label,
        fever,HP:0001945,Fever,exact-label,
        hot,HP:0000003,obsolete Hot,curated,
        warm,HP:0000100,Fever,curated,
        chill,HP:0009999,Chill,curated,
        pyrexia,HP:0001945,Pyrexia,curated,
        cold,HP:0001945,Fever,none,
        damp,,,curated,
        odd,,,guess,
        Bad Name,,,none,
        """);
    assertThatThrownBy(() -> SymptomHpoMapping.read(file, OBO))
        .hasMessageContaining("9 problem(s)")
        .hasMessageContaining("row 3 (fever): listed twice")
        .hasMessageContaining("row 4 (hot): HP:0000003 is obsolete or an alternative id, the current term is HP:0001945 (Fever)")
        .hasMessageContaining("row 5 (warm): HP:0000100 is obsolete or an alternative id")
        .hasMessageContaining("row 6 (chill): HP:0009999 is not a term of the ontology hp/releases/test")
        .hasMessageContaining("row 7 (pyrexia): hpo_label 'Pyrexia' is not the name of HP:0001945")
        .hasMessageContaining("row 8 (cold): match none must not have an hpo_id")
        .hasMessageContaining("row 9 (damp): match curated needs an hpo_id")
        .hasMessageContaining("row 10 (odd): match 'guess' is not one of")
        .hasMessageContaining("row 11 (Bad Name): symptom must be a code");
  }

  @Test
  void aSymptomWithoutARowIsNamed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("m.csv");
    Files.writeString(file, "symptom,hpo_id,hpo_label,match,note\nfever,HP:0001945,Fever,exact-label,\n");
    SymptomHpoMapping mapping = SymptomHpoMapping.read(file, OBO);
    assertThatThrownBy(() -> mapping.requireCovers(List.of("fever", "rash", "cough"), file))
        .hasMessageContaining("no row for 2 symptom(s) of the common diseases: [cough, rash]");
  }
}
