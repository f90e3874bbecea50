package io.dxpipe.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.catalogue.Disease;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.catalogue.DiseaseGroup;
import io.dxpipe.catalogue.SymptomFrequency;
import io.dxpipe.generate.GenerateSettings;
import io.dxpipe.generate.PatientRecord;
import io.dxpipe.generate.RecordSynthesizer;
import io.dxpipe.testing.TestSettings;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HeldOutEvaluationTest {
  private static final DiseaseCatalogue CATALOGUE = DiseaseCatalogue.fromClasspath();

  @Test
  void theRankCountsTheClassesAboveTheTruthWithTiesToTheLowerIndex() {
    assertThat(HeldOutEvaluation.rank(new double[] {0.1, 0.6, 0.3}, 1)).isEqualTo(1);
    assertThat(HeldOutEvaluation.rank(new double[] {0.1, 0.6, 0.3}, 2)).isEqualTo(2);
    assertThat(HeldOutEvaluation.rank(new double[] {0.1, 0.6, 0.3}, 0)).isEqualTo(3);
    // a tie: the lower index is ahead, as in Spark's prediction and the top-k
    assertThat(HeldOutEvaluation.rank(new double[] {0.4, 0.4, 0.2}, 0)).isEqualTo(1);
    assertThat(HeldOutEvaluation.rank(new double[] {0.4, 0.4, 0.2}, 1)).isEqualTo(2);
    assertThat(HeldOutEvaluation.rank(new double[] {0.4, 0.4, 0.2}, -1)).as("not a class").isZero();
  }

  @Test
  void theEvaluatedDiseasesAreTheCatalogueLabelsThenDrawnUnseenOnes() {
    List<String> labels = List.of("common_cold", "not_in_the_catalogue", "dengue");
    List<Disease> some = HeldOutEvaluation.evaluatedDiseases(CATALOGUE, labels, 30, 7);
    assertThat(some).hasSize(32);
    assertThat(some.subList(0, 2)).extracting(Disease::code).containsExactly("common_cold", "dengue");
    assertThat(some.subList(2, 32)).extracting(Disease::code).doesNotContainAnyElementsOf(labels)
        .doesNotHaveDuplicates();
    assertThat(HeldOutEvaluation.evaluatedDiseases(CATALOGUE, labels, 30, 7)).as("the seed fixes the draw")
        .isEqualTo(some);
    assertThat(HeldOutEvaluation.evaluatedDiseases(CATALOGUE, labels, 30, 8)).isNotEqualTo(some);
    assertThat(HeldOutEvaluation.evaluatedDiseases(CATALOGUE, labels, -1, 7)).as("-1: every other disease")
        .hasSize(CATALOGUE.diseases().size());
  }

  @Test
  void groupsCountRecordsForTopKAndDiseasesForMacroRecall() {
    List<HeldOutEvaluation.DiseaseResult> diseases = List.of(
        new HeldOutEvaluation.DiseaseResult("a", "A", false, 100, true, 30, 30, 30, 30),
        new HeldOutEvaluation.DiseaseResult("b", "B", true, 3, true, 10, 5, 8, 10),
        new HeldOutEvaluation.DiseaseResult("c", "C", true, 0, true, 20, 2, 6, 12),
        new HeldOutEvaluation.DiseaseResult("d", "D", true, 0, false, 20, 0, 0, 0));
    List<HeldOutEvaluation.Group> groups = HeldOutEvaluation.groups(diseases);
    assertThat(groups).extracting(HeldOutEvaluation.Group::key)
        .containsExactly("all", "common", "orphan", "cases_0", "cases_1_5", "cases_over_5");
    HeldOutEvaluation.Group all = groups.get(0);
    assertThat(all.records()).isEqualTo(80);
    assertThat(all.diseases()).isEqualTo(4);
    assertThat(all.top1()).isEqualTo(37 / 80.0);
    assertThat(all.top3()).isEqualTo(44 / 80.0);
    assertThat(all.top10()).isEqualTo(52 / 80.0);
    assertThat(all.macroRecall()).isEqualTo((1 + 0.5 + 0.1 + 0) / 4);
    HeldOutEvaluation.Group orphan = groups.get(2);
    assertThat(orphan.macroRecall()).isEqualTo((0.5 + 0.1 + 0) / 3);
    assertThat(orphan.macroTop10()).isEqualTo((1 + 0.6 + 0) / 3);
    HeldOutEvaluation.Group unseen = groups.get(3);
    assertThat(unseen.records()).isEqualTo(40);
    assertThat(unseen.top10()).isEqualTo(12 / 40.0);
    assertThat(groups.get(4).diseases()).isEqualTo(1);
    HeldOutEvaluation.Result result = new HeldOutEvaluation.Result(groups, diseases, 2, null, ", 20% of the HPO terms written as a parent");
    assertThat(result.metrics()).containsEntry("heldout_orphan_macro_recall", (0.5 + 0.1 + 0) / 3)
        .containsEntry("heldout_cases_1_5_top3", 0.8).hasSize(6 * 5);
    assertThat(result.describe()).startsWith("held-out evaluation (80 generated patients, 20% of the HPO terms written as a parent, 2.0 s):")
        .contains("0 training cases           40 records     2 diseases  top-1 0.050  top-3 0.150  top-10 0.300");
    assertThat(HeldOutEvaluation.groups(diseases.subList(0, 1))).extracting(HeldOutEvaluation.Group::key)
        .as("a group without a disease is left out").containsExactly("all", "common", "cases_over_5");
  }

  @Test
  void lessPreciseTermsAreParentsWrittenAsHpoIdsAtTheGivenShare() {
    io.dxpipe.catalogue.HpoOntology ontology = io.dxpipe.catalogue.HpoOntology.read(
        io.dxpipe.testing.Repo.sharedData().resolve("hpo-orphanet/hp.obo"));
    HeldOutEvaluation.ImpreciseTerms imprecise = HeldOutEvaluation.ImpreciseTerms.of(CATALOGUE, ontology, 0.5, 3);
    assertThat(imprecise.terms()).as("HPO symptoms with a usable parent").isGreaterThan(8000);
    GenerateSettings generate = GenerateSettings.from(TestSettings.load().config())
        .forCases(5, LocalDate.of(2001, 2, 3), 1000);
    RecordSynthesizer synthesizer = new RecordSynthesizer(CATALOGUE, generate);
    Disease orpha = CATALOGUE.diseasesByCode().get("marfan_syndrome");
    int written = 0;
    int asParent = 0;
    for (long i = 0; i < 100; i++) {
      PatientRecord exact = synthesizer.synthesizeCase(orpha, i);
      PatientRecord r = imprecise.apply(synthesizer.synthesizeCase(orpha, i), i);
      assertThat(r.symptoms).hasSameSizeAs(exact.symptoms);
      for (int j = 0; j < r.symptoms.size(); j++) {
        PatientRecord.SymptomEntry s = r.symptoms.get(j);
        written++;
        if (!s.equals(exact.symptoms.get(j))) {
          asParent++;
          String own = CATALOGUE.symptomsByCode().get(s.code()).hpoId();
          assertThat(ontology.current(own).orElseThrow().parents()).as(s.toString()).contains(s.writtenName())
              .doesNotContain("HP:0000118");
        }
      }
    }
    assertThat(asParent / (double) written).isBetween(0.3, 0.55);
    PatientRecord untouched = synthesizer.synthesizeCase(orpha, 1);
    assertThat(new HeldOutEvaluation.ImpreciseTerms(java.util.Map.of(), 0, 3).apply(untouched, 1).symptoms)
        .isEqualTo(synthesizer.synthesizeCase(orpha, 1).symptoms);
  }

  @Test
  void aCaseIsAPatientOfTheGivenDiseaseEvenOneTheSampleNeverDraws() {
    GenerateSettings generate = GenerateSettings.from(TestSettings.load().config())
        .forCases(5, LocalDate.of(2001, 2, 3), 1000);
    RecordSynthesizer synthesizer = new RecordSynthesizer(CATALOGUE, generate);
    Disease orpha = CATALOGUE.diseases().stream().filter(d -> d.group() == DiseaseGroup.ORPHAN && d.weight() == 0)
        .filter(d -> d.symptoms().size() >= 10).findFirst().orElseThrow();
    Set<String> own = orpha.symptoms().stream().map(SymptomFrequency::symptom).collect(Collectors.toSet());
    int ownSymptoms = 0;
    int allSymptoms = 0;
    for (long i = 0; i < 200; i++) {
      PatientRecord r = synthesizer.synthesizeCase(orpha, i);
      assertThat(r.diseaseCode).isEqualTo(orpha.code());
      assertThat(r.diagnosisDate).isEqualTo(LocalDate.of(2001, 2, 3));
      assertThat(r.symptoms).isNotEmpty();
      assertThat(r.symptoms.stream().filter(s -> own.contains(s.code())).count()).as("a presenting symptom of its own")
          .isPositive();
      ownSymptoms += (int) r.symptoms.stream().filter(s -> own.contains(s.code())).count();
      allSymptoms += r.symptoms.size();
    }
    // noise symptoms come from other diseases, as in the sample: about 2 per record (noise-symptoms-mean)
    assertThat(allSymptoms - ownSymptoms).isBetween(200, 600);
    PatientRecord again = synthesizer.synthesizeCase(orpha, 17);
    assertThat(again.symptoms).isEqualTo(synthesizer.synthesizeCase(orpha, 17).symptoms);
    assertThatThrownBy(() -> io.dxpipe.generate.BronzeSynthesizer.cases(null, CATALOGUE,
        GenerateSettings.from(TestSettings.load("generate.mode=historical").config()), List.of(orpha), 1, new byte[1],
        "r")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("daily mode");
  }
}
