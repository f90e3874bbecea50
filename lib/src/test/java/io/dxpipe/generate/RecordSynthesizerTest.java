package io.dxpipe.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.catalogue.Disease;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.catalogue.DiseaseGroup;
import io.dxpipe.config.GenerateSettings;
import io.dxpipe.generate.PatientRecord.SymptomEntry;
import io.dxpipe.landing.SourceFormat;
import io.dxpipe.testing.TestSettings;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RecordSynthesizerTest {
  private static final DiseaseCatalogue CATALOGUE = DiseaseCatalogue.fromClasspath();
  private static List<PatientRecord> sample;

  @BeforeAll
  static void synthesiseTheDefaultSample() {
    RecordSynthesizer synthesizer = new RecordSynthesizer(CATALOGUE, TestSettings.generate());
    sample = LongStream.range(0, 1500).mapToObj(synthesizer::synthesize).toList();
  }

  @Test
  void sameSeedSameRecordDifferentSeedDifferentRecord() {
    RecordSynthesizer a = new RecordSynthesizer(CATALOGUE, TestSettings.generate());
    RecordSynthesizer b = new RecordSynthesizer(CATALOGUE, TestSettings.generate());
    RecordSynthesizer c = new RecordSynthesizer(CATALOGUE, TestSettings.generate("generate.seed=7"));
    PatientRecord r1 = a.synthesize(123);
    PatientRecord r2 = b.synthesize(123);
    assertThat(r2).usingRecursiveComparison().isEqualTo(r1);
    PatientRecord r3 = c.synthesize(123);
    assertThat(r3.recordId).isNotEqualTo(r1.recordId);
    assertThat(r3.nationalId).isNotEqualTo(r1.nationalId);
  }

  @Test
  void everyDiseaseGetsItsPrevalenceShareToWithinOneRecord() {
    double total = CATALOGUE.diseases().stream().mapToDouble(Disease::weight).sum();
    Map<String, Integer> counts = counts();
    for (Disease d : CATALOGUE.diseases()) {
      double expected = 1500 * d.weight() / total;
      assertThat((double) counts.getOrDefault(d.code(), 0)).as(d.code()).isBetween(expected - 1.01, expected + 1.01);
    }
  }

  @Test
  void mostOrphanDiseasesHaveThreeToTwentyCasesInTheDefaultSample() {
    Map<String, Integer> counts = counts();
    List<Disease> orphans = CATALOGUE.diseasesOf(DiseaseGroup.ORPHAN);
    long inRange = orphans.stream().filter(d -> counts.getOrDefault(d.code(), 0) >= 3
        && counts.getOrDefault(d.code(), 0) <= 20).count();
    assertThat(inRange).isGreaterThan(orphans.size() / 2);
    assertThat(orphans).allMatch(d -> counts.getOrDefault(d.code(), 0) >= 1);
  }

  @Test
  void historicalRecordsAreLabelledAndSpreadOverThePastYears() {
    assertThat(sample).allMatch(r -> r.diseaseCode != null && r.diseaseName != null);
    LocalDate date = LocalDate.parse("2026-11-25");
    assertThat(sample).allMatch(r -> !r.diagnosisDate.isAfter(date) && r.diagnosisDate.isAfter(date.minusYears(5).minusDays(2)));
    assertThat(sample.stream().map(r -> r.diagnosisDate.getYear()).distinct().count()).isGreaterThanOrEqualTo(5);
    assertThat(sample).allMatch(r -> r.onsetDate.plusDays(r.symptomDurationDays).equals(r.diagnosisDate));
  }

  @Test
  void dailyRecordsAreUnlabelledAndDatedTheRunDate() {
    GenerateSettings daily = TestSettings.generate("generate.mode=daily", "generate.records=200");
    RecordSynthesizer synthesizer = new RecordSynthesizer(CATALOGUE, daily);
    List<PatientRecord> records = LongStream.range(0, 200).mapToObj(synthesizer::synthesize).toList();
    assertThat(records).allMatch(r -> r.diseaseCode == null && r.diagnosisDate.equals(daily.date()));
    assertThat(records).allMatch(r -> r.recordId.startsWith("D20261125-s42-"));
  }

  @Test
  void infectionsRaiseTemperature() {
    double febrile = mean(r -> List.of("malaria", "dengue", "typhoid", "pneumonia").contains(r.diseaseCode), r -> r.temperatureC);
    double afebrile = mean(r -> List.of("acne", "varicose_veins", "hemorrhoids", "gerd").contains(r.diseaseCode), r -> r.temperatureC);
    assertThat(febrile - afebrile).isGreaterThan(1.0);
  }

  @Test
  void ageFollowsTheDisease() {
    double chickenPox = mean(r -> r.diseaseCode.equals("chicken_pox"), r -> r.age);
    double osteoarthritis = mean(r -> r.diseaseCode.equals("osteoarthritis"), r -> r.age);
    assertThat(osteoarthritis - chickenPox).isGreaterThan(30);
    assertThat(sample).allMatch(r -> r.age >= 0 && r.age <= 99);
  }

  @Test
  void sexFollowsTheDisease() {
    double uti = mean(r -> r.diseaseCode.equals("urinary_tract_infection"), r -> r.gender.equals("female") ? 1 : 0);
    double heartAttack = mean(r -> r.diseaseCode.equals("heart_attack"), r -> r.gender.equals("female") ? 1 : 0);
    assertThat(uti).isGreaterThan(0.6);
    assertThat(heartAttack).isLessThan(uti);
  }

  @Test
  void classesAreNotTriviallySeparable() {
    // Noise symptoms: a good share of records carry a symptom that is not in their disease profile.
    Map<String, Disease> diseases = CATALOGUE.diseasesByCode();
    long withNoise = sample.stream().filter(r -> r.symptoms.stream().anyMatch(s -> diseases.get(r.diseaseCode).symptoms()
        .stream().noneMatch(f -> f.symptom().equals(s.code())))).count();
    assertThat(withNoise).isBetween(300L, 1200L);
    // Missing symptoms: records rarely list every symptom of their profile.
    long complete = sample.stream().filter(r -> diseases.get(r.diseaseCode).symptoms().stream()
        .allMatch(f -> r.symptoms.stream().anyMatch(s -> s.code().equals(f.symptom())))).count();
    assertThat(complete).isLessThan(300);
    // Orphan patients share symptoms with common diseases.
    assertThat(sample.stream().filter(r -> r.orphan).flatMap(r -> r.symptoms.stream()).map(SymptomEntry::code))
        .contains("muscle_weakness", "blurred_and_distorted_vision");
  }

  @Test
  void formatsFollowTheirShares() {
    Map<SourceFormat, Integer> counts = new HashMap<>();
    sample.forEach(r -> counts.merge(r.format, 1, Integer::sum));
    assertThat(counts.get(SourceFormat.JSON)).isBetween(300, 450); // share 0.25 of 1500
    assertThat(counts.get(SourceFormat.FHIR)).isBetween(170, 280); // share 0.15
  }

  @Test
  void severityIsOneToThreeAndFollowsTheSeverityWeight() {
    assertThat(sample).allMatch(r -> r.symptoms.stream().allMatch(s -> s.severity() >= 1 && s.severity() <= 3));
    double itching = sample.stream().flatMap(r -> r.symptoms.stream()).filter(s -> s.code().equals("itching"))
        .mapToInt(SymptomEntry::severity).average().orElseThrow(); // weight 1
    double chestPain = sample.stream().flatMap(r -> r.symptoms.stream()).filter(s -> s.code().equals("chest_pain"))
        .mapToInt(SymptomEntry::severity).average().orElseThrow(); // weight 7
    assertThat(chestPain).isGreaterThan(itching + 0.8);
  }

  private static Map<String, Integer> counts() {
    Map<String, Integer> counts = new HashMap<>();
    sample.forEach(r -> counts.merge(r.diseaseCode, 1, Integer::sum));
    return counts;
  }

  /** Mean of a value over the records matching a filter; records where it is null (not measured) are left out. */
  private static double mean(Predicate<PatientRecord> filter, Function<PatientRecord, Number> value) {
    return sample.stream().filter(filter).map(value).filter(java.util.Objects::nonNull)
        .mapToDouble(Number::doubleValue).average().orElseThrow();
  }
}
