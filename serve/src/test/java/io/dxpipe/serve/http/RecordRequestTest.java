package io.dxpipe.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.serve.http.RecordRequest.Parsed;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordRequestTest {
  private final RecordRequest parser = new RecordRequest(10);

  private static Map<String, Object> symptom(String name, Integer severity) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("severity", severity);
    return m;
  }

  /** The record most tests below give in their own form. */
  private static Map<String, Object> expected() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("patient_id", "MRN-0042");
    r.put("age", 34);
    r.put("gender", "female");
    r.put("ethnicity", "Hispanic");
    r.put("marital_status", "married");
    r.put("education", "tertiary");
    r.put("visit_date", LocalDate.of(2026, 3, 1));
    r.put("symptom_onset_date", LocalDate.of(2026, 2, 26));
    r.put("symptom_duration_days", 3);
    r.put("symptoms", List.of(symptom("fever", null), symptom("cough", 2), symptom("fatigue", 3)));
    r.put("previous_diagnoses", List.of("J45", "Diabetes mellitus, type 2"));
    r.put("temperature_c", 38.5);
    r.put("heart_rate", 92.0);
    r.put("systolic_bp", 120.0);
    r.put("diastolic_bp", 80.0);
    r.put("respiratory_rate", 18.0);
    r.put("spo2", 97.0);
    r.put("weight_kg", 61.5);
    return r;
  }

  private static Parsed ok(Parsed p) {
    assertThat(p.errors()).as("errors").isEmpty();
    assertThat(p.ok()).isTrue();
    return p;
  }

  @Test
  void oneRecordWithNestedVitalsAndEverySymptomForm() {
    Parsed p = ok(parser.predict("""
        {"patient_id": "MRN-0042", "age": 34, "gender": "female", "ethnicity": "Hispanic",
         "marital_status": "married", "education": "tertiary",
         "visit_date": "2026-03-01", "symptom_onset_date": "2026-02-26", "symptom_duration_days": 3,
         "symptoms": ["fever", {"name": "cough", "severity": 2}, {"name": "fatigue", "severity": "Severe"}],
         "previous_diagnoses": ["J45", "Diabetes mellitus, type 2"],
         "vital_signs": {"temperature_c": 38.5, "heart_rate": 92, "systolic_bp": 120, "diastolic_bp": 80,
                         "respiratory_rate": 18, "spo2": 97, "weight_kg": 61.5}}
        """));
    assertThat(p.records()).containsExactly(expected());
    assertThat(p.topK()).isNull();
    Map<String, Object> r = p.records().get(0);
    assertThat(r.get("age")).isInstanceOf(Integer.class);
    assertThat(r.get("heart_rate")).isInstanceOf(Double.class);
    assertThat(r.get("visit_date")).isInstanceOf(LocalDate.class);
    assertThat(((List<?>) r.get("symptoms")).get(1)).isEqualTo(Map.of("name", "cough", "severity", 2));
  }

  @Test
  void flatVitalsAndABatchWithTopK() {
    Parsed p = ok(parser.predict("""
        {"top_k": 5, "records": [
          {"age": 34, "gender": "female", "ethnicity": "Hispanic", "marital_status": "married",
           "education": "tertiary", "patient_id": "MRN-0042",
           "visit_date": "2026-03-01", "symptom_onset_date": "2026-02-26", "symptom_duration_days": 3,
           "symptoms": ["fever", {"name": "cough", "severity": "moderate"}, {"name": "fatigue", "severity": 3}],
           "previous_diagnoses": ["J45", "Diabetes mellitus, type 2"],
           "temperature_c": 38.5, "heart_rate": 92.0, "systolic_bp": 120, "diastolic_bp": 80,
           "respiratory_rate": 18, "spo2": 97, "weight_kg": 61.5},
          {"symptoms": [{"name": "headache", "severity": null}], "age": -3, "temperature_c": 60}
        ]}
        """));
    assertThat(p.topK()).isEqualTo(5);
    Map<String, Object> second = new LinkedHashMap<>();
    second.put("age", -3); // well-typed but impossible: the clean rules judge it, as on the batch path
    second.put("symptoms", List.of(symptom("headache", null)));
    second.put("previous_diagnoses", List.of());
    second.put("temperature_c", 60.0);
    assertThat(p.records()).containsExactly(expected(), second);
  }

  @Test
  void absentOptionalFieldsAreAbsentAndTheListsAlwaysThere() {
    Parsed p = ok(parser.predict("{\"age\": 50, \"gender\": \"  \", \"heart_rate\": null, \"symptoms\": null, \"top_k\": 3}"));
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("age", 50);
    r.put("symptoms", List.of());
    r.put("previous_diagnoses", List.of());
    assertThat(p.records()).containsExactly(r);
    assertThat(p.topK()).as("a single record may carry top_k").isEqualTo(3);
    assertThat(ok(parser.predict("{\"age\": 34.0}")).records().get(0).get("age")).isEqualTo(34);
  }

  @Test
  void dateTimesGiveTheirDate() {
    Parsed p = ok(parser.predict("{\"visit_date\": \"2026-03-01T09:30:00+01:00\", \"symptom_onset_date\": \"2026-02-27 00:00:00\"}"));
    assertThat(p.records().get(0)).containsEntry("visit_date", LocalDate.of(2026, 3, 1))
        .containsEntry("symptom_onset_date", LocalDate.of(2026, 2, 27));
  }

  private static final String COLUMNS = "[\"patient_id\", \"age\", \"gender\", \"ethnicity\", \"marital_status\","
      + " \"education\", \"visit_date\", \"symptom_onset_date\", \"symptom_duration_days\", \"symptoms\","
      + " \"previous_diagnoses\", \"temperature_c\", \"heart_rate\", \"systolic_bp\", \"diastolic_bp\","
      + " \"respiratory_rate\", \"spo2\", \"weight_kg\"]";
  private static final String ROW = "[\"MRN-0042\", 34, \"female\", \"Hispanic\", \"married\", \"tertiary\","
      + " \"2026-03-01\", \"2026-02-26\", 3, \"fever; cough:2, fatigue:severe\", \"J45;Diabetes mellitus, type 2\","
      + " 38.5, 92, 120, 80, 18, 97, 61.5]";
  private static final String RECORD = "{\"patient_id\": \"MRN-0042\", \"age\": 34, \"gender\": \"female\","
      + " \"ethnicity\": \"Hispanic\", \"marital_status\": \"married\", \"education\": \"tertiary\","
      + " \"visit_date\": \"2026-03-01\", \"symptom_onset_date\": \"2026-02-26\", \"symptom_duration_days\": 3,"
      + " \"symptoms\": \"fever;cough:2;fatigue:3\", \"previous_diagnoses\": [\"J45\", \"Diabetes mellitus, type 2\"],"
      + " \"temperature_c\": 38.5, \"heart_rate\": 92, \"systolic_bp\": 120, \"diastolic_bp\": 80,"
      + " \"respiratory_rate\": 18, \"spo2\": 97, \"weight_kg\": 61.5}";

  @Test
  void mlflowDataframeSplitAndRecordsGiveTheSameRecords() {
    Parsed split = ok(parser.invocations("{\"dataframe_split\": {\"index\": [0, 1], \"columns\": " + COLUMNS
        + ", \"data\": [" + ROW + ", " + ROW + "]}}"));
    Parsed records = ok(parser.invocations("{\"dataframe_records\": [" + RECORD + ", " + RECORD + "]}"));
    assertThat(split.records()).containsExactly(expected(), expected());
    assertThat(records.records()).isEqualTo(split.records());
    assertThat(split.topK()).isNull();
  }

  @Test
  void databricksFormsAndTopLevelArrays() {
    List<Map<String, Object>> two = List.of(expected(), expected());
    assertThat(ok(parser.invocations("{\"instances\": [" + RECORD + ", " + RECORD + "]}")).records()).isEqualTo(two);
    assertThat(ok(parser.invocations("{\"inputs\": [" + RECORD + ", " + RECORD + "]}")).records()).isEqualTo(two);
    assertThat(ok(parser.invocations("{\"inputs\": {\"columns\": " + COLUMNS + ", \"data\": [" + ROW + ", " + ROW + "]}}"))
        .records()).isEqualTo(two);
    assertThat(ok(parser.invocations("[" + RECORD + ", " + RECORD + "]")).records()).isEqualTo(two);
    Parsed columnar = ok(parser.invocations("{\"inputs\": {\"age\": [34, 50], \"symptoms\": [\"fever\", [\"cough\"]]},"
        + " \"params\": {\"top_k\": 2}}"));
    assertThat(columnar.topK()).isEqualTo(2);
    assertThat(columnar.records()).extracting(r -> r.get("age")).containsExactly(34, 50);
    assertThat(columnar.records()).extracting(r -> r.get("symptoms"))
        .containsExactly(List.of(symptom("fever", null)), List.of(symptom("cough", null)));
  }

  @Test
  void queryParametersAreOneRecord() {
    Map<String, List<String>> q = new LinkedHashMap<>();
    q.put("patient_id", List.of("MRN-0042"));
    q.put("age", List.of("34"));
    q.put("gender", List.of("female"));
    q.put("ethnicity", List.of("Hispanic"));
    q.put("marital_status", List.of("married"));
    q.put("education", List.of("tertiary"));
    q.put("visit_date", List.of("2026-03-01"));
    q.put("symptom_onset_date", List.of("2026-02-26"));
    q.put("symptom_duration_days", List.of("3"));
    q.put("symptoms", List.of("fever,cough:2", "fatigue:severe")); // a repeated list parameter adds up
    q.put("previous_diagnoses", List.of("J45;Diabetes mellitus, type 2"));
    q.put("temperature_c", List.of("38.5"));
    q.put("heart_rate", List.of("92"));
    q.put("systolic_bp", List.of("120"));
    q.put("diastolic_bp", List.of("80"));
    q.put("respiratory_rate", List.of("18"));
    q.put("spo2", List.of("97"));
    q.put("weight_kg", List.of("61.5"));
    q.put("top_k", List.of("3"));
    q.put("education", List.of("tertiary"));
    Parsed p = ok(parser.query(q));
    assertThat(p.records()).containsExactly(expected());
    assertThat(p.topK()).isEqualTo(3);
    assertThat(ok(parser.query(Map.of("symptoms", List.of("fever"), "age", List.of("")))).records().get(0))
        .doesNotContainKey("age");
    Map<String, List<String>> odd = new java.util.HashMap<>();
    odd.put(null, List.of("x"));
    odd.put("gender", null);
    odd.put("symptoms", java.util.Arrays.asList("fever", null));
    assertThat(ok(parser.query(odd)).records().get(0)).isEqualTo(Map.of("symptoms", List.of(symptom("fever", null)),
        "previous_diagnoses", List.of()));
  }

  @Test
  void anHpoIdIsASymptomNameInEveryFormItsColonIsNoSeverity() {
    List<Object> want = List.of(symptom("HP:0001945", null), symptom("HP:0012735", 2), symptom("cough", null));
    assertThat(ok(parser.predict("{\"symptoms\": [\"HP:0001945\", {\"name\": \"HP:0012735\", \"severity\": 2},"
        + " \"cough\"]}")).records().get(0).get("symptoms")).isEqualTo(want);
    assertThat(ok(parser.query(Map.of("symptoms", List.of("HP:0001945; HP:0012735:2,cough")))).records().get(0)
        .get("symptoms")).isEqualTo(want);
    assertThat(ok(parser.invocations("{\"dataframe_split\": {\"columns\": [\"symptoms\"],"
        + " \"data\": [[\"HP:0001945;HP:0012735:moderate;cough\"]]}}")).records().get(0).get("symptoms"))
        .isEqualTo(want);
  }

  @Test
  void queryErrorsNameTheParameter() {
    Map<String, List<String>> q = new LinkedHashMap<>();
    q.put("age", List.of("thirty"));
    q.put("temprature_c", List.of("38"));
    q.put("gender", List.of("female", "male"));
    q.put("spo2", List.of("NaN"));
    q.put("symptoms", List.of("fever:7"));
    Parsed p = parser.query(q);
    assertThat(p.records()).isEmpty();
    assertThat(p.errors()).containsExactlyInAnyOrder(
        new FieldError("age", "must be a whole number"),
        new FieldError("temprature_c", "unknown field 'temprature_c' (did you mean temperature_c?)"),
        new FieldError("gender", "given more than once"),
        new FieldError("spo2", "must be a number"),
        new FieldError("symptoms[0].severity", "must be 1-3 or mild, moderate, severe"));
  }

  @Test
  void everyBadFieldOfEveryRecordIsReported() {
    Parsed p = parser.predict("""
        {"records": [
          {"age": "34", "symptoms": [{"name": "fever", "severity": 7}], "temprature_c": 38},
          {"age": 34},
          {"visit_date": "2026-02-30", "vital_signs": {"heart_rate": "fast", "pulse": 80}}
        ]}
        """);
    assertThat(p.ok()).isFalse();
    assertThat(p.records()).as("no records when any is wrong").isEmpty();
    assertThat(p.errors()).containsExactly(
        new FieldError("records[0].age", "must be a whole number"),
        new FieldError("records[0].symptoms[0].severity", "must be 1-3 or mild, moderate, severe"),
        new FieldError("records[0].temprature_c", "unknown field 'temprature_c' (did you mean temperature_c?)"),
        new FieldError("records[2].visit_date", "is not a calendar date (yyyy-mm-dd)"),
        new FieldError("records[2].vital_signs.heart_rate", "must be a number"),
        new FieldError("records[2].vital_signs.pulse", "unknown field 'pulse'"));
  }

  @Test
  void unknownNamesGetTheNearestKnownOneAndOddNamesAreNotRepeated() {
    assertThat(parser.predict("{\"recods\": [{\"age\": 1}]}").errors())
        .containsExactly(new FieldError("recods", "unknown field 'recods' (did you mean records?)"));
    assertThat(parser.predict("{\"records\": [{\"Age\": 1, \"symptom\": [], \"diagnoses\": []}]}").errors())
        .containsExactly(new FieldError("records[0].Age", "unknown field 'Age' (did you mean age?)"),
            new FieldError("records[0].symptom", "unknown field 'symptom' (did you mean symptoms?)"),
            new FieldError("records[0].diagnoses", "unknown field 'diagnoses' (did you mean previous_diagnoses?)"));
    assertThat(parser.predict("{\"Jane Doe, born 1970-01-01\": 1}").errors())
        .containsExactly(new FieldError("?", "unknown field (its name is not shown: not a field name)"));
    assertThat(parser.invocations("{\"dataframe_split\": {\"columns\": [\"age\"], \"data\": [[1]], \"index\": 0},"
        + " \"params\": {\"top_k\": 21}}").errors())
        .containsExactly(new FieldError("params.top_k", "must be from 1 to 20"),
            new FieldError("dataframe_split.index", "must be a list"));
    assertThat(parser.invocations("{\"inputs\": {\"columns\": [\"age\", \"age\"], \"data\": [[1, 2]]}}").errors())
        .containsExactly(new FieldError("inputs.columns[1]", "names column age a second time"));
  }

  @Test
  void errorsAreCappedWithACount() {
    StringBuilder b = new StringBuilder("{\"records\": [");
    RecordRequest big = new RecordRequest(1000);
    for (int i = 0; i < 150; i++) {
      b.append(i == 0 ? "" : ",").append("{\"age\": \"x\"}");
    }
    Parsed p = big.predict(b.append("]}").toString());
    assertThat(p.errors()).hasSize(RecordRequest.MAX_ERRORS + 1);
    assertThat(p.errors().get(RecordRequest.MAX_ERRORS)).isEqualTo(new FieldError("(body)", "50 more problems, not listed"));
  }

  @Test
  void recordsAreFreshMutableMaps() {
    Parsed p = ok(parser.predict("{\"patient_id\": \"MRN-1\", \"symptoms\": [\"fever\"]}"));
    Map<String, Object> r = p.records().get(0);
    r.remove("patient_id"); // the caller replaces it by its pseudonym
    r.put("patient_key", "k");
    assertThat(r).containsKey("patient_key").doesNotContainKey("patient_id");
    List<Map<String, Object>> copy = new ArrayList<>(p.records());
    assertThat(copy).hasSize(1);
  }

  @Test
  void contentTypes() {
    assertThat(RecordRequest.contentType("application/json")).isNull();
    assertThat(RecordRequest.contentType("Application/JSON; charset=UTF-8")).isNull();
    assertThat(RecordRequest.contentType("application/json;charset=\"utf-8\"")).isNull();
    assertThat(RecordRequest.contentType(null)).isEqualTo(new FieldError("Content-Type", "missing: send Content-Type: application/json"));
    assertThat(RecordRequest.contentType("text/plain")).isEqualTo(new FieldError("Content-Type", "must be application/json"));
    assertThat(RecordRequest.contentType("application/x-www-form-urlencoded").field()).isEqualTo("Content-Type");
    assertThat(RecordRequest.contentType("application/json; charset=latin1")).isNotNull();
    assertThat(RecordRequest.contentType("application/jsonp")).isNotNull();
  }
}
