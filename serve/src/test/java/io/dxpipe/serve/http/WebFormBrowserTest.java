package io.dxpipe.serve.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dxpipe.schema.Bronze;
import io.dxpipe.testing.Repo;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web form at {@code /} in a real headless Chromium (Debian's package, from
 * {@code scripts/chromium.sh}) against the real server: a person's clicks and typing fill it in,
 * and what it renders is compared with what {@code POST /v1/predict} answers for the same record.
 * Screenshots go to {@code serve/target/surefire-reports/web-form*.png}.
 */
class WebFormBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path REPORTS = Repo.root().resolve("serve/target/surefire-reports");
  /** What the page shows for a probability: one decimal, "<0.1 %" below 0.05 %. */
  private static final double DISPLAY_TOLERANCE = 0.05 + 1e-9;

  @TempDir
  static Path root;
  private static ServerFixture f;

  @BeforeAll
  static void start() {
    f = ServerFixture.start(root.resolve("server"));
  }

  @AfterAll
  static void stop() {
    if (f != null) {
      f.close();
    }
  }

  /** The top diseases as the page rendered them. */
  private record Rendered(String code, String name, String percent, double probability, boolean orphanBadge,
      String catalogueId, double barFraction) {}

  private static List<Rendered> rendered(HeadlessChromium b) throws Exception {
    JsonNode list = b.eval("Array.from(document.querySelectorAll('#top3 li.disease')).map(li => {"
        + " const bar = li.querySelector('.bar'); const fill = li.querySelector('.bar-fill');"
        + " const badge = li.querySelector('.badge-orphan'); const cat = li.querySelector('.catalogue-id');"
        + " return {code: li.dataset.code, name: li.querySelector('.disease-name').textContent,"
        + " percent: li.querySelector('.disease-probability').textContent, probability: li.dataset.probability,"
        + " badge: badge ? badge.textContent : null, catalogue: cat ? cat.textContent : null,"
        + " bar: fill.getBoundingClientRect().width / bar.getBoundingClientRect().width}; })");
    List<Rendered> out = new ArrayList<>();
    for (JsonNode d : list) {
      out.add(new Rendered(d.get("code").asText(), d.get("name").asText(), d.get("percent").asText(),
          Double.parseDouble(d.get("probability").asText()), "orphan disease".equals(d.path("badge").asText(null)),
          d.path("catalogue").isNull() ? null : d.path("catalogue").asText(), d.get("bar").asDouble()));
    }
    return out;
  }

  /**
   * The page's errors (CSP violations, script exceptions, console errors, failed loads) except the
   * 401s the test provokes on purpose: the vocabulary asked for before a token is entered, and the
   * requests made with a wrong token.
   */
  private static List<JsonNode> unexpectedProblems(HeadlessChromium b) {
    return b.problems().stream().filter(m -> {
      JsonNode e = m.path("params").path("entry");
      return !("network".equals(e.path("source").asText()) && e.path("text").asText().contains("status of 401"));
    }).toList();
  }

  /** Types a symptom as a person reads it (spaces for underscores), picks its severity, adds it with Enter. */
  private static void addSymptom(HeadlessChromium b, String code, Integer severity) {
    b.typeInto("#symptom-input", code.replace('_', ' '));
    b.select("#symptom-severity", severity == null ? "" : severity.toString());
    b.click("#symptom-input");
    b.pressEnter();
  }

  private static String state(HeadlessChromium b) {
    return b.eval("document.getElementById('result').dataset.state").asText();
  }

  private static void submitAndWait(HeadlessChromium b) {
    b.click("#submit");
    b.waitFor("['done', 'error'].includes(document.getElementById('result').dataset.state)");
  }

  /** Compares the rendered top diseases with the API's answer for the same record. */
  private static void assertSameAsApi(List<Rendered> shown, JsonNode diseases) {
    assertThat(diseases).hasSize(3);
    assertThat(shown).hasSize(3);
    for (int i = 0; i < 3; i++) {
      JsonNode d = diseases.get(i);
      Rendered r = shown.get(i);
      double p = d.get("probability").asDouble();
      boolean orphan = d.get("orphan").asBoolean();
      assertThat(r.code()).as("code %d", i).isEqualTo(d.get("code").asText());
      assertThat(r.name()).as("name %d", i).isEqualTo(d.get("name").asText());
      assertThat(r.probability()).as("probability %d", i).isEqualTo(p);
      assertThat(shownPercent(r.percent())).as("percentage %d: %s", i, r.percent()).isCloseTo(p * 100,
          within(DISPLAY_TOLERANCE));
      assertThat(r.barFraction()).as("bar width %d", i).isCloseTo(p, within(0.01));
      assertThat(r.orphanBadge()).as("orphan badge %d", i).isEqualTo(orphan);
      assertThat(r.catalogueId()).as("catalogue id %d", i)
          .isEqualTo(orphan && !d.get("catalogue_id").isNull() ? d.get("catalogue_id").asText() : null);
    }
    assertThat(shown.get(0).barFraction()).as("the first bar is drawn").isGreaterThan(0.0);
  }

  /** The percentage the page shows, as a number ("<0.1 %" as 0). */
  private static double shownPercent(String text) {
    assertThat(text).matches("(<0\\.1|\\d{1,3}\\.\\d) %");
    return text.startsWith("<") ? 0 : Double.parseDouble(text.substring(0, text.length() - 2));
  }

  @Test
  void aClinicianFillsInTheFormAndSeesTheTop3ThatTheApiGives() throws Exception {
    HttpResponse<String> vocabulary = f.get("/v1/symptoms", f.clinician);
    assertThat(vocabulary.statusCode()).as(vocabulary.body()).isEqualTo(200);
    JsonNode vocab = JSON.readTree(vocabulary.body());

    try (HeadlessChromium b = HeadlessChromium.start(root.resolve("chromium"), 1200, 1000)) {
      b.navigate(f.uri("/").toString());
      assertThat(b.text("#disclaimer")).contains("Decision support, not a diagnosis");

      // no token yet: the vocabulary cannot load, and the page says what to do
      b.waitFor("document.getElementById('vocabulary-status').dataset.state !== 'loading'");
      assertThat(b.text("#vocabulary-status")).contains("enter a valid clinician token");

      b.typeInto("#token", f.clinician);
      b.click("#symptom-input"); // leaving the token field loads the vocabulary with it
      b.waitFor("document.getElementById('vocabulary-status').dataset.state === 'ready'");
      assertThat(b.eval("document.querySelectorAll('#symptom-list option').length").asInt())
          .isEqualTo(vocab.get("symptoms").size());
      assertThat(b.eval("document.querySelector('#symptom-list option').value").asText())
          .isEqualTo(vocab.get("symptoms").get(0).asText().replace('_', ' '));
      assertThat(b.text("#model-banner")).contains(vocab.get("model").get("name").asText());
      assertThat(b.eval("sessionStorage.getItem('dxpipe.token')").asText()).isEqualTo(f.clinician);

      // three symptoms: a typo with severity 3 added with Enter, one with the button, one with Enter
      b.type("high feverr");
      b.select("#symptom-severity", "3");
      b.click("#symptom-input");
      b.pressEnter();
      b.type("cough");
      b.click("#symptom-add");
      b.type("headache");
      b.pressEnter();
      assertThat(b.eval("Array.from(document.querySelectorAll('#symptom-rows li')).map(r => r.dataset.code)"
          + ".join(',')").asText()).isEqualTo("high_feverr,cough,headache");
      assertThat(b.eval("document.querySelector('#symptom-rows li .symptom-row-severity').value").asText())
          .isEqualTo("3");

      b.typeInto("#age", "34");
      b.select("#gender", "female");
      b.typeInto("#temperature-c", "38.4");
      b.typeInto("#previous-diagnoses", "asthma, hypertension");
      b.click("#submit");
      b.waitFor("['done', 'error'].includes(document.getElementById('result').dataset.state)");
      assertThat(b.eval("document.getElementById('result').dataset.state").asText())
          .as("result state; error shown: %s", b.text("#result-error")).isEqualTo("done");

      Path shot = REPORTS.resolve("web-form.png");
      b.screenshot(shot);
      System.out.println("[WebFormBrowserTest] screenshot of the filled-in form: " + shot);

      // the same record through the API
      String body = "{\"age\": 34, \"gender\": \"female\", \"symptoms\": [{\"name\": \"high_feverr\", \"severity\": 3},"
          + " {\"name\": \"cough\"}, {\"name\": \"headache\"}], \"previous_diagnoses\": [\"asthma\", \"hypertension\"],"
          + " \"temperature_c\": 38.4}";
      HttpResponse<String> api = f.post("/v1/predict", f.clinician, "application/json", body);
      assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
      JsonNode answer = JSON.readTree(api.body());
      JsonNode prediction = answer.get("predictions").get(0);
      JsonNode diseases = prediction.get("diseases");

      assertSameAsApi(rendered(b), diseases);

      assertThat(prediction.get("notes").toString()).contains("symptom 'high_feverr' read as 'high_fever'");
      assertThat(b.eval("Array.from(document.querySelectorAll('#notes li.note')).map(n => n.textContent)")
          .toString()).isEqualTo(prediction.get("notes").toString());
      assertThat(b.text("#notes")).contains("symptom 'high_feverr' read as 'high_fever'");

      JsonNode model = answer.get("model");
      assertThat(b.text("#model-info")).startsWith("Model: " + model.get("name").asText());
      if (model.hasNonNull("version")) {
        assertThat(b.text("#model-info")).contains("version " + model.get("version").asText());
      }
      assertThat(b.text("#request-id")).matches("Request id: [0-9a-f-]{36}");

      // the page ran under the server's Content-Security-Policy without a violation or a script error
      assertThat(unexpectedProblems(b)).as("page errors (CSP violations, exceptions, failed loads)").isEmpty();
    }
  }

  @Test
  void anOrphanDiseaseInTheTop3IsMarkedWithItsCatalogueId() throws Exception {
    // a record of the model's own training data whose top 3, by the API, holds an orphan disease
    List<Row> rows = ServerFixture.model().silver().select(Bronze.SYMPTOMS).limit(400).collectAsList();
    JsonNode found = null;
    String body = null;
    for (Row row : rows) {
      List<Map<String, Object>> symptoms = new ArrayList<>();
      for (Row sym : row.<Row>getList(0)) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", sym.getAs(Bronze.SYMPTOM_NAME));
        if (sym.getAs(Bronze.SYMPTOM_SEVERITY) != null) {
          m.put("severity", sym.getAs(Bronze.SYMPTOM_SEVERITY));
        }
        symptoms.add(m);
      }
      String candidate = JSON.writeValueAsString(Map.of("symptoms", symptoms, "previous_diagnoses", List.of()));
      HttpResponse<String> r = f.post("/v1/predict", f.clinician, "application/json", candidate);
      if (r.statusCode() == 200 && JSON.readTree(r.body()).get("predictions").get(0).get("orphan_in_top").asBoolean()) {
        found = JSON.readTree(r.body());
        body = candidate;
        break;
      }
    }
    assertThat(found).as("a training record of the fixture's model with an orphan disease in its top 3, among %d",
        rows.size()).isNotNull();

    try (HeadlessChromium b = HeadlessChromium.start(root.resolve("chromium-orphan"), 1200, 1000)) {
      b.navigate(f.uri("/").toString());
      b.typeInto("#token", f.clinician);
      b.click("#symptom-input");
      b.waitFor("document.getElementById('vocabulary-status').dataset.state === 'ready'");
      JsonNode symptoms = JSON.readTree(body).get("symptoms");
      List<String> codes = new ArrayList<>();
      for (JsonNode sym : symptoms) {
        codes.add(sym.get("name").asText());
        addSymptom(b, sym.get("name").asText(), sym.hasNonNull("severity") ? sym.get("severity").asInt() : null);
      }
      assertThat(b.eval("Array.from(document.querySelectorAll('#symptom-rows li')).map(r => r.dataset.code)"
          + ".join(',')").asText()).isEqualTo(String.join(",", codes));
      submitAndWait(b);
      assertThat(state(b)).as("result state; error shown: %s", b.text("#result-error")).isEqualTo("done");
      Path shot = REPORTS.resolve("web-form-orphan.png");
      b.screenshot(shot);
      System.out.println("[WebFormBrowserTest] screenshot with an orphan disease: " + shot);

      List<Rendered> shown = rendered(b);
      assertSameAsApi(shown, found.get("predictions").get(0).get("diseases"));
      assertThat(shown).anyMatch(Rendered::orphanBadge);
      assertThat(b.eval("document.querySelectorAll('#top3 li.disease.orphan .badge-orphan').length").asInt())
          .isEqualTo((int) shown.stream().filter(Rendered::orphanBadge).count());
      assertThat(unexpectedProblems(b)).as("page errors (CSP violations, exceptions, failed loads)").isEmpty();
    }
  }

  @Test
  void errorsAreShownWhereTheyBelong() throws Exception {
    try (HeadlessChromium b = HeadlessChromium.start(root.resolve("chromium-errors"), 1200, 1000)) {
      b.navigate(f.uri("/").toString());

      // no symptom: the form says so itself, nothing is sent
      submitAndWait(b);
      assertThat(state(b)).isEqualTo("error");
      assertThat(b.text("#symptoms-error")).isEqualTo("Add at least one symptom.");
      assertThat(b.text("#top3")).isEmpty();

      // a wrong token: 401, and the page asks for a valid clinician token
      b.typeInto("#token", "not-a-valid-token");
      addSymptom(b, "cough", 2);
      submitAndWait(b);
      assertThat(state(b)).isEqualTo("error");
      assertThat(b.text("#result-error")).contains("enter a valid clinician token");
      assertThat(b.text("#token-error")).contains("enter a valid clinician token");
      assertThat(b.eval("document.getElementById('token').getAttribute('aria-invalid')").asText()).isEqualTo("true");

      // the right token and a diagnosis over the length limit: the API's reason beside the field
      b.eval("(() => { const t = document.getElementById('token'); t.select(); return true; })()");
      b.type(f.clinician); // typing over the selection replaces it
      String longDiagnosis = "x".repeat(RecordRequest.MAX_STRING_LENGTH + 1);
      b.typeInto("#previous-diagnoses", longDiagnosis);
      submitAndWait(b);
      String body = "{\"symptoms\": [{\"name\": \"cough\", \"severity\": 2}], \"previous_diagnoses\": [\""
          + longDiagnosis + "\"]}";
      HttpResponse<String> api = f.post("/v1/predict", f.clinician, "application/json", body);
      assertThat(api.statusCode()).as(api.body()).isEqualTo(400);
      JsonNode problem = JSON.readTree(api.body());
      assertThat(state(b)).isEqualTo("error");
      assertThat(b.text("#token-error")).isEmpty();
      assertThat(b.text("#result-error")).contains(problem.get("detail").asText());
      assertThat(problem.get("errors").get(0).get("field").asText()).startsWith("previous_diagnoses");
      assertThat(b.text("#previous-diagnoses-error")).isEqualTo(problem.get("errors").get(0).get("reason").asText());
      assertThat(b.eval("document.activeElement.id").asText()).isEqualTo("previous-diagnoses");

      // no symptom the model knows: 422 with the batch path's reason; the old row removed with its button
      b.eval("(() => { const d = document.getElementById('previous-diagnoses'); d.select(); return true; })()");
      b.pressBackspace();
      b.click("#symptom-rows li .symptom-row-remove");
      assertThat(b.eval("document.querySelectorAll('#symptom-rows li').length").asInt()).isZero();
      addSymptom(b, "zzzz_qqqq_xxxx", null);
      submitAndWait(b);
      api = f.post("/v1/predict", f.clinician, "application/json",
          "{\"symptoms\": [{\"name\": \"zzzz_qqqq_xxxx\"}], \"previous_diagnoses\": []}");
      assertThat(api.statusCode()).as(api.body()).isEqualTo(422);
      problem = JSON.readTree(api.body());
      assertThat(state(b)).isEqualTo("error");
      assertThat(b.text("#result-error")).contains(problem.get("detail").asText());
      assertThat(b.text("#previous-diagnoses-error")).isEmpty();
      assertThat(b.text("#request-id")).startsWith("Request id: ");

      Path shot = REPORTS.resolve("web-form-errors.png");
      b.screenshot(shot);
      System.out.println("[WebFormBrowserTest] screenshot of an error: " + shot);
      assertThat(unexpectedProblems(b)).as("page errors other than the 401s, 400 and 422 provoked here")
          .allMatch(m -> m.path("params").path("entry").path("text").asText().matches(".*status of (400|422).*"));
    }
  }
}
