package io.dxpipe.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.serve.http.RecordRequest.Parsed;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of malformed bodies in {@code src/test/resources/malformed-bodies}: each file is a body
 * for the endpoint its name starts with ({@code predict-} for {@code POST /v1/predict},
 * {@code invocations-} for {@code POST /invocations}), and its expectation below names exactly the
 * fields the errors must name, in order, and the values from the body that no reason may repeat.
 * The server's tests can post the same files and expect a 400 naming the same fields.
 */
class MalformedBodiesTest {
  /** The batch limit the corpus is written for ({@code predict-batch-over-limit} has 11 records). */
  static final int MAX_RECORDS = 10;

  record Expected(List<String> fields, List<String> secrets) {}

  private static Expected fields(String... fields) {
    return new Expected(List.of(fields), List.of());
  }

  private static Expected e(List<String> fields, String... secrets) {
    return new Expected(fields, List.of(secrets));
  }

  private static final String NESTED_15 = "symptoms" + "[0]".repeat(15);

  static final Map<String, Expected> EXPECTED = Map.ofEntries(
      Map.entry("predict-truncated", e(List.of("(body)"), "fev")),
      Map.entry("predict-trailing-garbage", e(List.of("(body)"), "xyzsecret")),
      Map.entry("predict-empty", fields("(body)")),
      Map.entry("predict-whitespace", fields("(body)")),
      Map.entry("predict-null", fields("(body)")),
      Map.entry("predict-array-body", fields("(body)")),
      Map.entry("predict-string-body", e(List.of("(body)"), "Jane")),
      Map.entry("predict-age-string", e(List.of("age"), "thirty")),
      Map.entry("predict-age-fraction", e(List.of("age"), "34.5")),
      Map.entry("predict-age-out-of-int-range", e(List.of("age"), "3000000000")),
      Map.entry("predict-temperature-1e400", e(List.of("temperature_c"), "1e400", "Infinity")),
      Map.entry("predict-nan-infinity", e(List.of("heart_rate", "spo2", "weight_kg"), "NaN", "Infinity")),
      Map.entry("predict-patient-id-number", e(List.of("patient_id"), "987654321")),
      Map.entry("predict-gender-object", e(List.of("gender"), "female", "value")),
      Map.entry("predict-inputs-not-object", e(List.of("inputs"), "elevated")),
      Map.entry("predict-inputs-bad-values", e(List.of("inputs.smoking", "inputs.chol", "inputs.?", "inputs.ldl"),
          "Bad Name", "NaN")),
      Map.entry("predict-date-feb-30", e(List.of("visit_date"), "2026-02-30", "02-30", "FEBRUARY")),
      Map.entry("predict-date-yesterday", e(List.of("symptom_onset_date"), "yesterday")),
      Map.entry("predict-date-number", e(List.of("visit_date"), "20260301")),
      Map.entry("predict-unknown-field", e(List.of("temprature_c"), "38.2")),
      Map.entry("predict-unknown-vital", e(List.of("vital_signs.pulse_rate"), "80")),
      Map.entry("predict-unknown-symptom-key", e(List.of("symptoms[0].sevrity"), "fever")),
      Map.entry("predict-duplicate-key", e(List.of("age"), "43")),
      Map.entry("predict-duplicate-nested-key", e(List.of("records[0].symptoms[0].name"), "fever", "cough")),
      Map.entry("predict-records-not-list", fields("records")),
      Map.entry("predict-record-not-object", e(List.of("records[1]", "records[2]"), "Jane")),
      Map.entry("predict-records-empty", fields("records")),
      Map.entry("predict-top-k-zero", fields("top_k")),
      Map.entry("predict-top-k-1000", e(List.of("top_k"), "1000")),
      Map.entry("predict-top-k-string", fields("top_k")),
      Map.entry("predict-batch-over-limit", fields("records")),
      Map.entry("predict-severity-7", fields("symptoms[0].severity")),
      Map.entry("predict-severity-very", e(List.of("symptoms[0].severity"), "very", "fever")),
      Map.entry("predict-symptom-blank", fields("symptoms[0]", "symptoms[1].name")),
      Map.entry("predict-symptom-without-name", fields("symptoms[0].name")),
      Map.entry("predict-symptoms-string", e(List.of("symptoms"), "fever", "cough")),
      Map.entry("predict-symptom-number", e(List.of("symptoms[0]"), "42")),
      Map.entry("predict-string-201-chars", e(List.of("ethnicity"), "QQQQ")),
      Map.entry("predict-symptoms-101", e(List.of("symptoms"), "s100")),
      Map.entry("predict-nested-arrays", fields(NESTED_15, "symptoms[0]")),
      Map.entry("predict-nested-5000", fields("age" + "[0]".repeat(15), "(body)")),
      Map.entry("predict-vital-signs-not-object", e(List.of("vital_signs"), "36.6")),
      Map.entry("predict-vital-twice", e(List.of("vital_signs.heart_rate"), "81")),
      Map.entry("predict-boolean-number", e(List.of("spo2"), "true")),
      Map.entry("predict-batch-unknown-key", e(List.of("model"), "champion")),
      Map.entry("predict-control-character", e(List.of("(body)"), "fe")),
      Map.entry("predict-single-quotes", fields("(body)")),
      Map.entry("predict-trailing-comma", fields("(body)")),
      Map.entry("predict-diagnoses-string", e(List.of("previous_diagnoses"), "J45")),
      Map.entry("predict-diagnosis-number", e(List.of("previous_diagnoses[0]"), "493")),
      Map.entry("predict-duration-big-integer", e(List.of("symptom_duration_days"), "99999999999999999999999")),
      Map.entry("predict-invalid-utf8", fields("(body)")),
      Map.entry("invocations-split-wrong-width", fields("dataframe_split.data[0]", "dataframe_split.data[1]")),
      Map.entry("invocations-split-columns-not-strings", fields("dataframe_split.columns[0]")),
      Map.entry("invocations-split-unknown-column", e(List.of("dataframe_split.columns[1]"), "female")),
      Map.entry("invocations-split-without-data", fields("dataframe_split.data")),
      Map.entry("invocations-split-cell-types", e(List.of("dataframe_split.data[0].age", "dataframe_split.data[0].symptoms"), "old")),
      Map.entry("invocations-no-form", fields("data", "(body)")),
      Map.entry("invocations-two-forms", fields("(body)")),
      Map.entry("invocations-records-not-list", fields("dataframe_records")),
      Map.entry("invocations-symptom-string-severity", e(List.of("dataframe_records[0].symptoms[0].severity",
          "dataframe_records[0].symptoms[1].name"), "very", "fever")),
      Map.entry("invocations-params-unknown", fields("params.topk")),
      Map.entry("invocations-inputs-column-lengths", e(List.of("inputs.gender"), "female")),
      Map.entry("invocations-number-body", e(List.of("(body)"), "42")));

  static Path corpus() throws URISyntaxException {
    return Path.of(MalformedBodiesTest.class.getResource("/malformed-bodies").toURI());
  }

  static Stream<String> bodies() throws IOException, URISyntaxException {
    try (Stream<Path> files = Files.list(corpus())) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json"))
          .map(n -> n.substring(0, n.length() - ".json".length())).sorted().toList().stream();
    }
  }

  @Test
  void theCorpusHasAtLeastThirtyBodiesEachWithItsExpectation() throws Exception {
    TreeSet<String> names = new TreeSet<>(bodies().toList());
    assertThat(names).hasSizeGreaterThanOrEqualTo(30);
    assertThat(names).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  void eachBodyNamesExactlyItsBadFieldsWithoutEchoingValues(String name) throws Exception {
    byte[] body = Files.readAllBytes(corpus().resolve(name + ".json"));
    RecordRequest parser = new RecordRequest(MAX_RECORDS);
    Parsed p = name.startsWith("invocations-") ? parser.invocations(body) : parser.predict(body);
    Expected expected = EXPECTED.get(name);

    assertThat(p.ok()).isFalse();
    assertThat(p.records()).isEmpty();
    assertThat(p.errors()).extracting(FieldError::field).as("fields of %s: %s", name, p.errors())
        .containsExactlyElementsOf(expected.fields());
    for (FieldError e : p.errors()) {
      for (String secret : expected.secrets()) {
        assertThat(e.reason()).as("reason of %s", e.field()).doesNotContain(secret);
      }
      assertThat(e.reason()).doesNotContain("Exception", "com.fasterxml", "\tat ").hasSizeLessThan(300);
    }
  }
}
