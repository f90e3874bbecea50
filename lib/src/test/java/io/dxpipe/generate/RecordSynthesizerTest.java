package io.dxpipe.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.catalogue.Disease;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.catalogue.DiseaseGroup;
import io.dxpipe.generate.PatientRecord.SymptomEntry;
import io.dxpipe.ingest.SourceFormat;
import io.dxpipe.testing.TestSettings;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RecordSynthesizerTest {
  private static final DiseaseCatalogue CATALOGUE = DiseaseCatalogue.fromClasspath();
  private static List<PatientRecord> sample;
  private static RecordSynthesizer synthesizer;

  @BeforeAll
  static void synthesiseTheDefaultSample() {
    synthesizer = new RecordSynthesizer(CATALOGUE, TestSettings.generate());
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
  void distinctNationalIdsAreDistinctOutsideIssuedRangesAndTheDefaultKeepsItsForm() {
    long salt = 0x5EED_1234_ABCDL;
    java.util.BitSet seen = new java.util.BitSet((int) Names.DISTINCT_NATIONAL_IDS);
    java.util.regex.Pattern form = java.util.regex.Pattern.compile("9(\\d\\d)-([0-4]\\d)-(\\d{4})");
    int n = 2_000_000; // twice the 1,000,000 values of the default form: no collision here
    for (long i = 0; i < n; i++) {
      String id = Names.distinctNationalId(i, salt);
      java.util.regex.Matcher m = form.matcher(id);
      assertThat(m.matches()).as(id).isTrue();
      int h = Integer.parseInt(m.group(1)) * 500_000 + Integer.parseInt(m.group(2)) * 10_000 + Integer.parseInt(m.group(3));
      assertThat(seen.get(h)).as("record %d's national id %s was given before", i, id).isFalse();
      seen.set(h);
    }
    assertThat(seen.cardinality()).isEqualTo(n);
    // the default: 999-xx-xxxx as before (a hash: 1,000,000 values)
    assertThat(sample).allSatisfy(r -> assertThat(r.nationalId).matches("999-\\d{2}-\\d{4}"));
    RecordSynthesizer distinct = new RecordSynthesizer(CATALOGUE, TestSettings.generate("generate.distinct-national-ids=true", "generate.mode=daily"));
    // daily mode: no repeat visits, which share their patient's id
    List<String> ids = LongStream.range(0, 1500).mapToObj(i -> distinct.synthesize(i).nationalId).toList();
    assertThat(ids).allSatisfy(id -> assertThat(id).matches("9\\d\\d-[0-4]\\d-\\d{4}")).doesNotHaveDuplicates();
  }

  @Test
  void identifiersDifferBetweenRunsButNotBetweenFilesOfOneSystem() {
    RecordSynthesizer tomorrow = new RecordSynthesizer(CATALOGUE, TestSettings.generate("generate.date=2026-11-26"));
    RecordSynthesizer daily = new RecordSynthesizer(CATALOGUE, TestSettings.generate("generate.mode=daily"));
    PatientRecord today = synthesizer.synthesize(0);
    for (RecordSynthesizer other : List.of(tomorrow, daily)) {
      PatientRecord r = other.synthesize(0);
      assertThat(r.recordId).isNotEqualTo(today.recordId);
      assertThat(r.nationalId).isNotEqualTo(today.nationalId);
      for (SourceFormat f : SourceFormat.generated()) {
        assertThat(other.sourcePatientId(f, 0)).isNotEqualTo(synthesizer.sourcePatientId(f, 0));
      }
    }
    // the EHR's single-record files and its batches come from one system: same MRN for one patient
    assertThat(synthesizer.sourcePatientId(SourceFormat.JSON, 7)).isEqualTo(synthesizer.sourcePatientId(SourceFormat.JSONL, 7));
    assertThat(synthesizer.sourcePatientId(SourceFormat.CSV, 7)).startsWith("PT");
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
    // the orphan diseases with a curated prevalence; those of weight 0 (Orphanet's without one) are never drawn
    List<Disease> orphans = CATALOGUE.diseasesOf(DiseaseGroup.ORPHAN).stream().filter(d -> d.weight() > 0).toList();
    assertThat(orphans).hasSize(12);
    assertThat(CATALOGUE.diseasesOf(DiseaseGroup.ORPHAN)).filteredOn(d -> d.weight() == 0)
        .allMatch(d -> !counts.containsKey(d.code())).hasSizeGreaterThan(4000);
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
    assertThat(withNoise).isBetween(900L, 1450L); // Poisson(2) unrelated complaints: most records
    System.out.println("records with an unrelated complaint: " + withNoise);
    // Missing symptoms: records rarely list every symptom of their profile.
    long complete = sample.stream().filter(r -> diseases.get(r.diseaseCode).symptoms().stream()
        .allMatch(f -> r.symptoms.stream().anyMatch(s -> s.code().equals(f.symptom())))).count();
    assertThat(complete).isLessThan(150);
    // Orphan patients share symptoms with common diseases.
    Set<String> commonSymptoms = CATALOGUE.diseasesOf(DiseaseGroup.COMMON).stream()
        .flatMap(d -> d.symptoms().stream()).map(f -> f.symptom()).collect(java.util.stream.Collectors.toSet());
    List<PatientRecord> orphans = sample.stream().filter(r -> r.orphan).toList();
    long sharing = orphans.stream().filter(r -> r.symptoms.stream().anyMatch(s -> commonSymptoms.contains(s.code()))).count();
    assertThat(sharing).isGreaterThan(orphans.size() / 2);
  }

  /**
   * An oracle naive Bayes that knows the generator's own disease profiles classifies records from
   * their symptoms: the data must carry signal, but not make the classes trivially separable.
   */
  @Test
  void symptomsPredictTheDiseaseWellButNotPerfectly() {
    double[] accuracy = oracleAccuracy(sample);
    System.out.printf("oracle naive Bayes on the default sample: accuracy %.3f, orphan recall %.3f%n", accuracy[0], accuracy[1]);
    assertThat(accuracy[0]).isBetween(0.55, 0.90);
    assertThat(accuracy[1]).isBetween(0.40, 0.97);
  }

  @Test
  void someHistoricalLabelsAreLookAlikeDiseases() {
    long mislabelled = sample.stream().filter(r -> r.mislabelled).count();
    assertThat(mislabelled).isBetween(10L, 60L); // 2% of 1,500
    GenerateSettings noNoise = TestSettings.generate("generate.label-noise-rate=0");
    RecordSynthesizer clean = new RecordSynthesizer(CATALOGUE, noNoise);
    assertThat(LongStream.range(0, 300).mapToObj(clean::synthesize)).noneMatch(r -> r.mislabelled);
  }

  static double[] oracleAccuracy(List<PatientRecord> records) {
    double total = CATALOGUE.diseases().stream().mapToDouble(Disease::weight).sum();
    long correct = 0;
    long orphans = 0;
    long orphansCorrect = 0;
    for (PatientRecord r : records) {
      Set<String> present = r.symptoms.stream().map(SymptomEntry::code).collect(java.util.stream.Collectors.toSet());
      String best = null;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (Disease d : CATALOGUE.diseases()) {
        double score = Math.log(d.weight() / total);
        Map<String, Double> profile = new HashMap<>();
        d.symptoms().forEach(f -> profile.put(f.symptom(), Math.max(0.02, f.frequency() * 0.6)));
        for (String s : present) {
          score += Math.log(profile.getOrDefault(s, 0.02));
        }
        for (Map.Entry<String, Double> e : profile.entrySet()) {
          if (!present.contains(e.getKey())) {
            score += Math.log(1 - Math.min(0.98, e.getValue()));
          }
        }
        if (score > bestScore) {
          bestScore = score;
          best = d.code();
        }
      }
      boolean hit = best.equals(r.diseaseCode);
      correct += hit ? 1 : 0;
      if (r.orphan) {
        orphans++;
        orphansCorrect += hit ? 1 : 0;
      }
    }
    return new double[] {correct / (double) records.size(), orphansCorrect / (double) Math.max(1, orphans)};
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

  /** Patients per disease behind the symptoms (the recorded label differs for look-alike misdiagnoses). */
  private static Map<String, Integer> counts() {
    Map<String, Integer> counts = new HashMap<>();
    sample.forEach(r -> counts.merge(synthesizer.diseaseOf(r.index).code(), 1, Integer::sum));
    return counts;
  }

  /** Mean of a value over the records matching a filter; records where it is null (not measured) are left out. */
  private static double mean(Predicate<PatientRecord> filter, Function<PatientRecord, Number> value) {
    return sample.stream().filter(filter).map(value).filter(java.util.Objects::nonNull)
        .mapToDouble(Number::doubleValue).average().orElseThrow();
  }

  @Test
  void aShareOfRecordsAreLaterVisitsOfTheSamePatientWithTheirOwnDiagnosis() {
    Map<Long, List<PatientRecord>> byPatient = new HashMap<>();
    sample.forEach(r -> byPatient.computeIfAbsent(r.patientIndex, k -> new java.util.ArrayList<>()).add(r));
    long repeats = sample.stream().filter(r -> r.patientIndex != r.index).count();
    assertThat(repeats).as("repeat visits at repeat-visit-rate 0.1 of 1,500 records").isBetween(90L, 190L);
    assertThat(byPatient.values().stream().mapToInt(List::size).max().orElseThrow())
        .isLessThanOrEqualTo(RecordSynthesizer.MAX_VISITS);
    long differentDiagnosis = 0;
    for (List<PatientRecord> visits : byPatient.values()) {
      PatientRecord first = visits.get(0);
      for (int i = 1; i < visits.size(); i++) {
        PatientRecord later = visits.get(i);
        assertThat(later.index).isEqualTo(visits.get(i - 1).index + 1);
        assertThat(later.diagnosisDate).isAfter(visits.get(i - 1).diagnosisDate)
            .isBeforeOrEqualTo(LocalDate.parse("2026-11-25"));
        assertThat(List.of(later.format, later.sourcePatientId, later.nationalId, later.lastName, later.birthDate))
            .isEqualTo(List.of(first.format, first.sourcePatientId, first.nationalId, first.lastName, first.birthDate));
        assertThat(later.recordId).isNotEqualTo(first.recordId);
        if (!later.diseaseCode.equals(first.diseaseCode)) {
          differentDiagnosis++;
        }
      }
    }
    assertThat(differentDiagnosis).as("repeat visits with another diagnosis").isGreaterThan(repeats / 2);
    // the same index gives the same record, in any order of synthesis
    PatientRecord repeat = sample.stream().filter(r -> r.patientIndex != r.index).findFirst().orElseThrow();
    assertThat(new RecordSynthesizer(CATALOGUE, TestSettings.generate()).synthesize(repeat.index))
        .usingRecursiveComparison().isEqualTo(repeat);
  }

  @Test
  void withoutRepeatVisitsOrInDailyModeEveryRecordIsItsOwnPatient() {
    for (RecordSynthesizer s : List.of(
        new RecordSynthesizer(CATALOGUE, TestSettings.generate("generate.repeat-visit-rate=0")),
        new RecordSynthesizer(CATALOGUE, TestSettings.generate("generate.mode=daily")))) {
      assertThat(LongStream.range(0, 500).mapToObj(s::synthesize).filter(r -> r.patientIndex != r.index)).isEmpty();
    }
    // first visits are the records a run without repeat visits makes
    RecordSynthesizer none = new RecordSynthesizer(CATALOGUE, TestSettings.generate("generate.repeat-visit-rate=0"));
    PatientRecord first = sample.stream().filter(r -> r.patientIndex == r.index).skip(10).findFirst().orElseThrow();
    assertThat(none.synthesize(first.index)).usingRecursiveComparison().isEqualTo(first);
  }
}
