package io.dxpipe.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aBadRequestListsEveryFieldInRfc9457Form() throws Exception {
    Problem p = Problem.badRequest(List.of(new FieldError("age", "must be a whole number"),
        new FieldError("records[1].symptoms[0].severity", "must be 1-3")), "/v1/predict", "req-1");
    JsonNode j = JSON.readTree(p.toJson());
    assertThat(j.get("type").asText()).isEqualTo("https://dxpipe.io/problems/invalid-request");
    assertThat(j.get("title").asText()).isEqualTo("Invalid request");
    assertThat(j.get("status").asInt()).isEqualTo(400);
    assertThat(j.get("detail").asText()).isEqualTo("2 problems with the request: see errors");
    assertThat(j.get("instance").asText()).isEqualTo("/v1/predict");
    assertThat(j.get("request_id").asText()).isEqualTo("req-1");
    assertThat(j.get("errors")).hasSize(2);
    assertThat(j.get("errors").get(1).get("field").asText()).isEqualTo("records[1].symptoms[0].severity");
    assertThat(j.get("errors").get(1).get("reason").asText()).isEqualTo("must be 1-3");
    assertThat(JSON.readTree(Problem.badRequest(List.of(new FieldError("age", "x")), "/", null).toJson())
        .get("detail").asText()).isEqualTo("1 problem with the request: see errors");
  }

  @Test
  void statusesTypesAndDetails() throws Exception {
    assertThat(Problem.unauthorized("/v1/predict", "r").status()).isEqualTo(401);
    assertThat(Problem.unauthorized("/", "r").type()).isEqualTo(Problem.ABOUT_BLANK);
    assertThat(Problem.forbidden(Tokens.Role.ADMIN, "/admin/reload", "r").detail()).contains("'admin'");
    assertThat(Problem.forbidden(Tokens.Role.ADMIN, "/admin/reload", "r").status()).isEqualTo(403);
    assertThat(Problem.notFound("/x", "r").status()).isEqualTo(404);
    assertThat(Problem.methodNotAllowed(List.of("GET", "POST"), "/x", "r").detail()).isEqualTo("this path allows GET, POST");
    assertThat(Problem.payloadTooLarge(1_048_576, "/v1/predict", "r").detail()).contains("1048576 bytes");
    assertThat(Problem.payloadTooLarge(1, "/", "r").status()).isEqualTo(413);
    assertThat(Problem.unsupportedMediaType("/", "r").status()).isEqualTo(415);
    assertThat(Problem.serviceUnavailable("/", "r").status()).isEqualTo(503);
    assertThat(Problem.serviceUnavailable("/", "r").type().toString()).isEqualTo("https://dxpipe.io/problems/no-model");
    assertThat(Problem.timeout(Duration.ofSeconds(2), "/", "r").detail()).contains("2000 ms");
    assertThat(Problem.unprocessable("no known symptom", "/v1/predict", "r").status()).isEqualTo(422);
    assertThat(Problem.unprocessable(List.of(new FieldError("records[3]", "no known symptom")), "/", "r").detail())
        .isEqualTo("1 record cannot be scored: see errors");
    JsonNode j = JSON.readTree(Problem.notFound("/x", null).toJson());
    assertThat(j.has("errors")).as("no empty errors member").isFalse();
    assertThat(j.has("request_id")).isFalse();
    assertThat(Problem.MEDIA_TYPE).isEqualTo("application/problem+json");
    assertThat(Problem.WWW_AUTHENTICATE).startsWith("Bearer ");
  }
}
