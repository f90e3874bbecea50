package io.dxpipe.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random bodies and query strings against the running server (the generators of
 * {@link RecordRequestFuzzTest}): whatever arrives, the answer is never a 5xx, and every 4xx is a
 * problem document.
 */
class ServerFuzzTest {
  private static ServerFixture f;
  private static Path root;
  private final RecordRequestFuzzTest generators = new RecordRequestFuzzTest();

  @BeforeContainer
  static void start() throws Exception {
    root = Files.createTempDirectory("dxpipe-serve-fuzz-");
    f = ServerFixture.start(root);
  }

  @AfterContainer
  static void stop() {
    if (f != null) {
      f.close();
    }
  }

  private static void check(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isLessThan(500);
    String type = r.headers().firstValue("Content-Type").orElse("");
    if (r.statusCode() >= 400) {
      assertThat(type).as(r.body()).isEqualTo(Problem.MEDIA_TYPE);
    } else {
      assertThat(type).startsWith("application/json");
    }
  }

  private static HttpResponse<String> post(String path, byte[] body) {
    return f.send(HttpRequest.newBuilder(f.uri(path)).header("Authorization", "Bearer " + f.clinician)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  @Property(tries = 300)
  void randomTextIsNeverA5xx(@ForAll("text") String body) {
    check(post("/v1/predict", body.getBytes(StandardCharsets.UTF_8)));
    check(post("/invocations", body.getBytes(StandardCharsets.UTF_8)));
  }

  @Property(tries = 200)
  void randomBytesAreNeverA5xx(@ForAll byte[] body) {
    check(post("/v1/predict", body));
  }

  @Property(tries = 300)
  void randomRecordsAreNeverA5xx(@ForAll("records") JsonNode record) {
    check(post("/v1/predict", record.toString().getBytes(StandardCharsets.UTF_8)));
  }

  @Property(tries = 200)
  void randomQueriesAreNeverA5xx(@ForAll("queries") Map<String, List<String>> query) {
    StringJoiner q = new StringJoiner("&");
    query.forEach((k, vs) -> vs.forEach(v -> q.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(v, StandardCharsets.UTF_8))));
    check(f.get("/predict?" + q, f.clinician));
  }

  @Provide
  Arbitrary<String> text() {
    return generators.jsonishText();
  }

  @Provide
  Arbitrary<JsonNode> records() {
    return generators.records();
  }

  @Provide
  Arbitrary<Map<String, List<String>>> queries() {
    return generators.queries();
  }
}
