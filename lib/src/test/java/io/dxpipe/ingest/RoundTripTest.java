package io.dxpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dxpipe.generate.PatientRecord;
import io.dxpipe.generate.SampleSources;
import io.dxpipe.schema.Bronze;
import io.dxpipe.testing.IngestFixtures;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every source format, as the generator writes it, parsed and validated by ingest with the
 * mappings of reference.conf, gives back the generator's truth in canonical form.
 */
class RoundTripTest {
  private static final IngestSettings SETTINGS = IngestFixtures.ingestSettings();
  private static final RecordValidator.Context CTX =
      new RecordValidator.Context("file:/landing/x/2026-11-25/f", LocalDate.parse("2026-11-25"), "run-1", new Timestamp(0));

  @ParameterizedTest
  @EnumSource(value = SourceFormat.class, names = "HPO_CASES", mode = EnumSource.Mode.EXCLUDE) // generated formats only
  void everyFormatRoundTripsToTheCanonicalRecord(SourceFormat format) throws Exception {
    SourceSettings source = SETTINGS.sources().get(SampleSources.name(format));
    assertThat(source).as("a source block for " + SampleSources.name(format)).isNotNull();
    List<PatientRecord> truth = IngestFixtures.records(60);
    List<Row> rows = new java.util.ArrayList<>();
    RecordValidator validator = new RecordValidator(source, IngestFixtures.TEST_KEY.getBytes(StandardCharsets.UTF_8),
        IngestFixtures.DISEASE_CODES);
    if (format.onePerFile()) {
      for (PatientRecord r : truth) {
        for (RawRecord raw : RecordParser.of(source.format()).parse(IngestFixtures.writer(format).render(List.of(r)), source)) {
          rows.add(ok(validator.validate(raw, CTX)));
        }
      }
    } else {
      for (RawRecord raw : RecordParser.of(source.format()).parse(IngestFixtures.writer(format).render(truth), source)) {
        rows.add(ok(validator.validate(raw, CTX)));
      }
    }
    assertThat(rows).hasSameSizeAs(truth);
    for (int i = 0; i < truth.size(); i++) {
      PatientRecord t = truth.get(i);
      Row b = rows.get(i);
      String what = format + " record " + t.recordId;
      assertThat(b.<String>getAs(Bronze.SOURCE_RECORD_ID)).as(what).isEqualTo(t.recordId);
      assertThat(b.<String>getAs(Bronze.RECORD_KEY)).isEqualTo(SampleSources.name(format) + ":" + t.recordId);
      assertThat(b.<Integer>getAs(Bronze.AGE)).as(what + " age").isBetween(t.age - 1, t.age); // FHIR: from birth date
      assertThat(b.<String>getAs(Bronze.GENDER)).as(what).isEqualTo(t.gender);
      assertThat(b.<java.sql.Date>getAs(Bronze.VISIT_DATE).toLocalDate()).as(what).isEqualTo(t.diagnosisDate);
      assertThat(b.<String>getAs(Bronze.DIAGNOSIS_CODE)).as(what).isEqualTo(t.diseaseCode);
      if (t.temperatureC != null) {
        assertThat(b.<Double>getAs(Bronze.TEMPERATURE_C)).as(what + " temperature").isCloseTo(t.temperatureC, within(0.06));
      }
      if (t.weightKg != null) {
        assertThat(b.<Double>getAs(Bronze.WEIGHT_KG)).as(what + " weight").isCloseTo(t.weightKg, within(0.06));
      }
      if (t.systolic != null) {
        assertThat(b.<Double>getAs(Bronze.SYSTOLIC_BP)).isEqualTo(t.systolic);
        assertThat(b.<Double>getAs(Bronze.DIASTOLIC_BP)).isEqualTo(t.diastolic);
      }
      List<Row> symptoms = b.getList(b.fieldIndex(Bronze.SYMPTOMS));
      assertThat(symptoms).as(what + " symptoms").hasSize(t.symptoms.size());
      for (int s = 0; s < symptoms.size(); s++) {
        assertThat(symptoms.get(s).<Integer>getAs(Bronze.SYMPTOM_SEVERITY)).as(what + " severity")
            .isEqualTo(t.symptoms.get(s).severity());
      }
      Set<String> previous = new HashSet<>(b.getList(b.fieldIndex(Bronze.PREVIOUS_DIAGNOSES)));
      assertThat(previous).as(what + " previous diagnoses").isEqualTo(new HashSet<>(t.previousDiagnoses));
      assertThat(b.<String>getAs(Bronze.PATIENT_KEY)).matches("[0-9a-f]{64}");
      assertThat(b.<String>getAs(Bronze.PERSON_KEY)).matches("[0-9a-f]{64}");
    }
  }

  private static Row ok(RecordValidator.Result result) {
    assertThat(result.reason()).as(result.explanation()).isNull();
    return result.bronze();
  }
}
