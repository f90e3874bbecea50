package io.dxpipe.testing;

import io.dxpipe.mlflow.Tracking;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs, metrics, tags and artifacts kept in memory, for in-process tests of stages that log to MLflow
 * (a real tracking server is Python; the integration tests start one). The registry keeps versions
 * and aliases; it describes and downloads nothing.
 */
public final class MemoryTracking implements Tracking {
  /** One run as the stage left it. */
  public record Run(String experiment, String name, Map<String, String> tags, Map<String, Double> metrics,
      Map<String, byte[]> artifacts, List<Boolean> ended) {}

  private final Map<String, Run> runs = new ConcurrentHashMap<>();
  private final Map<String, List<ModelVersion>> registry = new TreeMap<>();
  private final Map<String, Integer> aliases = new TreeMap<>();

  public Map<String, Run> runs() {
    return runs;
  }

  private Run run(String runId) {
    Run run = runs.get(runId);
    if (run == null) {
      throw new IllegalArgumentException("no run " + runId);
    }
    return run;
  }

  // Runs

  @Override
  public String describe() {
    return "MLflow in memory";
  }

  @Override
  public String experiment(String name) {
    return "exp-" + name;
  }

  @Override
  public String startRun(String experimentId, String name, String parentRunId, Map<String, String> tags) {
    String id = "run" + runs.size();
    Map<String, String> all = new TreeMap<>(tags);
    all.put(RUN_NAME_TAG, name);
    if (parentRunId != null) {
      all.put(PARENT_RUN_TAG, parentRunId);
    }
    runs.put(id, new Run(experimentId, name, all, new TreeMap<>(), new TreeMap<>(), new ArrayList<>()));
    return id;
  }

  @Override
  public void logParams(String runId, Map<String, String> params) {
    params.forEach((k, v) -> run(runId).tags().put("param." + k, v));
  }

  @Override
  public void logMetric(String runId, String key, double value, long step) {
    if (Double.isFinite(value)) {
      run(runId).metrics().put(key, value);
    }
  }

  @Override
  public void setTag(String runId, String key, String value) {
    run(runId).tags().put(key, value);
  }

  @Override
  public void endRun(String runId, boolean finished) {
    run(runId).ended().add(finished);
  }

  @Override
  public Map<String, Double> metrics(String runId) {
    return Map.copyOf(run(runId).metrics());
  }

  @Override
  public Map<String, String> tags(String runId) {
    return Map.copyOf(run(runId).tags());
  }

  // Artifacts

  @Override
  public void logArtifact(String runId, String path, byte[] content) {
    run(runId).artifacts().put(path, content.clone());
  }

  @Override
  public String artifactUri(String runId) {
    return "memory:/" + runId + "/artifacts";
  }

  @Override
  public List<String> listArtifacts(String runId, String path) {
    String prefix = path.isEmpty() ? "" : path + "/";
    return run(runId).artifacts().keySet().stream().filter(p -> p.startsWith(prefix))
        .map(p -> p.substring(prefix.length())).sorted().toList();
  }

  // ModelRegistry: versions and aliases only

  @Override
  public synchronized int registerVersion(String model, String source, String runId, String description) {
    List<ModelVersion> versions = registry.computeIfAbsent(model, m -> new ArrayList<>());
    versions.add(new ModelVersion(model, versions.size() + 1, source, runId, description));
    return versions.size();
  }

  @Override
  public synchronized ModelVersion version(String model, int version) {
    List<ModelVersion> versions = registry.getOrDefault(model, List.of());
    if (version < 1 || version > versions.size()) {
      throw new IllegalArgumentException("no version " + version + " of " + model);
    }
    return versions.get(version - 1);
  }

  @Override
  public synchronized Optional<Integer> alias(String model, String alias) {
    return Optional.ofNullable(aliases.get(model + "@" + alias));
  }

  @Override
  public synchronized void setAlias(String model, String alias, int version) {
    version(model, version);
    aliases.put(model + "@" + alias, version);
  }

  @Override
  public void describeVersion(String model, int version, String description) {
    throw new UnsupportedOperationException("MemoryTracking keeps no model descriptions or files");
  }

  @Override
  public Path download(ModelVersion version, Path into) {
    throw new UnsupportedOperationException("MemoryTracking keeps no model descriptions or files");
  }

  @Override
  public void close() {}
}
