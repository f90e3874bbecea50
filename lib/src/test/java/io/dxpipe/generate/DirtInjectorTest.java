package io.dxpipe.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.catalogue.SymptomNames;
import io.dxpipe.generate.DirtInjector.Corruption;
import io.dxpipe.generate.DirtInjector.Duplicate;
import io.dxpipe.generate.GenerateSettings.DirtyRates;
import io.dxpipe.generate.PatientRecord.Defect;
import io.dxpipe.testing.TestSettings;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class DirtInjectorTest {
  private static final RecordSynthesizer SYNTH =
      new RecordSynthesizer(DiseaseCatalogue.fromClasspath(), TestSettings.generate());

  private static List<PatientRecord> dirty(DirtyRates rates, int n) {
    DirtInjector dirt = new DirtInjector(rates, 42);
    return LongStream.range(0, n).mapToObj(i -> dirt.apply(SYNTH.synthesize(i))).toList();
  }

  private static DirtyRates only(double missing, double mismatch, double impossible, double variant) {
    return new DirtyRates(0, missing, mismatch, impossible, 0, 0, variant);
  }

  @Test
  void cleanRatesGiveCleanRecords() {
    List<PatientRecord> records = dirty(only(0, 0, 0, 0), 300);
    assertThat(records).allMatch(r -> r.defect == Defect.NONE && r.raw.isEmpty() && !r.symptomVariant);
    assertThat(records).allMatch(r -> r.sourcePatientId != null && r.age != null && r.gender != null && r.diagnosisDate != null);
  }

  @Test
  void missingRequiredFieldsAreNull() {
    List<PatientRecord> records = dirty(only(1, 0, 0, 0), 200);
    assertThat(records).allMatch(r -> r.defect == Defect.MISSING_REQUIRED);
    assertThat(records).allMatch(r -> r.sourcePatientId == null || r.age == null || r.gender == null || r.diagnosisDate == null);
    // each of the four required fields goes missing somewhere
    assertThat(records).anyMatch(r -> r.sourcePatientId == null).anyMatch(r -> r.age == null)
        .anyMatch(r -> r.gender == null).anyMatch(r -> r.diagnosisDate == null);
  }

  @Test
  void typeMismatchesAreTextWhereNumbersOrDatesBelong() {
    List<PatientRecord> records = dirty(only(0, 1, 0, 0), 200);
    assertThat(records).allMatch(r -> r.defect == Defect.TYPE_MISMATCH && r.raw.size() == 1);
    assertThat(records).anyMatch(r -> "forty-two".equals(r.raw.get(PatientRecord.AGE)) || "thirty".equals(r.raw.get(PatientRecord.AGE)));
    assertThat(records.stream().flatMap(r -> r.raw.values().stream()))
        .noneMatch(v -> v.matches("-?\\d+(\\.\\d+)?")); // never a parseable number
    assertThat(records.stream().flatMap(r -> r.raw.keySet().stream()).distinct())
        .contains(PatientRecord.AGE, PatientRecord.DIAGNOSIS_DATE, PatientRecord.TEMPERATURE, PatientRecord.HEART_RATE);
  }

  @Test
  void impossibleValuesAreOutsidePhysiology() {
    List<PatientRecord> records = dirty(only(0, 0, 1, 0), 200);
    assertThat(records).allMatch(r -> r.defect == Defect.IMPOSSIBLE_VALUE);
    assertThat(records).allMatch(r -> (r.temperatureC != null && (r.temperatureC > 45 || r.temperatureC < 25))
        || r.age > 130 || (r.heartRate != null && r.heartRate > 300) || (r.spo2 != null && r.spo2 > 100)
        || (r.weightKg != null && r.weightKg < 0));
  }

  @Test
  void ratesAreRespectedOnAverage() {
    List<PatientRecord> records = dirty(only(0.05, 0.05, 0.05, 0.2), 4000);
    for (Defect d : List.of(Defect.MISSING_REQUIRED, Defect.TYPE_MISMATCH, Defect.IMPOSSIBLE_VALUE)) {
      assertThat(records.stream().filter(r -> r.defect == d).count()).as(d.name()).isBetween(140L, 260L);
    }
    assertThat(records.stream().filter(r -> r.symptomVariant).count()).isBetween(650L, 950L);
  }

  @Test
  void symptomVariantsStillNormaliseToTheirCodeExceptTypos() {
    SplittableRandom rng = new SplittableRandom(1);
    int typos = 0;
    for (int i = 0; i < 600; i++) {
      String v = DirtInjector.variant(rng, "skin_rash");
      assertThat(v).isNotEqualTo("skin_rash");
      if (!SymptomNames.code(v).equals("skin_rash")) {
        typos++;
        assertThat(v.length()).isBetween(8, 10); // a swap or a dropped letter, no more
      }
    }
    assertThat(typos).isBetween(50, 180); // one variant kind in six is a typo
  }

  @Test
  void onlyCleanRecordsAreDuplicatedAndBothKindsOccur() {
    DirtyRates rates = new DirtyRates(0, 0.3, 0, 0, 0.1, 0.1, 0);
    DirtInjector dirt = new DirtInjector(rates, 42);
    List<PatientRecord> records = LongStream.range(0, 3000).mapToObj(i -> dirt.apply(SYNTH.synthesize(i))).toList();
    assertThat(records).filteredOn(r -> r.defect != Defect.NONE).allMatch(r -> dirt.duplicateOf(r) == Duplicate.NONE);
    long clean = records.stream().filter(r -> r.defect == Defect.NONE).count();
    long same = records.stream().filter(r -> dirt.duplicateOf(r) == Duplicate.SAME_SOURCE).count();
    long cross = records.stream().filter(r -> dirt.duplicateOf(r) == Duplicate.CROSS_SOURCE).count();
    assertThat(same).isBetween((long) (clean * 0.07), (long) (clean * 0.13));
    assertThat(cross).isBetween((long) (clean * 0.07), (long) (clean * 0.13));
  }

  @Test
  void corruptionTruncatesOrGarbles() {
    DirtInjector dirt = new DirtInjector(new DirtyRates(1, 0, 0, 0, 0, 0, 0), 42);
    byte[] content = "{\"recordId\": \"x\", \"patient\": {\"age\": 42}}".repeat(20).getBytes(StandardCharsets.UTF_8);
    int truncated = 0;
    int garbled = 0;
    for (int i = 0; i < 100; i++) {
      String name = "file-" + i + ".json";
      Corruption c = dirt.corruptionOf(name);
      byte[] bad = dirt.corrupt(name, content, c);
      if (c == Corruption.TRUNCATED) {
        truncated++;
        assertThat(bad.length).isLessThan(content.length);
        assertThat(Arrays.copyOf(content, bad.length)).isEqualTo(bad);
      } else {
        garbled++;
        assertThat(c).isEqualTo(Corruption.GARBLED);
        assertThat(bad[0]).isEqualTo((byte) 0x1f);
        assertThat(bad[1]).isEqualTo((byte) 0x8b);
      }
    }
    assertThat(truncated).isPositive();
    assertThat(garbled).isPositive();
    assertThat(new DirtInjector(new DirtyRates(0, 0, 0, 0, 0, 0, 0), 42).corruptionOf("x.json")).isEqualTo(Corruption.NONE);
  }
}
