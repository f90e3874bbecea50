package io.dxpipe.serve.http;

import io.dxpipe.config.Settings;
import io.dxpipe.mlflow.Tracking;
import io.dxpipe.testing.ServingFixture;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * A real {@link PredictionServer} on a loopback port for the serve module's tests: the model of
 * {@link ServingFixture} (fitted once per test JVM) saved under the test's folder with its golden
 * rows, a tokens file with one token per role, the audit spool and tables under the same folder.
 */
final class ServerFixture implements AutoCloseable {
  static final SparkSession SPARK = SharedSpark.session();
  private static ServingFixture.Fixture model;

  final Path root;
  final String modelPath;
  final String clinician = Tokens.newToken();
  final String admin = Tokens.newToken();
  final String monitor = Tokens.newToken();
  final ByteArrayOutputStream log = new ByteArrayOutputStream();
  final Settings settings;
  final ServeSettings serve;
  final PredictionServer server;
  final int port;
  final String scheme;
  private final HttpClient http;

  static synchronized ServingFixture.Fixture model() {
    if (model == null) {
      model = ServingFixture.fit(SPARK, TestSettings.load("generate.mode=historical", "generate.records=800",
          "generate.date=2026-03-01", "generate.records-per-partition=800"));
    }
    return model;
  }

  static ServerFixture start(Path root, String... overrides) {
    return start(root, null, null, overrides);
  }

  /**
   * @param registry the registry the lifecycle polls (null: none; the model is served by path)
   * @param client the HTTP client (null: a plain one)
   */
  static ServerFixture start(Path root, Supplier<Tracking> registry, HttpClient client, String... overrides) {
    return new ServerFixture(root, registry, client, overrides);
  }

  private ServerFixture(Path root, Supplier<Tracking> registry, HttpClient client, String... overrides) {
    this.root = root;
    this.modelPath = model().save(root.resolve("models").toUri().toString(), "served");
    Path tokens = root.resolve("tokens");
    try {
      Files.writeString(tokens, String.join("\n", "# test tokens", Tokens.hashLine(clinician, "clinician", "ward-7"),
          Tokens.hashLine(admin, "admin", "ops"), Tokens.hashLine(monitor, "monitor", "prometheus")) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> o = new ArrayList<>(List.of("storage.root=file:" + root, "serve.port=0",
        "serve.tokens-file=\"" + tokens + "\"", "serve.tokens-env=\"\"",
        "serve.model.path=\"" + (registry == null ? modelPath : "") + "\"", "serve.poll-seconds=0",
        "serve.audit.spool-dir=\"" + root.resolve("spool") + "\"", "serve.audit.flush-seconds=1",
        "serve.max-records=" + MalformedBodiesTest.MAX_RECORDS, "mlflow.tracking-uri=\"http://127.0.0.1:1\""));
    o.addAll(List.of(overrides));
    this.settings = TestSettings.load(o.toArray(String[]::new));
    this.serve = ServeSettings.from(settings);
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    this.server = registry == null ? new PredictionServer(serve, SPARK, out)
        : new PredictionServer(serve, SPARK, out, registry);
    this.port = server.start();
    this.scheme = serve.tls() ? "https" : "http";
    this.http = client != null ? client : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  URI uri(String path) {
    return URI.create(scheme + "://127.0.0.1:" + port + path);
  }

  HttpResponse<String> get(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b.build());
  }

  HttpResponse<String> post(String path, String token, String contentType, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b.build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String log() {
    return log.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.close();
  }
}
