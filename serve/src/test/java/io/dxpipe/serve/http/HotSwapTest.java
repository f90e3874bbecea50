package io.dxpipe.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dxpipe.model.ModelLayout;
import io.dxpipe.testing.MemoryTracking;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The champion alias moving while four clients keep predicting: the service loads the new version,
 * gates it on its golden rows and swaps it in with no failed request; answers name version 1, then
 * version 2, never anything else. Then a version without golden rows: refused, version 2 keeps
 * serving, and /health, /metrics and the log say why. The registry is MLflow's in-memory stand-in
 * (the real server's alias calls are covered by the MLflow integration test and scripts/bench-serve.sh).
 */
class HotSwapTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "dxpipe-disease-classifier";
  private static final String RECORD = "{\"age\": 52, \"symptoms\": [\"fatigue\", \"cough\", {\"name\": \"high_fever\", "
      + "\"severity\": 2}], \"temperature_c\": 38.9}";

  @TempDir
  Path root;

  private static int register(MemoryTracking tracking, String path) {
    String run = tracking.startRun("exp", "train", null, Map.of());
    tracking.setTag(run, ModelLayout.MODEL_PATH_TAG, path);
    return tracking.registerVersion(MODEL, path, run, "test");
  }

  @Test
  void theAliasMovesUnderLoadWithoutAFailedRequestAndABadVersionIsRefused() throws Exception {
    MemoryTracking tracking = new MemoryTracking();
    String models = root.resolve("models").toUri().toString();
    int v1 = register(tracking, ServerFixture.model().save(models, "v1"));
    tracking.setAlias(MODEL, "champion", v1);
    try (ServerFixture f = ServerFixture.start(root, () -> tracking, null, "mlflow.registered-model=" + MODEL)) {
      assertThat(JSON.readTree(f.get("/health", null).body()).get("model").get("version").asInt()).isEqualTo(1);
      int v2 = register(tracking, ServerFixture.model().save(models, "v2"));

      Map<Integer, AtomicInteger> byVersion = new ConcurrentHashMap<>();
      List<String> failures = new CopyOnWriteArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger sent = new AtomicInteger();
      ExecutorService clients = Executors.newFixedThreadPool(4);
      for (int c = 0; c < 4; c++) {
        clients.submit(() -> {
          while (!stop.get()) {
            HttpResponse<String> r = f.post("/v1/predict", f.clinician, "application/json", RECORD);
            sent.incrementAndGet();
            if (r.statusCode() != 200) {
              failures.add(r.statusCode() + " " + r.body());
              continue;
            }
            try {
              byVersion.computeIfAbsent(JSON.readTree(r.body()).get("model").get("version").asInt(),
                  v -> new AtomicInteger()).incrementAndGet();
            } catch (Exception e) {
              failures.add(e.toString());
            }
          }
          return null;
        });
      }
      Thread.sleep(1500);
      tracking.setAlias(MODEL, "champion", v2);
      HttpResponse<String> reload = f.post("/admin/reload", f.admin, null, "");
      assertThat(reload.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(reload.body()).get("outcome").asText()).startsWith("swapped from");
      Thread.sleep(1500);
      stop.set(true);
      clients.shutdown();
      assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

      assertThat(failures).as("failed requests during the swap").isEmpty();
      assertThat(new TreeMap<>(byVersion).keySet()).containsExactly(1, 2);
      assertThat(byVersion.get(1).get() + byVersion.get(2).get()).isEqualTo(sent.get());
      assertThat(f.get("/metrics", f.monitor).body()).contains("dxpipe_serve_model_swaps_total 1",
          "dxpipe_serve_model_version 2");

      // a version the gate refuses: no golden rows beside it
      String bare = ModelLayout.sparkModel(ModelLayout.folder(models, "v3"));
      ServerFixture.model().model().write().overwrite().save(bare);
      int v3 = register(tracking, bare);
      tracking.setAlias(MODEL, "champion", v3);
      JsonNode refused = JSON.readTree(f.post("/admin/reload", f.admin, null, "").body());
      assertThat(refused.get("error").asText()).contains("has no golden rows");
      assertThat(refused.get("model").get("version").asInt()).isEqualTo(2);
      JsonNode health = JSON.readTree(f.get("/health", null).body());
      assertThat(health.get("status").asText()).isEqualTo("degraded");
      assertThat(health.get("model").get("version").asInt()).isEqualTo(2);
      assertThat(health.get("last_check").get("error").asText()).contains("version 3", "golden rows");
      assertThat(f.post("/v1/predict", f.clinician, "application/json", RECORD).statusCode()).isEqualTo(200);
      assertThat(f.get("/metrics", f.monitor).body()).contains("dxpipe_serve_models_refused_total 1");
      assertThat(f.log()).contains("model version 3 not served", "still serving " + MODEL + " version 2");
    }
  }
}
