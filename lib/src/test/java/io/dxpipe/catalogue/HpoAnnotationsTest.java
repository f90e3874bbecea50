package io.dxpipe.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.dxpipe.catalogue.HpoAnnotations.DiseaseAnnotations;
import io.dxpipe.testing.Repo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HpoAnnotationsTest {
  private static final String HEADER = "database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\tmodifier\taspect\tbiocuration\n";

  private static String row(String disease, String name, String qualifier, String term, String onset, String frequency,
      String sex, String aspect) {
    return String.join("\t", disease, name, qualifier, term, disease, "TAS", onset, frequency, sex, "", aspect, "ORPHA:x") + "\n";
  }

  @Test
  void readsPhenotypesExclusionsCourseAndMergesRepeatedTerms() {
    String text = "#description: test\n#version: 2025-01-16\n" + HEADER
        + row("ORPHA:1", "Disease one", "", "HP:0001945", "", "HP:0040281", "", "P")
        + row("ORPHA:1", "Disease one", "", "HP:0001945", "", "HP:0040283", "", "P") // repeated, lower: keeps 0.895
        + row("ORPHA:1", "Disease one", "", "HP:0000006", "", "", "", "I")            // inheritance: not a phenotype
        + row("ORPHA:1", "Disease one", "NOT", "HP:0002090", "", "", "", "P")
        + row("ORPHA:1", "Disease one", "", "HP:0001522", "", "", "", "C")
        + row("ORPHA:1", "Disease one", "", "HP:0001250", "HP:0003593", "3/4", "female", "P")
        + row("ORPHA:2", "Disease two", "", "HP:0001250", "", "", "", "P")            // no frequency
        + row("ORPHA:2", "Disease two", "", "HP:0001250", "", "HP:0040282", "", "P")  // repeated with one: takes it
        + row("OMIM:3", "Not Orphanet", "", "HP:0001250", "", "1/2", "", "P");
    HpoAnnotations a = HpoAnnotations.parse(text, HpoAnnotations.ORPHANET);

    assertThat(a.version()).isEqualTo("2025-01-16");
    assertThat(a.diseases()).containsOnlyKeys("ORPHA:1", "ORPHA:2");
    DiseaseAnnotations one = a.diseases().get("ORPHA:1");
    assertThat(one.name()).isEqualTo("Disease one");
    assertThat(one.phenotypes()).containsOnlyKeys("HP:0001945", "HP:0001250");
    assertThat(one.phenotypes().get("HP:0001945")).isEqualTo(0.895);
    assertThat(one.phenotypes().get("HP:0001250")).isEqualTo(0.75);
    assertThat(one.excluded()).containsExactly("HP:0002090");
    assertThat(one.course()).containsExactly("HP:0001522", "HP:0003593");
    assertThat(one.sexes()).containsExactly("FEMALE");
    assertThat(a.diseases().get("ORPHA:2").phenotypes()).containsEntry("HP:0001250", 0.545);
    assertThat(a.counts()).isEqualTo(new HpoAnnotations.Counts(8, 5, 1, 2, 0));
    assertThat(a.withAtLeast(2)).extracting(DiseaseAnnotations::id).containsExactly("ORPHA:1");

    HpoAnnotations all = HpoAnnotations.parse(text, id -> true);
    assertThat(all.diseases()).containsKey("OMIM:3");
    assertThat(all.counts().rows()).isEqualTo(9);
  }

  @Test
  void aRowWithoutAFrequencyIsMarkedAndCounted() {
    HpoAnnotations a = HpoAnnotations.parse(HEADER + row("ORPHA:9", "n", "", "HP:0001250", "", "", "", "P"),
        HpoAnnotations.ORPHANET);
    assertThat(a.diseases().get("ORPHA:9").phenotypes().get("HP:0001250")).isNaN();
    assertThat(a.counts().withoutFrequency()).isEqualTo(1);
  }

  @Test
  void malformedFilesAreRefusedWithTheLine() {
    assertThatThrownBy(() -> HpoAnnotations.parse("id\tname\n", id -> true))
        .hasMessageContaining("line 1").hasMessageContaining("not an HPO annotation file");
    assertThatThrownBy(() -> HpoAnnotations.parse("#only comments\n", id -> true))
        .hasMessageContaining("no header line");
    assertThatThrownBy(() -> HpoAnnotations.parse(HEADER + "ORPHA:1\tx\t\tHP:1\n", id -> true))
        .hasMessageContaining("line 2").hasMessageContaining("4 tab-separated columns");
    assertThatThrownBy(() -> HpoAnnotations.parse(HEADER + row("ORPHA:1", "x", "", "fever", "", "", "", "P"), id -> true))
        .hasMessageContaining("line 2").hasMessageContaining("'fever' is not an HPO id");
    assertThatThrownBy(() -> HpoAnnotations.parse(HEADER + row("ORPHA:1", "x", "", "HP:0001250", "", "often", "", "P"),
        id -> true))
        .hasMessageContaining("line 2 (ORPHA:1, HP:0001250)").hasMessageContaining("unrecognised HPO frequency 'often'");
  }

  /** The figures of the shared 2025-01-16 release that the catalogue's defaults are chosen from. */
  @Test
  void theFullReleaseHasOver4000OrphanetDiseasesWithFivePhenotypes() {
    Path file = Repo.sharedData().resolve("hpo-orphanet/phenotype.hpoa");
    HpoAnnotations a = HpoAnnotations.read(file, HpoAnnotations.ORPHANET);

    assertThat(a.version()).isEqualTo("2025-01-16");
    assertThat(a.diseases()).hasSize(4281);
    assertThat(a.counts().rows()).isEqualTo(114_960);
    assertThat(a.counts().phenotypeRows()).isEqualTo(114_066);
    assertThat(a.counts().excludedRows()).isEqualTo(704);
    assertThat(a.counts().mergedRows()).isEqualTo(61);
    assertThat(a.counts().withoutFrequency()).isZero(); // every ORPHA phenotype has an HP:00402xx class
    assertThat(a.diseases().values().stream().filter(d -> !d.excluded().isEmpty()).count()).isEqualTo(340);
    assertThat(a.diseases().values().stream().mapToInt(d -> d.sexes().size()).sum()).isZero();
    assertThat(a.diseasesWithAtLeast(4, 5, 6)).containsEntry(4, 4170).containsEntry(5, 4097).containsEntry(6, 4013);
    assertThat(HpoAnnotations.terms(a.withAtLeast(5))).hasSize(8476);
    DiseaseAnnotations marfan = a.diseases().get("ORPHA:558");
    assertThat(marfan.name()).isEqualTo("Marfan syndrome");
    assertThat(marfan.phenotypes().values()).allSatisfy(f -> assertThat(f).isBetween(0.0, 1.0));
    assertThat(a.diseases().values().stream().flatMap(d -> d.phenotypes().values().stream())
        .mapToDouble(Double::doubleValue).average().orElseThrow()).isCloseTo(0.45, within(0.15));
  }
}
