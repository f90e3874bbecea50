package io.dxpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.generate.PatientRecord;
import io.dxpipe.generate.SampleSources;
import io.dxpipe.schema.Quarantine.Reason;
import io.dxpipe.testing.IngestFixtures;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind of bad input ends with the right reason, in words a data engineer understands. */
class BadInputTest {
  private static final IngestSettings SETTINGS = IngestFixtures.ingestSettings();
  private static final RecordValidator.Context CTX =
      new RecordValidator.Context("file:/l/s/2026-11-25/f", LocalDate.parse("2026-11-25"), "run", new Timestamp(0));

  private static SourceSettings source(SourceFormat f) {
    return SETTINGS.sources().get(SampleSources.name(f));
  }

  private static PatientRecord record() {
    return IngestFixtures.records(1).get(0).copy();
  }

  private static RecordValidator.Result ingest(SourceFormat format, PatientRecord r) throws Exception {
    SourceSettings s = source(format);
    List<RawRecord> raw = RecordParser.of(s.format()).parse(IngestFixtures.writer(format).render(List.of(r)), s);
    assertThat(raw).hasSize(1);
    return new RecordValidator(s, IngestFixtures.TEST_KEY.getBytes(StandardCharsets.UTF_8), IngestFixtures.DISEASE_CODES)
        .validate(raw.get(0), CTX);
  }

  @Test
  void missingRequiredFieldsAreNamed() throws Exception {
    PatientRecord r = record();
    r.sourcePatientId = null;
    RecordValidator.Result json = ingest(SourceFormat.JSON, r);
    assertThat(json.reason()).isEqualTo(Reason.MISSING_REQUIRED_FIELD);
    assertThat(json.explanation()).isEqualTo("required field patient-id is missing (mapped from /patient/mrn)");
    PatientRecord noGender = record();
    noGender.gender = null;
    RecordValidator.Result csv = ingest(SourceFormat.CSV, noGender);
    assertThat(csv.reason()).isEqualTo(Reason.MISSING_REQUIRED_FIELD);
    assertThat(csv.explanation()).contains("gender").contains("Sex");
    PatientRecord noAge = record();
    noAge.age = null;
    noAge.birthDate = null;
    assertThat(ingest(SourceFormat.FHIR, noAge).explanation()).contains("required field age is missing");
    PatientRecord noDate = record();
    noDate.diagnosisDate = null;
    assertThat(ingest(SourceFormat.REGISTRY_XML, noDate).explanation()).contains("required field visit-date is missing");
  }

  @Test
  void typeMismatchesQuoteTheValue() throws Exception {
    PatientRecord r = record();
    r.raw.put(PatientRecord.AGE, "forty-two");
    RecordValidator.Result json = ingest(SourceFormat.JSONL, r);
    assertThat(json.reason()).isEqualTo(Reason.TYPE_MISMATCH);
    assertThat(json.explanation()).isEqualTo("age 'forty-two' is not a number");
    PatientRecord hot = record();
    hot.raw.put(PatientRecord.TEMPERATURE, "feverish");
    RecordValidator.Result fhir = ingest(SourceFormat.FHIR, hot);
    assertThat(fhir.reason()).isEqualTo(Reason.TYPE_MISMATCH);
    assertThat(fhir.explanation()).contains("'feverish' is not a valid value");
    PatientRecord pulse = record();
    pulse.raw.put(PatientRecord.HEART_RATE, "irregular");
    assertThat(ingest(SourceFormat.CSV, pulse).explanation()).isEqualTo("heart-rate 'irregular' is not a number");
  }

  @Test
  void unparseableDatesNameTheExpectedFormat() throws Exception {
    PatientRecord r = record();
    r.raw.put(PatientRecord.DIAGNOSIS_DATE, "yesterday");
    RecordValidator.Result csv = ingest(SourceFormat.CSV, r);
    assertThat(csv.reason()).isEqualTo(Reason.UNPARSEABLE_DATE);
    assertThat(csv.explanation()).isEqualTo("visit-date 'yesterday' is not a date in the format MM/dd/yyyy");
    PatientRecord impossible = record();
    impossible.raw.put(PatientRecord.DIAGNOSIS_DATE, "2024-13-45");
    assertThat(ingest(SourceFormat.REGISTRY_XML, impossible).reason()).isEqualTo(Reason.UNPARSEABLE_DATE);
  }

  @Test
  void onlyPlainDecimalsAreNumbers() throws Exception {
    // Java's Double.parseDouble takes all of these; none is a measurement
    for (String lenient : List.of("0x1p6", "98.6d", "98.6f", "1e400", "NaN", "Infinity", "-Infinity", "37.", ".5")) {
      PatientRecord json = record();
      json.raw.put(PatientRecord.TEMPERATURE, lenient); // JSON-as-string
      RecordValidator.Result fromJson = ingest(SourceFormat.JSON, json);
      assertThat(fromJson.reason()).as(lenient).isEqualTo(Reason.TYPE_MISMATCH);
      assertThat(fromJson.explanation()).isEqualTo("temperature '" + lenient + "' is not a number");
      PatientRecord csv = record();
      csv.raw.put(PatientRecord.HEART_RATE, lenient);
      assertThat(ingest(SourceFormat.CSV, csv).explanation()).isEqualTo("heart-rate '" + lenient + "' is not a number");
      PatientRecord xml = record();
      xml.raw.put(PatientRecord.AGE, lenient);
      assertThat(ingest(SourceFormat.REGISTRY_XML, xml).explanation()).isEqualTo("age '" + lenient + "' is not a number");
    }
    for (String plain : List.of("37", "+37.5", "3.75e1", "375E-1")) {
      PatientRecord r = record();
      r.raw.put(PatientRecord.TEMPERATURE, plain);
      RecordValidator.Result result = ingest(SourceFormat.JSON, r);
      assertThat(result.reason()).as(plain + ": " + result.explanation()).isNull();
    }
  }

  @Test
  void registryUnitConversionLeavesNonDecimalsForTheTypeCheck() throws Exception {
    SourceSettings xml = source(SourceFormat.REGISTRY_XML);
    String doc = "<registryExport><record id=\"r1\"><patient registryId=\"p1\"><age>40</age><sex>F</sex></patient>"
        + "<visit date=\"2025-01-01\"><vital name=\"temperature\" unit=\"[degF]\">0x1p6</vital></visit>"
        + "</record></registryExport>";
    List<RawRecord> raw = RecordParser.of(xml.format()).parse(doc.getBytes(StandardCharsets.UTF_8), xml);
    RecordValidator.Result result = new RecordValidator(xml, IngestFixtures.TEST_KEY.getBytes(StandardCharsets.UTF_8),
        IngestFixtures.DISEASE_CODES).validate(raw.get(0), CTX);
    assertThat(result.reason()).isEqualTo(Reason.TYPE_MISMATCH);
    assertThat(result.explanation()).isEqualTo("temperature '0x1p6' is not a number");
  }

  @Test
  void daysThatDoNotExistAreUnparseableDates() throws Exception {
    PatientRecord iso = record();
    iso.raw.put(PatientRecord.DIAGNOSIS_DATE, "2025-02-30");
    RecordValidator.Result xml = ingest(SourceFormat.REGISTRY_XML, iso);
    assertThat(xml.reason()).isEqualTo(Reason.UNPARSEABLE_DATE);
    assertThat(xml.explanation()).isEqualTo("visit-date '2025-02-30' is not a date in the format yyyy-MM-dd "
        + "(Invalid date 'FEBRUARY 30')");
    RecordValidator.Result json = ingest(SourceFormat.JSON, iso);
    assertThat(json.reason()).isEqualTo(Reason.UNPARSEABLE_DATE);
    assertThat(json.explanation()).contains("visit-date '2025-02-30'");
    PatientRecord us = record();
    us.raw.put(PatientRecord.DIAGNOSIS_DATE, "02/29/2025"); // 2025 is no leap year
    RecordValidator.Result csv = ingest(SourceFormat.CSV, us);
    assertThat(csv.reason()).isEqualTo(Reason.UNPARSEABLE_DATE);
    assertThat(csv.explanation()).contains("visit-date '02/29/2025' is not a date in the format MM/dd/yyyy");
    PatientRecord leap = record();
    leap.raw.put(PatientRecord.DIAGNOSIS_DATE, "02/29/2024");
    RecordValidator.Result ok = ingest(SourceFormat.CSV, leap);
    assertThat(ok.reason()).as(ok.explanation()).isNull();
    assertThat(ok.bronze().<java.sql.Date>getAs("visit_date").toLocalDate()).isEqualTo(LocalDate.parse("2024-02-29"));
  }

  @Test
  void configuredYearOfEraPatternsBecomeProlepticYearsOutsideQuotes() {
    assertThat(RecordValidator.strictPattern("dd.MM.yyyy")).isEqualTo("dd.MM.uuuu");
    assertThat(RecordValidator.strictPattern("yy-MM-dd 'day of year'")).isEqualTo("uu-MM-dd 'day of year'");
  }

  @Test
  void impossibleButWellTypedValuesPassToBronze() throws Exception {
    PatientRecord r = record();
    r.temperatureC = 60.0;
    r.age = 240;
    RecordValidator.Result result = ingest(SourceFormat.JSON, r);
    assertThat(result.reason()).as(result.explanation()).isNull();
    assertThat(result.bronze().<Double>getAs("temperature_c")).isEqualTo(60.0); // clean flags it, ingest keeps it
  }

  @Test
  void unreadableFilesSayWhy() {
    SourceSettings json = source(SourceFormat.JSON);
    byte[] whole = IngestFixtures.writer(SourceFormat.JSON).render(List.of(record()));
    assertThatThrownBy(() -> RecordParser.of(json.format()).parse(Arrays.copyOf(whole, whole.length / 2), json))
        .hasMessageStartingWith("not valid JSON: Unexpected end-of-input");
    byte[] binary = {0x1f, (byte) 0x8b, 0x08, (byte) 0xff, (byte) 0xfe, 0x00, (byte) 0xc3};
    assertThatThrownBy(() -> RecordParser.of(json.format()).parse(binary, json))
        .hasMessage("not UTF-8 text (binary content, or another encoding)");
    SourceSettings xml = source(SourceFormat.REGISTRY_XML);
    byte[] doc = IngestFixtures.writer(SourceFormat.REGISTRY_XML).render(IngestFixtures.records(3));
    assertThatThrownBy(() -> RecordParser.of(xml.format()).parse(Arrays.copyOf(doc, doc.length - 40), xml))
        .hasMessageStartingWith("not well-formed XML");
    SourceSettings fhir = source(SourceFormat.FHIR);
    assertThatThrownBy(() -> RecordParser.of(fhir.format()).parse("{\"resourceType\":\"Patient\"}".getBytes(), fhir))
        .hasMessage("a FHIR Patient, not a Bundle");
    SourceSettings csv = source(SourceFormat.CSV);
    assertThatThrownBy(() -> RecordParser.of(csv.format()).parse("a,b\n1,2\n".getBytes(), csv))
        .hasMessageContaining("header lacks the mapped column(s) [").hasMessageContaining("VisitID");
  }

  @Test
  void brokenRecordsInsideReadableFilesAreMalformed() throws Exception {
    SourceSettings jsonl = source(SourceFormat.JSONL);
    byte[] lines = IngestFixtures.writer(SourceFormat.JSONL).render(IngestFixtures.records(3));
    String text = new String(lines, StandardCharsets.UTF_8);
    List<RawRecord> raw = RecordParser.of(jsonl.format()).parse(text.substring(0, text.length() - 30).getBytes(), jsonl);
    assertThat(raw).hasSize(3);
    assertThat(raw.get(2).malformed).startsWith("line 3 is not valid JSON");
    assertThat(raw.get(0).malformed).isNull();
    SourceSettings csv = source(SourceFormat.CSV);
    String table = new String(IngestFixtures.writer(SourceFormat.CSV).render(IngestFixtures.records(2)), StandardCharsets.UTF_8);
    List<RawRecord> rows = RecordParser.of(csv.format()).parse(table.substring(0, table.length() - 120).getBytes(), csv);
    assertThat(rows.get(rows.size() - 1).malformed).contains("columns, the header has 25");
    RecordValidator.Result result = new RecordValidator(csv, IngestFixtures.TEST_KEY.getBytes(), IngestFixtures.DISEASE_CODES)
        .validate(rows.get(rows.size() - 1), CTX);
    assertThat(result.reason()).isEqualTo(Reason.MALFORMED_RECORD);
  }
}
