package io.dxpipe.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Predictions;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The service over loopback, a real server on the fixture's model: every endpoint's shape, the MLflow
 * and query forms giving the batch form's answers, the score job's rejection as a 422, roles (401
 * without or with a bad token, 403 with the wrong role), the malformed-body corpus answered 400 with
 * the same fields as the parser names, 413/415/404/405 as problems, and the audit and online
 * predictions in Delta without the raw patient id.
 */
class PredictionServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  static Path root;
  private static ServerFixture f;

  @BeforeAll
  static void start() {
    f = ServerFixture.start(root);
  }

  @AfterAll
  static void stop() {
    if (f != null) {
      f.close();
    }
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void aRecordGetsItsTopDiseasesFlagsAndTheModel() throws Exception {
    assertThat(f.get("/ping", null).statusCode()).isEqualTo(200);
    HttpResponse<String> r = f.post("/v1/predict", f.clinician, "application/json",
        "{\"age\": 34, \"gender\": \"F\", \"symptoms\": [{\"name\": \"high_feverr\", \"severity\": 3}, \"cough\", "
            + "\"headache\"], \"temperature_c\": 38.4, \"patient_id\": \"MRN-00042\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode p = json(r).get("predictions").get(0);
    assertThat(p.get("status").asText()).isEqualTo("predicted");
    assertThat(p.get("diseases")).hasSize(3);
    assertThat(p.get("flags").toString()).contains("symptom-typo:high_feverr->high_fever");
    assertThat(p.get("notes").toString()).contains("symptom 'high_feverr' read as 'high_fever'");
    assertThat(json(r).get("model").get("uri").asText()).isEqualTo(f.modelPath);
  }

  @Test
  void aSymptomGivenAsItsHpoIdPredictsAsItsName() throws Exception {
    String named = "{\"age\": 9, \"gender\": \"male\", \"symptoms\": [\"abnormal_carpal_morphology\", \"short_stature\","
        + " \"cough\"]}";
    String coded = "{\"age\": 9, \"gender\": \"male\", \"symptoms\": [\"HP:0001191\", \"HP:0004322\", \"cough\"]}";
    JsonNode byName = json(f.post("/v1/predict", f.clinician, "application/json", named)).get("predictions").get(0);
    HttpResponse<String> r = f.post("/v1/predict", f.clinician, "application/json", coded);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode byId = json(r).get("predictions").get(0);
    assertThat(byId.get("flags").toString()).doesNotContain("unknown-symptom");
    assertThat(byId.get("diseases")).isEqualTo(byName.get("diseases"));
    HttpResponse<String> q = f.get("/predict?age=9&gender=male&symptoms=HP:0001191;HP:0004322:2,cough", f.clinician);
    assertThat(q.statusCode()).as(q.body()).isEqualTo(200);
    assertThat(json(q).get("predictions").get(0).get("flags").toString()).doesNotContain("unknown-symptom");
  }

  private static final String R1 = "{\"age\": 34, \"gender\": \"female\", \"symptoms\": [{\"name\": \"high_fever\", "
      + "\"severity\": 3}, \"cough\", \"headache\"], \"temperature_c\": 38.4}";
  private static final String R2 = "{\"age\": 61, \"gender\": \"male\", \"symptoms\": [\"fatigue\", \"nausea\", "
      + "\"vomiting\", \"abdominal_pain\"], \"heart_rate\": 104, \"previous_diagnoses\": [\"hypertension\"]}";

  private static List<String> codes(JsonNode predictions) {
    List<String> out = new ArrayList<>();
    predictions.forEach(p -> out.add(p.get("predicted_code").asText()));
    return out;
  }

  @Test
  void theMlflowFormsAndTheQueryFormGiveTheBatchFormsAnswers() throws Exception {
    JsonNode batch = json(f.post("/v1/predict", f.clinician, "application/json", "{\"records\": [" + R1 + ", " + R2
        + "]}")).get("predictions");
    assertThat(batch).hasSize(2);
    List<String> expected = codes(batch);
    JsonNode records = json(f.post("/invocations", f.clinician, "application/json", "{\"dataframe_records\": [" + R1
        + ", " + R2 + "]}"));
    assertThat(records.get("predictions").get(0).asText()).isEqualTo(expected.get(0));
    assertThat(records.get("predictions").get(1).asText()).isEqualTo(expected.get(1));
    assertThat(records.get("top").get(1).get(0).get("probability").asDouble())
        .isEqualTo(batch.get(1).get("diseases").get(0).get("probability").asDouble());
    JsonNode split = json(f.post("/invocations", f.clinician, "application/json; charset=utf-8",
        "{\"dataframe_split\": {\"columns\": [\"age\", \"gender\", \"symptoms\", \"temperature_c\"], \"data\": "
            + "[[34, \"female\", \"high_fever:3;cough;headache\", 38.4]]}}"));
    assertThat(split.get("predictions").get(0).asText()).isEqualTo(expected.get(0));
    JsonNode databricks = json(f.post("/invocations", f.clinician, "application/json", "[" + R2 + "]"));
    assertThat(databricks.get("predictions").get(0).asText()).isEqualTo(expected.get(1));
    HttpResponse<String> query = f.get("/predict?age=34&gender=female&symptoms=high_fever:3,cough,headache"
        + "&temperature_c=38.4", f.clinician);
    assertThat(query.statusCode()).as(query.body()).isEqualTo(200);
    assertThat(json(query).get("predictions").get(0).get("diseases"))
        .isEqualTo(batch.get(0).get("diseases"));
  }

  @Test
  void aRecordTheScoreJobWouldRejectIsA422WithItsReason() throws Exception {
    HttpResponse<String> r = f.post("/v1/predict", f.clinician, "application/json",
        "{\"age\": 40, \"symptoms\": [\"glowing_ears\"]}");
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
    JsonNode p = json(r);
    assertThat(p.get("reason_code").asText()).isEqualTo("no-known-symptoms");
    assertThat(p.get("detail").asText()).startsWith("fewer than 1 of the record's symptoms are known to the model");
    // in a batch the same record is one rejected entry beside the predicted ones
    JsonNode batch = json(f.post("/v1/predict", f.clinician, "application/json", "{\"records\": [" + R1
        + ", {\"symptoms\": []}]}")).get("predictions");
    assertThat(batch.get(0).get("status").asText()).isEqualTo("predicted");
    assertThat(batch.get(1).get("status").asText()).isEqualTo("rejected");
    assertThat(batch.get(1).get("reason_code").asText()).isEqualTo("no-symptoms");
  }

  @Test
  void anInputTheModelDoesNotDeclareIsA422NamingIt() throws Exception {
    HttpResponse<String> r = f.post("/v1/predict", f.clinician, "application/json",
        "{\"age\": 40, \"symptoms\": [\"cough\", \"high_fever\"], \"inputs\": {\"smoking\": \"yes\"}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    JsonNode p = json(r);
    assertThat(p.get("reason_code").asText()).isEqualTo("invalid-input");
    assertThat(p.get("detail").asText()).startsWith("inputs.smoking is not an input of").endsWith("which declares none");
    // null and empty inputs are no inputs
    assertThat(f.post("/v1/predict", f.clinician, "application/json",
        "{\"symptoms\": [\"cough\"], \"inputs\": {\"smoking\": null}}").statusCode()).isEqualTo(200);
    assertThat(f.post("/v1/predict", f.clinician, "application/json",
        "{\"symptoms\": [\"cough\"], \"inputs\": {}}").statusCode()).isEqualTo(200);
    assertThat(json(f.get("/v1/symptoms", f.clinician)).get("inputs").size()).as("the model declares no inputs").isZero();
  }

  @Test
  void tokensAndRolesDecideWhoMayCallWhat() throws Exception {
    HttpResponse<String> none = f.post("/v1/predict", null, "application/json", R1);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue(Problem.WWW_AUTHENTICATE);
    assertThat(none.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
    HttpResponse<String> bad = f.post("/v1/predict", Tokens.newToken(), "application/json", R1);
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.headers().firstValue("WWW-Authenticate")).hasValue(Problem.WWW_AUTHENTICATE_INVALID_TOKEN);
    assertThat(f.post("/v1/predict", f.monitor, "application/json", R1).statusCode()).isEqualTo(403);
    assertThat(f.post("/v1/predict", f.admin, "application/json", R1).statusCode()).isEqualTo(403);
    assertThat(f.post("/v1/predict", f.clinician, "application/json", R1).statusCode()).isEqualTo(200);
    assertThat(f.get("/metrics", f.clinician).statusCode()).isEqualTo(403);
    HttpResponse<String> metrics = f.get("/metrics", f.monitor);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("dxpipe_serve_requests_total{endpoint=\"/v1/predict\",status=\"200\"}",
        "dxpipe_serve_request_seconds_bucket{endpoint=\"/v1/predict\",le=\"+Inf\"}", "dxpipe_serve_model_loaded 1",
        "dxpipe_serve_requests_total{endpoint=\"/v1/predict\",status=\"401\"}");
    assertThat(f.post("/admin/reload", f.clinician, null, "").statusCode()).isEqualTo(403);
    HttpResponse<String> reload = f.post("/admin/reload", f.admin, null, "");
    assertThat(reload.statusCode()).isEqualTo(200);
    assertThat(json(reload).get("error").isNull()).isTrue();
    assertThat(f.get("/admin/audit?limit=5", f.admin).statusCode()).isEqualTo(200);
    // open: the probes, the form, the spec
    assertThat(f.get("/health", null).statusCode()).isEqualTo(200);
    assertThat(json(f.get("/health", null)).get("gate").get("golden_rows").asInt()).isEqualTo(500);
    assertThat(f.get("/version", null).statusCode()).isEqualTo(200);
    assertThat(f.get("/openapi.yaml", null).statusCode()).isEqualTo(200);
  }

  static java.util.stream.Stream<String> bodies() throws Exception {
    return MalformedBodiesTest.bodies();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  void everyMalformedBodyIsA400NamingItsFields(String name) throws Exception {
    byte[] body = Files.readAllBytes(MalformedBodiesTest.corpus().resolve(name + ".json"));
    HttpResponse<String> r = f.send(HttpRequest.newBuilder(f.uri(name.startsWith("invocations-") ? "/invocations"
        : "/v1/predict")).header("Authorization", "Bearer " + f.clinician).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
    JsonNode p = json(r);
    List<String> fields = new ArrayList<>();
    p.get("errors").forEach(e -> fields.add(e.get("field").asText()));
    assertThat(fields).containsExactlyElementsOf(MalformedBodiesTest.EXPECTED.get(name).fields());
    for (String secret : MalformedBodiesTest.EXPECTED.get(name).secrets()) { // (the request id is random)
      assertThat(p.get("errors").toString() + p.get("detail")).doesNotContain(secret);
    }
  }

  @Test
  void wrongTypesSizesPathsAndMethodsAreProblemsToo() throws Exception {
    HttpResponse<String> text = f.post("/v1/predict", f.clinician, "text/plain", R1);
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(text.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
    String big = "{\"records\": [" + (R1 + ",").repeat(12_000) + R1 + "]}";
    HttpResponse<String> large = f.post("/v1/predict", f.clinician, "application/json", big);
    assertThat(large.statusCode()).isEqualTo(413);
    assertThat(json(large).get("status").asInt()).isEqualTo(413);
    HttpResponse<String> unknown = f.get("/v2/nothing", f.clinician);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
    HttpResponse<String> method = f.get("/v1/predict", f.clinician);
    assertThat(method.statusCode()).isIn(404, 405);
    assertThat(method.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
  }

  @Test
  void auditAndOnlinePredictionsReachDeltaWithoutThePatientsId() throws Exception {
    String id = "audit-test-" + System.nanoTime();
    HttpResponse<String> r = f.send(HttpRequest.newBuilder(f.uri("/v1/predict")).header("Authorization", "Bearer "
        + f.clinician).header("Content-Type", "application/json").header("X-Request-Id", id)
        .POST(HttpRequest.BodyPublishers.ofString("{\"records\": [" + R1.replaceFirst("\\{", "{\"patient_id\": \"MRN-00042\", ")
            + ", " + R2 + "]}")).build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Request-Id")).hasValue(id);
    assertThat(f.post("/v1/predict", null, "application/json", R1).statusCode()).isEqualTo(401);
    f.server.flushSpools();
    List<Row> audit = ServerFixture.SPARK.read().format("delta").load(f.serve.auditTable()).collectAsList();
    Row row = audit.stream().filter(a -> id.equals(a.getAs(OnlineTables.REQUEST_ID))).findFirst().orElseThrow();
    assertThat((String) row.getAs(OnlineTables.PRINCIPAL)).isEqualTo("ward-7");
    assertThat((String) row.getAs(OnlineTables.ROLES)).isEqualTo("clinician");
    assertThat((Integer) row.getAs(OnlineTables.STATUS)).isEqualTo(200);
    assertThat((Integer) row.getAs(OnlineTables.RECORDS)).isEqualTo(2);
    List<String> keys = row.getList(row.fieldIndex(OnlineTables.PATIENT_KEYS));
    assertThat(keys).hasSize(1).allMatch(k -> k.matches("[0-9a-f]{64}"));
    assertThat(audit).anyMatch(a -> (Integer) a.getAs(OnlineTables.STATUS) == 401 && a.getAs(OnlineTables.PRINCIPAL) == null);
    List<Row> online = ServerFixture.SPARK.read().format("delta").load(f.serve.predictionsTable())
        .filter(org.apache.spark.sql.functions.col(OnlineTables.REQUEST_ID).equalTo(id)).collectAsList();
    assertThat(online).hasSize(2);
    assertThat(online).extracting(o -> (String) o.getAs(Bronze.PATIENT_KEY)).containsOnlyOnce(keys.get(0));
    JsonNode answer = json(r).get("predictions");
    assertThat(online).extracting(o -> (String) o.getAs(Predictions.PREDICTED_CODE))
        .containsExactlyInAnyOrderElementsOf(codes(answer));
    for (Row o : online) { // the request's top, as the batch table's top_k; top3 its first three
      List<Row> top3 = o.getList(o.fieldIndex(Predictions.TOP3));
      assertThat(top3).hasSize(3);
      assertThat(o.<Row>getList(o.fieldIndex(Predictions.TOP_K))).hasSizeGreaterThanOrEqualTo(3)
          .startsWith(top3.toArray(Row[]::new));
    }
    for (Row a : audit) {
      assertThat(a.toString()).doesNotContain("MRN-00042");
    }
    for (Row o : ServerFixture.SPARK.read().format("delta").load(f.serve.predictionsTable()).collectAsList()) {
      assertThat(o.toString()).doesNotContain("MRN-00042");
    }
    // a flush with nothing new appends nothing, and what was appended is there once
    f.server.flushSpools();
    assertThat(ServerFixture.SPARK.read().format("delta").load(f.serve.predictionsTable())
        .filter(org.apache.spark.sql.functions.col(OnlineTables.REQUEST_ID).equalTo(id)).count()).isEqualTo(2);
  }
}
