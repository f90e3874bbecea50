package io.dxpipe.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service over loopback: endpoints, shapes, auth, bad input, audit. */
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
}
