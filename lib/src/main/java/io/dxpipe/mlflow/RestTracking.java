package io.dxpipe.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dxpipe.config.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;

/**
 * MLflow over REST through {@code org.mlflow:mlflow-client}: an MLflow tracking server
 * ({@code http(s)://...}) or Databricks ({@code databricks}). The client has no alias calls and
 * uploads artifacts by shelling out to Python, so both are done here instead:
 * <ul>
 *   <li>registry calls go to the REST endpoints ({@code registered-models/alias} etc.) through the
 *       client's {@code sendGet/sendPost/sendPatch};</li>
 *   <li>artifacts of a run whose artifact URI is {@code mlflow-artifacts:/...} are PUT to the
 *       server's artifact proxy ({@code /api/2.0/mlflow-artifacts/artifacts/...}, a server started
 *       with {@code --serve-artifacts}); any other URI ({@code dbfs:/} on Databricks, a storage
 *       path) is written through Hadoop's FileSystem, which Databricks clusters mount for dbfs:.</li>
 * </ul>
 * A server's credentials come from {@code MLFLOW_TRACKING_TOKEN} or {@code MLFLOW_TRACKING_USERNAME}
 * / {@code MLFLOW_TRACKING_PASSWORD} when set.
 */
public final class RestTracking implements Tracking {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String trackingUri;
  private final MlflowClient client;
  private final Configuration hadoop;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();
  private final Map<String, String> artifactUris = new ConcurrentHashMap<>();

  public RestTracking(String trackingUri, Configuration hadoop) {
    this.trackingUri = trackingUri.replaceAll("/+$", "");
    this.client = new MlflowClient(this.trackingUri);
    this.hadoop = hadoop;
  }

  // Runs

  @Override
  public String describe() {
    return "MLflow at " + Secrets.mask(trackingUri); // user:password@ in the URI is printed masked
  }

  @Override
  public String experiment(String name) {
    try {
      // a search, not getExperimentByName: for a new experiment that answers 404, which mlflow-client
      // retries twice with the warning "404 (Rate limit exceeded)"
      java.util.Optional<Service.Experiment> found = name.contains("'") ? client.getExperimentByName(name)
          : client.searchExperiments("name = '" + name + "'", Service.ViewType.ALL, 1, List.of()).getItems().stream()
              .filter(e -> e.getName().equals(name)).findFirst();
      return found.map(Service.Experiment::getExperimentId).orElseGet(() -> client.createExperiment(name));
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot reach MLflow at " + Secrets.mask(trackingUri) + " to get experiment "
          + name + " (is the server running? scripts/mlflow-server.sh start): " + e.getMessage(), e);
    }
  }

  @Override
  public String startRun(String experimentId, String name, String parentRunId, Map<String, String> tags) {
    Service.CreateRun.Builder request = Service.CreateRun.newBuilder().setExperimentId(experimentId).setRunName(name)
        .setStartTime(System.currentTimeMillis());
    request.addTags(tag(RUN_NAME_TAG, name));
    if (parentRunId != null) {
      request.addTags(tag(PARENT_RUN_TAG, parentRunId));
    }
    tags.forEach((k, v) -> request.addTags(tag(k, v)));
    Service.RunInfo info = client.createRun(request.build());
    artifactUris.put(info.getRunId(), info.getArtifactUri());
    return info.getRunId();
  }

  private static Service.RunTag tag(String key, String value) {
    return Service.RunTag.newBuilder().setKey(key).setValue(value).build();
  }

  @Override
  public void logParams(String runId, Map<String, String> params) {
    List<Service.Param> batch = new ArrayList<>();
    params.forEach((k, v) -> batch.add(Service.Param.newBuilder().setKey(k).setValue(v).build()));
    for (int i = 0; i < batch.size(); i += 100) { // the REST API takes at most 100 params per batch
      client.logBatch(runId, List.of(), batch.subList(i, Math.min(batch.size(), i + 100)), List.of());
    }
  }

  @Override
  public void logMetrics(String runId, String prefix, Map<String, Double> metrics, long step) {
    long now = System.currentTimeMillis();
    List<Service.Metric> batch = new ArrayList<>();
    metrics.forEach((k, v) -> {
      if (Double.isFinite(v)) {
        batch.add(Service.Metric.newBuilder().setKey(prefix + k).setValue(v).setTimestamp(now).setStep(step).build());
      }
    });
    for (int i = 0; i < batch.size(); i += 1000) { // the REST API takes at most 1000 metrics per batch
      client.logBatch(runId, batch.subList(i, Math.min(batch.size(), i + 1000)), List.of(), List.of());
    }
  }

  @Override
  public void logMetric(String runId, String key, double value, long step) {
    if (Double.isFinite(value)) {
      client.logMetric(runId, key, value, System.currentTimeMillis(), step);
    }
  }

  @Override
  public void setTag(String runId, String key, String value) {
    client.setTag(runId, key, value);
  }

  @Override
  public void endRun(String runId, boolean finished) {
    client.setTerminated(runId, finished ? Service.RunStatus.FINISHED : Service.RunStatus.FAILED);
  }

  @Override
  public Map<String, Double> metrics(String runId) {
    Map<String, Double> metrics = new TreeMap<>();
    client.getRun(runId).getData().getMetricsList().forEach(m -> metrics.put(m.getKey(), m.getValue()));
    return metrics;
  }

  @Override
  public Map<String, String> tags(String runId) {
    Map<String, String> tags = new TreeMap<>();
    client.getRun(runId).getData().getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
    return tags;
  }

  // Artifacts

  @Override
  public void logArtifact(String runId, String path, byte[] content) {
    String root = artifactUri(runId);
    if (root.startsWith("mlflow-artifacts:")) {
      URI target = URI.create(trackingUri + "/api/2.0/mlflow-artifacts/artifacts/" + proxiedPath(root) + "/"
          + encodePath(path));
      send(HttpRequest.newBuilder(target).PUT(HttpRequest.BodyPublishers.ofByteArray(content)), "upload " + path);
      return;
    }
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(root + "/" + path);
    try {
      FileSystem fs = file.getFileSystem(hadoop);
      try (FSDataOutputStream out = fs.create(file, true)) {
        out.write(content);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write artifact " + file, e);
    }
  }

  /** "mlflow-artifacts:/1/abc/artifacts" or "mlflow-artifacts://host:port/1/abc/artifacts" -> "1/abc/artifacts". */
  static String proxiedPath(String uri) {
    String rest = uri.substring("mlflow-artifacts:".length());
    if (rest.startsWith("//")) {
      int slash = rest.indexOf('/', 2);
      rest = slash < 0 ? "" : rest.substring(slash);
    }
    return rest.replaceAll("^/+", "").replaceAll("/+$", "");
  }

  private static String encodePath(String path) {
    return String.join("/", java.util.Arrays.stream(path.split("/"))
        .map(p -> URLEncoder.encode(p, StandardCharsets.UTF_8).replace("+", "%20")).toList());
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder request, String what) {
    String token = System.getenv("MLFLOW_TRACKING_TOKEN");
    String user = System.getenv("MLFLOW_TRACKING_USERNAME");
    if (token != null && !token.isBlank()) {
      request.header("Authorization", "Bearer " + token);
    } else if (user != null && !user.isBlank()) {
      String pair = user + ":" + Optional.ofNullable(System.getenv("MLFLOW_TRACKING_PASSWORD")).orElse("");
      request.header("Authorization", "Basic "
          + java.util.Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    try {
      HttpResponse<byte[]> response = http.send(request.timeout(Duration.ofMinutes(5)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException("MLflow artifact proxy refused to " + what + ": HTTP " + response.statusCode()
            + " " + new String(response.body(), StandardCharsets.UTF_8)
            + " (the server needs --serve-artifacts)");
      }
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot " + what + " at " + Secrets.mask(trackingUri), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    }
  }

  @Override
  public String artifactUri(String runId) {
    return artifactUris.computeIfAbsent(runId, id -> client.getRun(id).getInfo().getArtifactUri());
  }

  @Override
  public List<String> listArtifacts(String runId, String path) {
    List<String> files = new ArrayList<>();
    collect(runId, path, path, files);
    return files;
  }

  /**
   * Lists through the tracking server's REST endpoint ({@code artifacts/list}): the client's own
   * listArtifacts shells out to Python for any store that is not a local path (mlflow-artifacts:, dbfs:).
   */
  private void collect(String runId, String base, String path, List<String> files) {
    JsonNode listing = parse(client.sendGet("artifacts/list?run_id=" + enc(runId) + "&path=" + enc(path)));
    for (JsonNode f : listing.path("files")) {
      String file = f.path("path").asText();
      if (f.path("is_dir").asBoolean()) {
        collect(runId, base, file, files);
      } else {
        files.add(file.substring(base.length() + 1));
      }
    }
  }

  // ModelRegistry

  @Override
  public int registerVersion(String model, String source, String runId, String description) {
    if (registeredModel(model).isEmpty()) {
      client.sendPost("registered-models/create", json(Map.of("name", model)));
    }
    JsonNode created = parse(client.sendPost("model-versions/create",
        json(Map.of("name", model, "source", source, "run_id", runId, "description", description))));
    int version = created.path("model_version").path("version").asInt();
    // Databricks registers asynchronously: wait until the version is READY before using it
    for (int i = 0; i < 120; i++) {
      String status = versionNode(model, version).path("status").asText("READY");
      if (status.equals("READY")) {
        return version;
      }
      if (status.equals("FAILED_REGISTRATION")) {
        throw new IllegalStateException("MLflow failed to register version " + version + " of " + model);
      }
      sleep(1000);
    }
    throw new IllegalStateException("version " + version + " of " + model + " is not READY after 2 minutes");
  }

  private JsonNode versionNode(String model, int version) {
    return parse(client.sendGet("model-versions/get?name=" + enc(model) + "&version=" + version))
        .path("model_version");
  }

  @Override
  public ModelVersion version(String model, int version) {
    JsonNode v = versionNode(model, version);
    return new ModelVersion(model, version, v.path("source").asText(), v.path("run_id").asText(),
        v.path("description").asText(""));
  }

  @Override
  public Optional<Integer> alias(String model, String alias) {
    // read from the registered model's alias list: registered-models/alias answers a missing alias
    // with an error, which the client retries
    Optional<JsonNode> registered = registeredModel(model);
    if (registered.isEmpty()) {
      return Optional.empty();
    }
    for (JsonNode a : registered.get().path("aliases")) {
      if (alias.equals(a.path("alias").asText())) {
        return Optional.of(a.path("version").asInt());
      }
    }
    return Optional.empty();
  }

  /**
   * The registered model, or empty when it does not exist yet. (The client retries every error
   * answer as if rate-limited, so existence is asked once instead of provoking errors.)
   */
  private Optional<JsonNode> registeredModel(String model) {
    try {
      return Optional.of(parse(client.sendGet("registered-models/get?name=" + enc(model))).path("registered_model"));
    } catch (MlflowHttpException e) {
      if (e.getStatusCode() == 404 || String.valueOf(e.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public void setAlias(String model, String alias, int version) {
    client.sendPost("registered-models/alias",
        json(Map.of("name", model, "alias", alias, "version", Integer.toString(version))));
  }

  @Override
  public void describeVersion(String model, int version, String description) {
    client.sendPatch("model-versions/update",
        json(Map.of("name", model, "version", Integer.toString(version), "description", description)));
  }

  @Override
  public Path download(ModelVersion version, Path into) {
    try {
      Files.createDirectories(into);
      String source = version.source();
      String runRoot = artifactUri(version.runId());
      if (!source.startsWith(runRoot + "/")) {
        throw new IllegalStateException("version " + version.version() + " of " + version.model() + " has source "
            + source + " outside its run's artifacts " + runRoot);
      }
      String path = source.substring(runRoot.length() + 1);
      for (String file : listArtifacts(version.runId(), path)) {
        Path target = into.resolve(file);
        Files.createDirectories(target.getParent());
        Files.write(target, readArtifact(version.runId(), path + "/" + file));
      }
      return into;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot download model version " + version.version() + " to " + into, e);
    }
  }

  private byte[] readArtifact(String runId, String path) throws IOException {
    String root = artifactUri(runId);
    if (root.startsWith("mlflow-artifacts:")) {
      return send(HttpRequest.newBuilder(URI.create(trackingUri + "/api/2.0/mlflow-artifacts/artifacts/"
          + proxiedPath(root) + "/" + encodePath(path))).GET(), "download " + path).body();
    }
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(root + "/" + path);
    try (var in = file.getFileSystem(hadoop).open(file)) {
      return in.readAllBytes();
    }
  }

  @Override
  public void close() {
    client.close();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String json(Map<String, String> body) {
    ObjectNode node = JSON.createObjectNode();
    body.forEach(node::put);
    return node.toString();
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("MLflow answered with something that is not JSON: " + body, e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
