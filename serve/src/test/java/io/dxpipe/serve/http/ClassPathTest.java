package io.dxpipe.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.testing.SharedSpark;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Spark (javax servlet classes, Jetty 9 shaded) and Javalin (Jetty 12, jakarta servlet classes) in one
 * JVM: the serve module's class path, which a dependency change can break without a compile error.
 */
class ClassPathTest {
  @Test
  void sparkAndJavalinRunInOneJvm() throws Exception {
    SharedSpark.session().range(3).count();
    Javalin app = Javalin.create(c -> c.routes.get("/ping", ctx -> ctx.result("ok"))).start("127.0.0.1", 0);
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/ping")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).isEqualTo("ok");
    } finally {
      app.stop();
    }
  }
}
