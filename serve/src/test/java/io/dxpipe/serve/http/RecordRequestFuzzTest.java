package io.dxpipe.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dxpipe.serve.http.RecordRequest.Parsed;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random bodies never make the reader throw: each gives records of the canonical types, or at least
 * one error, and no reason repeats a string value of the body. Random text tests the JSON reading;
 * random JSON trees over the real field names (and others) test the record checks, where the
 * interesting failures are.
 */
class RecordRequestFuzzTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final com.fasterxml.jackson.databind.ObjectMapper READER = new com.fasterxml.jackson.databind.ObjectMapper();
  /** Every string value generated starts with this; no reason may contain it (field names never do: lower case). */
  private static final String MARK = "Vx";
  private static final Set<String> STRINGS = Set.of("patient_id", "gender", "ethnicity", "marital_status", "education");
  private static final Set<String> INTEGERS = Set.of("age", "symptom_duration_days");
  private static final Set<String> DATES = Set.of("visit_date", "symptom_onset_date");
  private static final Set<String> VITALS = Set.of("temperature_c", "heart_rate", "systolic_bp", "diastolic_bp",
      "respiratory_rate", "spo2", "weight_kg");
  private static final List<String> NAMES = List.of("records", "top_k", "dataframe_split", "dataframe_records",
      "instances", "inputs", "params", "columns", "data", "index", "vital_signs", "name", "severity", "symptoms",
      "previous_diagnoses", "age", "gender", "ethnicity", "marital_status", "education", "patient_id", "visit_date",
      "symptom_onset_date", "symptom_duration_days", "temperature_c", "heart_rate", "systolic_bp", "diastolic_bp",
      "respiratory_rate", "spo2", "weight_kg");

  private final RecordRequest parser = new RecordRequest(5);

  @Property(tries = 1000)
  void randomTextNeverThrows(@ForAll("jsonishText") String body) {
    check(parser.predict(body), Set.of());
    check(parser.invocations(body), Set.of());
  }

  @Property(tries = 300)
  void randomBytesNeverThrow(@ForAll byte[] body) {
    check(parser.predict(body), Set.of());
    check(parser.invocations(body), Set.of());
  }

  @Property(tries = 1000)
  void randomJsonTreesNeverThrowAndGiveCanonicalRecordsOrErrors(@ForAll("trees") JsonNode tree) {
    byte[] body = tree.toString().getBytes(StandardCharsets.UTF_8);
    check(parser.predict(body), Set.of(MARK));
    check(parser.invocations(body), Set.of(MARK));
  }

  @Property(tries = 500)
  void randomRecordsOverTheRealFieldsGiveCanonicalRecordsOrErrors(@ForAll("records") JsonNode record) {
    check(parser.predict(record.toString()), Set.of(MARK));
    // top_k is allowed beside a single record's fields but not in a batch's records: compare without it
    ObjectNode plain = ((ObjectNode) record).deepCopy();
    plain.remove("top_k");
    ObjectNode batch = NODES.objectNode();
    batch.putArray("records").add(plain).add(plain);
    Parsed single = parser.predict(plain.toString());
    Parsed both = parser.predict(batch.toString());
    check(single, Set.of(MARK));
    check(both, Set.of(MARK));
    // both outcomes must occur, or the property checks only one of them
    Statistics.collect(single.ok() ? "valid" : "invalid");
    Statistics.coverage(c -> {
      c.check("valid").percentage(pct -> pct > 5);
      c.check("invalid").percentage(pct -> pct > 5);
    });
    assertThat(both.ok()).as("a batch of a record twice is valid exactly when the record is").isEqualTo(single.ok());
    if (single.ok()) {
      assertThat(single.records()).hasSize(1);
      assertThat(both.records()).containsExactly(single.records().get(0), single.records().get(0));
    }
    ObjectNode records = NODES.objectNode();
    records.putArray("dataframe_records").add(record);
    check(parser.invocations(records.toString()), Set.of(MARK));
  }

  @Property(tries = 500)
  void randomQueryParametersNeverThrow(@ForAll("queries") Map<String, List<String>> query) {
    Parsed p = parser.query(query);
    check(p, Set.of(MARK));
    if (p.ok()) {
      assertThat(p.records()).hasSize(1);
    }
  }

  /** The result's contract: records of canonical types or at least one error; reasons without the marked values. */
  private static void check(Parsed p, Set<String> forbidden) {
    if (p.ok()) {
      assertThat(p.records()).isNotEmpty();
      p.records().forEach(RecordRequestFuzzTest::assertCanonical);
      if (p.topK() != null) {
        assertThat(p.topK()).isBetween(1, RecordRequest.MAX_TOP_K);
      }
    } else {
      assertThat(p.records()).isEmpty();
      assertThat(p.errors()).isNotEmpty().hasSizeLessThanOrEqualTo(RecordRequest.MAX_ERRORS + 1);
      for (FieldError e : p.errors()) {
        for (String f : forbidden) {
          assertThat(e.reason()).doesNotContain(f);
        }
        assertThat(e.field()).doesNotContain(MARK);
      }
      // the 400 the server sends for it is valid JSON listing the same errors
      try {
        JsonNode problem = READER.readTree(Problem.badRequest(p.errors(), "/v1/predict", "r").toJson());
        assertThat(problem.get("errors")).hasSize(p.errors().size());
        assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo(p.errors().get(0).field());
      } catch (java.io.IOException e) {
        throw new AssertionError("the problem response is not JSON", e);
      }
    }
  }

  private static void assertCanonical(Map<String, Object> r) {
    assertThat(r).containsKeys("symptoms", "previous_diagnoses");
    r.forEach((k, v) -> {
      assertThat(v).as(k).isNotNull();
      if (INTEGERS.contains(k)) {
        assertThat(v).isInstanceOf(Integer.class);
      } else if (STRINGS.contains(k)) {
        assertThat(v).isInstanceOf(String.class);
        assertThat((String) v).isNotBlank().hasSizeLessThanOrEqualTo(RecordRequest.MAX_STRING_LENGTH);
      } else if (DATES.contains(k)) {
        assertThat(v).isInstanceOf(LocalDate.class);
      } else if (VITALS.contains(k)) {
        assertThat(v).isInstanceOf(Double.class);
        assertThat(Double.isFinite((Double) v)).isTrue();
      } else if (k.equals("symptoms")) {
        assertThat(v).isInstanceOf(List.class);
        assertThat((List<?>) v).hasSizeLessThanOrEqualTo(RecordRequest.MAX_SYMPTOMS);
        for (Object s : (List<?>) v) {
          Map<?, ?> m = (Map<?, ?>) s;
          assertThat(new java.util.ArrayList<Object>(m.keySet())).containsExactly("name", "severity");
          assertThat(m.get("name")).isInstanceOf(String.class);
          assertThat((String) m.get("name")).isNotBlank();
          assertThat(m.get("severity")).isIn(null, 1, 2, 3);
        }
      } else if (k.equals("previous_diagnoses")) {
        assertThat(v).isInstanceOf(List.class);
        ((List<?>) v).forEach(d -> assertThat(d).isInstanceOf(String.class));
      } else if (k.equals("inputs")) { // declared inputs (issue 17): names as the pattern allows, values as text
        assertThat(v).isInstanceOf(Map.class);
        ((Map<?, ?>) v).forEach((name, value) -> {
          assertThat(name).isInstanceOf(String.class);
          assertThat((String) name).matches(io.dxpipe.schema.DeclaredInputs.NAME);
          assertThat(value).isInstanceOf(String.class);
        });
      } else {
        throw new AssertionError("unexpected key in a record: " + k);
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Generators

  @Provide
  Arbitrary<String> jsonishText() {
    Arbitrary<String> tokens = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"", "\"age\"", "\"records\"",
        "\"symptoms\"", "\"dataframe_split\"", "\"columns\"", "\"data\"", "\"name\"", "\"severity\"", "\"top_k\"",
        "\"vital_signs\"", "null", "true", "NaN", "-Infinity", "1e400", "34", "-0", "0.5", "\"2026-02-30\"",
        "\"fever;cough:2\"", "\\", "\\u00", " ", "\n", "\u00e9", "\ud83d", "#", "'", "01");
    Arbitrary<String> joined = tokens.list().ofMaxSize(40).map(l -> String.join("", l));
    return Arbitraries.oneOf(joined, Arbitraries.strings().ofMaxLength(60), mutated());
  }

  /** Valid bodies with a few characters deleted, duplicated or replaced. */
  private Arbitrary<String> mutated() {
    Arbitrary<String> valid = Arbitraries.of(
        "{\"age\": 34, \"symptoms\": [\"fever\", {\"name\": \"cough\", \"severity\": 2}], \"vital_signs\": {\"spo2\": 97}}",
        "{\"records\": [{\"age\": 1}, {\"visit_date\": \"2026-03-01\"}], \"top_k\": 3}",
        "{\"dataframe_split\": {\"columns\": [\"age\", \"symptoms\"], \"data\": [[34, \"fever;cough:2\"]]}}",
        "{\"dataframe_records\": [{\"age\": 34, \"previous_diagnoses\": \"J45;E11\"}], \"params\": {\"top_k\": 2}}");
    return Combinators.combine(valid, Arbitraries.integers().between(0, 10_000).list().ofMinSize(1).ofMaxSize(4),
        Arbitraries.chars().list().ofMinSize(4).ofMaxSize(4)).as((body, positions, chars) -> {
          StringBuilder b = new StringBuilder(body);
          for (int i = 0; i < positions.size(); i++) {
            int at = positions.get(i) % (b.length() + 1);
            switch (positions.get(i) % 3) {
              case 0 -> { if (at < b.length()) b.deleteCharAt(at); }
              case 1 -> b.insert(at, chars.get(i));
              default -> { if (at < b.length()) b.setCharAt(at, chars.get(i)); }
            }
          }
          return b.toString();
        });
  }

  private Arbitrary<String> names() {
    return Arbitraries.oneOf(Arbitraries.of(NAMES),
        Arbitraries.strings().withCharRange('a', 'z').withChars('_', '.').ofMinLength(1).ofMaxLength(14),
        Arbitraries.strings().ofMaxLength(50));
  }

  private Arbitrary<JsonNode> leaves() {
    return Arbitraries.oneOf(
        Arbitraries.integers().map(i -> (JsonNode) NODES.numberNode(i)),
        Arbitraries.integers().between(-3, 5).map(i -> (JsonNode) NODES.numberNode(i)),
        Arbitraries.longs().map(l -> (JsonNode) NODES.numberNode(l)),
        Arbitraries.bigIntegers().between(java.math.BigInteger.TEN.pow(30).negate(), java.math.BigInteger.TEN.pow(30))
            .map(b -> (JsonNode) NODES.numberNode(b)),
        Arbitraries.doubles().map(d -> (JsonNode) NODES.numberNode(d)),
        Arbitraries.strings().ofMaxLength(30).map(s -> (JsonNode) NODES.textNode(MARK + s)),
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(190).ofMaxLength(210).map(s -> (JsonNode) NODES.textNode(MARK + s)),
        Arbitraries.of("Vx2026-03-01", "Vx2026-02-30", "Vxmild", "Vx7").map(s -> (JsonNode) NODES.textNode(s)),
        Arbitraries.of("2026-03-01", "2026-02-30", "mild", "SEVERE", "2", "fever;cough:2", "fever:", ";", "", " ")
            .map(s -> (JsonNode) NODES.textNode(s)),
        Arbitraries.of(true, false).map(b -> (JsonNode) NODES.booleanNode(b)),
        Arbitraries.just((JsonNode) NODES.nullNode()));
  }

  @Provide
  Arbitrary<JsonNode> trees() {
    return tree(4);
  }

  private Arbitrary<JsonNode> tree(int depth) {
    Arbitrary<JsonNode> leaf = leaves();
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<JsonNode> child = Arbitraries.lazy(() -> tree(depth - 1));
    Arbitrary<JsonNode> array = child.list().ofMaxSize(3).map(l -> {
      ArrayNode a = NODES.arrayNode();
      l.forEach(a::add);
      return a;
    });
    Arbitrary<JsonNode> object = Combinators.combine(names(), child).as(Tuple::of).list().ofMaxSize(4).map(l -> {
      ObjectNode o = NODES.objectNode();
      l.forEach(t -> o.set(t.get1(), t.get2()));
      return o;
    });
    return Arbitraries.frequencyOf(Tuple.of(2, leaf), Tuple.of(2, array), Tuple.of(3, object));
  }

  /** Records over the real field names with values that are often of the right type. */
  @Provide
  Arbitrary<JsonNode> records() {
    Arbitrary<JsonNode> symptom = Arbitraries.oneOf(
        Arbitraries.of("fever", "cough", " ", "").map(s -> (JsonNode) NODES.textNode(s)),
        Combinators.combine(Arbitraries.of("fever", "Vxcough", ""), Arbitraries.oneOf(leaves(),
            Arbitraries.of(1, 2, 3).map(i -> (JsonNode) NODES.numberNode(i)))).as((n, s) -> {
              ObjectNode o = NODES.objectNode();
              o.put("name", n);
              o.set("severity", s);
              return (JsonNode) o;
            }),
        leaves());
    Arbitrary<JsonNode> symptoms = symptom.list().ofMaxSize(4).map(l -> {
      ArrayNode a = NODES.arrayNode();
      l.forEach(a::add);
      return (JsonNode) a;
    });
    Arbitrary<JsonNode> value = Arbitraries.oneOf(leaves(), symptoms, tree(2));
    return Combinators.combine(Arbitraries.of(NAMES).list().ofMaxSize(8), value.list().ofSize(8)).as((names, values) -> {
      Map<String, JsonNode> fields = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        fields.put(names.get(i), values.get(i));
      }
      ObjectNode o = NODES.objectNode();
      fields.forEach(o::set);
      return o;
    });
  }

  @Provide
  Arbitrary<Map<String, List<String>>> queries() {
    Arbitrary<String> values = Arbitraries.oneOf(
        Arbitraries.of("34", "34.5", "-1", "1e400", "NaN", "2026-03-01", "2026-02-30", "fever,cough:2", "fever:9",
            "", " ", "J45;E11", "0x10", "3"),
        Arbitraries.strings().ofMaxLength(20).map(s -> MARK + s));
    return Arbitraries.maps(names(), values.list().ofMinSize(1).ofMaxSize(3)).ofMaxSize(8);
  }

}
