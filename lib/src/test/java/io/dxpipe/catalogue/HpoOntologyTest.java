package io.dxpipe.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.testing.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HpoOntologyTest {
  private static final String OBO = """
      format-version: 1.2
      data-version: hp/releases/test
      synonymtypedef: layperson "layperson term"

      [Term]
      id: HP:0000001
      name: All

      [Term]
      id: HP:0000118
      name: Phenotypic abnormality
      is_a: HP:0000001 ! All

      [Term]
      id: HP:0001945
      name: Fever
      alt_id: HP:0000100
      def: "Body temperature elevated above the normal range." [PMID:9759682]
      synonym: "Pyrexia" EXACT []
      synonym: "Fever" EXACT layperson []
      synonym: "Feeling hot" RELATED []
      synonym: "Say \\"hot\\"" EXACT []
      is_a: HP:0000118 ! Phenotypic abnormality
      is_a: HP:0000002 {source="x"} ! Abnormality of body height

      [Term]
      id: HP:0000002
      name: Abnormality of body height
      is_a: HP:0000118

      [Term]
      id: HP:0000003
      name: obsolete Hot
      is_obsolete: true
      replaced_by: HP:0001945

      [Term]
      id: HP:0000004
      name: obsolete Nothing
      is_obsolete: true
      consider: HP:0001945

      [Typedef]
      id: part_of
      name: part of
      is_a: HP:0000001
      """;

  @Test
  void termsHaveTheirNameExactSynonymsParentsAltIdsAndReplacements() {
    HpoOntology o = HpoOntology.parse(OBO);
    assertThat(o.version()).isEqualTo("hp/releases/test");
    assertThat(o.size()).isEqualTo(6); // the [Typedef] is not a term
    HpoOntology.Term fever = o.term("HP:0001945").orElseThrow();
    assertThat(fever.name()).isEqualTo("Fever");
    assertThat(fever.exactSynonyms()).containsExactly("Pyrexia", "Fever", "Say \"hot\"");
    assertThat(fever.parents()).containsExactly("HP:0000118", "HP:0000002");
    assertThat(fever.altIds()).containsExactly("HP:0000100");
    assertThat(fever.obsolete()).isFalse();
    assertThat(o.term("HP:0000003").orElseThrow().obsolete()).isTrue();
    assertThat(o.term("HP:0000003").orElseThrow().replacedBy()).isEqualTo("HP:0001945");
    assertThat(o.term("HP:0000100")).isEmpty(); // an alt id has no stanza of its own
  }

  @Test
  void currentFollowsAltIdsAndReplacementsButNotConsider() {
    HpoOntology o = HpoOntology.parse(OBO);
    assertThat(o.current("HP:0001945").map(HpoOntology.Term::id)).contains("HP:0001945");
    assertThat(o.current("HP:0000100").map(HpoOntology.Term::id)).contains("HP:0001945");
    assertThat(o.current("HP:0000003").map(HpoOntology.Term::id)).contains("HP:0001945");
    assertThat(o.current("HP:0000004")).isEmpty();
    assertThat(o.current("HP:9999999")).isEmpty();
  }

  /** HP:0006158 in the 2025-01-16 release: an alt_id of HP:0001187 with an obsolete stanza of its own, no replaced_by. */
  @Test
  void anAltIdWithAnObsoleteStanzaOfItsOwnIsItsPrimaryTerm() {
    HpoOntology o = HpoOntology.parse("""
        [Term]
        id: HP:0001187
        name: Hyperextensibility of the finger joints
        alt_id: HP:0006158

        [Term]
        id: HP:0006158
        name: obsolete Finger joint hyperextensibility
        is_obsolete: true
        """);
    assertThat(o.current("HP:0006158").map(HpoOntology.Term::id)).contains("HP:0001187");
    HpoOntology shared = HpoOntology.read(Repo.sharedData().resolve("hpo-orphanet/hp.obo"));
    assertThat(shared.current("HP:0006158").map(HpoOntology.Term::id)).contains("HP:0001187");
  }

  @Test
  void idsAreRecognisedInTheFormsSourcesWriteThem() {
    assertThat(HpoOntology.normalizeId("HP:0001945")).isEqualTo("HP:0001945");
    assertThat(HpoOntology.normalizeId(" hp:0001945 ")).isEqualTo("HP:0001945");
    assertThat(HpoOntology.normalizeId("HP_0001945")).isEqualTo("HP:0001945");
    assertThat(HpoOntology.normalizeId("HP:001945")).isNull();
    assertThat(HpoOntology.normalizeId("fever")).isNull();
    assertThat(HpoOntology.number("HP:0001945")).isEqualTo(1945);
    assertThat(HpoOntology.id(1945)).isEqualTo("HP:0001945");
  }

  @Test
  void aMissingFileIsEmptyNotAnError(@TempDir Path dir) throws Exception {
    assertThat(HpoOntology.readIfPresent(dir.resolve("none.obo").toString())).isEmpty();
    Path file = dir.resolve("hp.obo");
    Files.writeString(file, OBO);
    assertThat(HpoOntology.readIfPresent(file.toString()).orElseThrow().size()).isEqualTo(6);
  }

  @Test
  void theSharedReleaseLoadsQuickly() {
    Path file = Repo.sharedData().resolve("hpo-orphanet/hp.obo");
    HpoOntology.read(file); // warm up the JIT and the file cache
    long start = System.nanoTime();
    HpoOntology o = HpoOntology.read(file);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(o.version()).isEqualTo("hp/releases/2025-01-16");
    assertThat(o.size()).isEqualTo(19484);
    HpoOntology.Term fever = o.term("HP:0001945").orElseThrow();
    assertThat(fever.name()).isEqualTo("Fever");
    assertThat(fever.parents()).containsExactly("HP:0004370");
    assertThat(fever.exactSynonyms()).contains("Pyrexia", "Hyperthermia");
    assertThat(o.current("HP:0003543").map(HpoOntology.Term::name)).contains("Ketosis"); // an alt id
    assertThat(o.current("HP:0000057").map(HpoOntology.Term::id)).contains("HP:0008665"); // replaced
    assertThat(seconds).as("seconds to parse hp.obo").isLessThan(3.0); // about 0.2 s; the bound leaves room for a busy machine
  }
}
