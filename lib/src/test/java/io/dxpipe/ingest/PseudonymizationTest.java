package io.dxpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.config.ConfigurationException;
import io.dxpipe.config.Environment;
import io.dxpipe.generate.PatientRecord;
import io.dxpipe.generate.SampleSources;
import io.dxpipe.testing.IngestFixtures;
import io.dxpipe.testing.TestSettings;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class PseudonymizationTest {
  private static final IngestSettings SETTINGS = IngestFixtures.ingestSettings();
  private static final RecordValidator.Context CTX =
      new RecordValidator.Context("file:/l/s/2026-11-25/f", LocalDate.parse("2026-11-25"), "run", new Timestamp(0));

  private static List<Row> bronze(SourceFormat format, List<PatientRecord> records, String key) throws Exception {
    SourceSettings s = SETTINGS.sources().get(SampleSources.name(format));
    RecordValidator v = new RecordValidator(s, key.getBytes(StandardCharsets.UTF_8), IngestFixtures.DISEASE_CODES);
    List<Row> rows = new ArrayList<>();
    List<List<PatientRecord>> files = format.onePerFile() ? records.stream().map(List::of).toList() : List.of(records);
    for (List<PatientRecord> file : files) {
      for (RawRecord raw : RecordParser.of(s.format()).parse(IngestFixtures.writer(format).render(file), s)) {
        rows.add(v.validate(raw, CTX).bronze());
      }
    }
    return rows;
  }

  @Test
  void noDirectIdentifierReachesBronze() throws Exception {
    List<PatientRecord> records = IngestFixtures.records(200);
    for (SourceFormat format : SourceFormat.generated()) {
      List<Row> rows = bronze(format, records, IngestFixtures.TEST_KEY);
      assertThat(rows).hasSize(records.size());
      for (int i = 0; i < rows.size(); i++) {
        PatientRecord t = records.get(i);
        String row = rows.get(i).toString();
        String what = format + " " + t.recordId;
        assertThat(row).as(what).doesNotContain(t.nationalId).doesNotContain(t.street)
            .doesNotContain(t.sourcePatientId).doesNotContainIgnoringCase(t.lastName + ",")
            .doesNotContain(t.postalCode);
        assertThat(row.toLowerCase()).as(what).doesNotContainPattern("\\b" + t.firstName.toLowerCase() + "\\b")
            .doesNotContainPattern("\\b" + t.lastName.toLowerCase().replace("'", "\\'") + "\\b");
      }
    }
  }

  @Test
  void notesKeepTheirClinicalContentWithIdentifiersReplaced() throws Exception {
    PatientRecord r = IngestFixtures.records(1).get(0).copy();
    r.note = "Pt " + r.firstName + " " + r.lastName + " (SSN " + r.nationalId + ", tel 555-706-7630) lives at " + r.street
        + "; complains of cough.";
    String note = bronze(SourceFormat.JSON, List.of(r), IngestFixtures.TEST_KEY).get(0).getAs("note");
    assertThat(note).isEqualTo("Pt [NAME] [NAME] (SSN [ID], tel [PHONE]) lives at [ADDRESS]; complains of cough.");
  }

  @Test
  void patientKeysAreStableKeyedAndSharedByOneSystem() throws Exception {
    List<PatientRecord> records = IngestFixtures.records(20);
    List<Row> a = bronze(SourceFormat.JSON, records, IngestFixtures.TEST_KEY);
    List<Row> b = bronze(SourceFormat.JSONL, records, IngestFixtures.TEST_KEY); // the same EHR's batch feed
    List<Row> other = bronze(SourceFormat.JSON, records, IngestFixtures.TEST_KEY + "-other");
    for (int i = 0; i < records.size(); i++) {
      assertThat(b.get(i).<String>getAs("patient_key")).isEqualTo(a.get(i).getAs("patient_key"));
      assertThat(other.get(i).<String>getAs("patient_key")).isNotEqualTo(a.get(i).getAs("patient_key"));
    }
    assertThat(a.stream().map(r -> r.<String>getAs("patient_key")).distinct().count()).isEqualTo(records.size());
    // the national id links one person across sources
    List<Row> csv = bronze(SourceFormat.CSV, records, IngestFixtures.TEST_KEY);
    assertThat(csv.get(3).<String>getAs("person_key")).isEqualTo(a.get(3).getAs("person_key"));
    assertThat(csv.get(3).<String>getAs("patient_key")).isNotEqualTo(a.get(3).getAs("patient_key"));
  }

  @Test
  void outsideLocalModeTheKeyIsRequired() {
    var config = TestSettings.load().config().dxpipe();
    assertThatThrownBy(() -> IngestSettings.from(config, Environment.DATABRICKS))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dxpipe.ingest.patient-key is not set")
        .hasMessageContaining("DXPIPE_PATIENT_KEY");
    IngestSettings local = IngestSettings.from(config, Environment.LOCAL);
    assertThat(local.developmentKey()).isTrue();
    var withKey = TestSettings.load("ingest.patient-key=" + IngestFixtures.TEST_KEY).config().dxpipe();
    assertThat(IngestSettings.from(withKey, Environment.DATABRICKS).developmentKey()).isFalse();
    var shortKey = TestSettings.load("ingest.patient-key=secret").config().dxpipe();
    assertThatThrownBy(() -> IngestSettings.from(shortKey, Environment.DATABRICKS)).hasMessageContaining("too short");
  }
}
