package io.dxpipe.mlflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * MLflow's file-store layout under a local directory ({@code ./mlruns}), written without a server or
 * Python, in the layout MLflow 2.x's {@code FileStore} and {@code FileStore} model registry read:
 * {@code <exp>/meta.yaml}, {@code <exp>/<run>/meta.yaml} (status 1 running, 3 finished, 4 failed),
 * {@code metrics/<key>} lines of "timestamp value step", {@code params/<key>}, {@code tags/<key>},
 * {@code artifacts/...}, and {@code models/<name>/meta.yaml}, {@code version-<n>/meta.yaml},
 * {@code aliases/<alias>}. {@code mlflow ui --backend-store-uri ./mlruns} shows it (MLflow 3.x
 * needs {@code MLFLOW_ALLOW_FILE_STORE=true} or {@code mlflow migrate-filestore}).
 */
public final class FileStoreTracking implements Tracking {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int RUNNING = 1;
  private static final int FINISHED = 3;
  private static final int FAILED = 4;

  private final Path root;

  public FileStoreTracking(Path root) {
    this.root = root;
  }

  @Override
  public String describe() {
    return "MLflow file store " + root + " (mlflow ui --backend-store-uri " + root + ")";
  }

  @Override
  public synchronized String experiment(String name) {
    try {
      Files.createDirectories(root);
      if (!Files.exists(root.resolve("0/meta.yaml"))) {
        writeExperiment("0", "Default");
      }
      try (Stream<Path> dirs = Files.list(root)) {
        for (Path dir : dirs.filter(d -> Files.exists(d.resolve("meta.yaml"))).toList()) {
          if (name.equals(readYaml(dir.resolve("meta.yaml")).get("name"))) {
            return dir.getFileName().toString();
          }
        }
      }
      String id = Long.toString(ThreadLocalRandom.current().nextLong(100_000_000_000_000_000L, Long.MAX_VALUE));
      writeExperiment(id, name);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create experiment " + name + " in " + root, e);
    }
  }

  private void writeExperiment(String id, String name) throws IOException {
    long now = System.currentTimeMillis();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("artifact_location", uri(root.resolve(id)));
    meta.put("creation_time", now);
    meta.put("experiment_id", id);
    meta.put("last_update_time", now);
    meta.put("lifecycle_stage", "active");
    meta.put("name", name);
    writeYaml(root.resolve(id).resolve("meta.yaml"), meta);
  }

  @Override
  public String startRun(String experimentId, String name, String parentRunId, Map<String, String> tags) {
    String runId = UUID.randomUUID().toString().replace("-", "");
    Path dir = root.resolve(experimentId).resolve(runId);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("artifact_uri", uri(dir.resolve("artifacts")));
    meta.put("end_time", null);
    meta.put("entry_point_name", "");
    meta.put("experiment_id", experimentId);
    meta.put("lifecycle_stage", "active");
    meta.put("run_id", runId);
    meta.put("run_name", name);
    meta.put("run_uuid", runId);
    meta.put("source_name", "");
    meta.put("source_type", 4);
    meta.put("source_version", "");
    meta.put("start_time", System.currentTimeMillis());
    meta.put("status", RUNNING);
    meta.put("tags", List.of());
    meta.put("user_id", System.getProperty("user.name", "unknown"));
    write(dir.resolve("meta.yaml"), yaml(meta));
    try {
      Files.createDirectories(dir.resolve("artifacts"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir.resolve("artifacts"), e);
    }
    setTag(runId, RUN_NAME_TAG, name);
    if (parentRunId != null) {
      setTag(runId, PARENT_RUN_TAG, parentRunId);
    }
    tags.forEach((k, v) -> setTag(runId, k, v));
    return runId;
  }

  @Override
  public void logParams(String runId, Map<String, String> params) {
    params.forEach((k, v) -> write(runDir(runId).resolve("params").resolve(safe(k)), v));
  }

  @Override
  public void logMetric(String runId, String key, double value, long step) {
    if (!Double.isFinite(value)) {
      return;
    }
    Path file = runDir(runId).resolve("metrics").resolve(safe(key));
    String line = System.currentTimeMillis() + " " + value + " " + step + "\n";
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot log metric " + key, e);
    }
  }

  @Override
  public void setTag(String runId, String key, String value) {
    write(runDir(runId).resolve("tags").resolve(safe(key)), value);
  }

  @Override
  public void logArtifact(String runId, String path, byte[] content) {
    Path file = runDir(runId).resolve("artifacts").resolve(safe(path));
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write artifact " + file, e);
    }
  }

  @Override
  public String artifactUri(String runId) {
    return uri(runDir(runId).resolve("artifacts"));
  }

  @Override
  public void endRun(String runId, boolean finished) {
    Path meta = runDir(runId).resolve("meta.yaml");
    Map<String, String> raw = readRawYaml(meta);
    raw.put("end_time", Long.toString(System.currentTimeMillis()));
    raw.put("status", Integer.toString(finished ? FINISHED : FAILED));
    writeRawYaml(meta, raw);
  }

  @Override
  public Map<String, Double> metrics(String runId) {
    Map<String, Double> metrics = new TreeMap<>();
    Path dir = runDir(runId).resolve("metrics");
    for (Path f : files(dir)) {
      List<String> lines = read(f).lines().filter(l -> !l.isBlank()).toList();
      if (!lines.isEmpty()) {
        metrics.put(dir.relativize(f).toString().replace('\\', '/'),
            Double.parseDouble(lines.get(lines.size() - 1).split(" ")[1]));
      }
    }
    return metrics;
  }

  @Override
  public Map<String, String> tags(String runId) {
    Map<String, String> tags = new TreeMap<>();
    Path dir = runDir(runId).resolve("tags");
    for (Path f : files(dir)) {
      tags.put(dir.relativize(f).toString().replace('\\', '/'), read(f));
    }
    return tags;
  }

  @Override
  public synchronized int registerVersion(String model, String source, String runId, String description) {
    Path dir = modelDir(model);
    long now = System.currentTimeMillis();
    if (!Files.exists(dir.resolve("meta.yaml"))) {
      writeModelMeta(model, Map.of(), now, now);
    }
    int version = 1;
    try (Stream<Path> versions = Files.list(dir)) {
      version += versions.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("version-"))
          .mapToInt(n -> Integer.parseInt(n.substring("version-".length()))).max().orElse(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("aliases", List.of());
    meta.put("creation_timestamp", now);
    meta.put("current_stage", "None");
    meta.put("description", description);
    meta.put("last_updated_timestamp", now);
    meta.put("name", model);
    meta.put("run_id", runId);
    meta.put("run_link", null);
    meta.put("source", source);
    meta.put("status", "READY");
    meta.put("status_message", null);
    meta.put("storage_location", source);
    meta.put("user_id", null);
    meta.put("version", version);
    write(dir.resolve("version-" + version).resolve("meta.yaml"), yaml(meta));
    return version;
  }

  @Override
  public ModelVersion version(String model, int version) {
    Path meta = modelDir(model).resolve("version-" + version).resolve("meta.yaml");
    if (!Files.exists(meta)) {
      throw new IllegalArgumentException("model " + model + " has no version " + version + " in " + root);
    }
    Map<String, String> m = readYaml(meta);
    return new ModelVersion(model, version, m.get("source"), m.get("run_id"), m.getOrDefault("description", ""));
  }

  @Override
  public Optional<Integer> alias(String model, String alias) {
    Path file = modelDir(model).resolve("aliases").resolve(alias);
    return Files.exists(file) ? Optional.of(Integer.parseInt(read(file).trim())) : Optional.empty();
  }

  @Override
  public synchronized void setAlias(String model, String alias, int version) {
    version(model, version);
    write(modelDir(model).resolve("aliases").resolve(alias), Integer.toString(version));
    Map<String, Object> aliases = new TreeMap<>();
    for (Path f : files(modelDir(model).resolve("aliases"))) {
      aliases.put(f.getFileName().toString(), read(f).trim());
    }
    Map<String, String> meta = readYaml(modelDir(model).resolve("meta.yaml"));
    writeModelMeta(model, aliases, Long.parseLong(meta.get("creation_timestamp")), System.currentTimeMillis());
  }

  private void writeModelMeta(String model, Map<String, Object> aliases, long created, long updated) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("aliases", aliases);
    meta.put("creation_timestamp", created);
    meta.put("description", "");
    meta.put("last_updated_timestamp", updated);
    meta.put("name", model);
    write(modelDir(model).resolve("meta.yaml"), yaml(meta));
  }

  @Override
  public void describeVersion(String model, int version, String description) {
    Path meta = modelDir(model).resolve("version-" + version).resolve("meta.yaml");
    Map<String, String> raw = readRawYaml(meta);
    raw.put("description", quote(description));
    raw.put("last_updated_timestamp", Long.toString(System.currentTimeMillis()));
    writeRawYaml(meta, raw);
  }

  @Override
  public Path download(ModelVersion version, Path into) {
    return Path.of(java.net.URI.create(version.source()));
  }

  @Override
  public List<String> listArtifacts(String runId, String path) {
    Path dir = runDir(runId).resolve("artifacts").resolve(path);
    return files(dir).stream().map(f -> dir.relativize(f).toString().replace('\\', '/')).sorted().toList();
  }

  @Override
  public void close() {}

  // ---- layout helpers

  private Path runDir(String runId) {
    try (Stream<Path> experiments = Files.list(root)) {
      return experiments.map(e -> e.resolve(runId)).filter(Files::isDirectory).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no run " + runId + " in " + root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path modelDir(String model) {
    return root.resolve("models").resolve(model);
  }

  private static String safe(String relative) {
    if (relative.contains("..") || relative.startsWith("/")) {
      throw new IllegalArgumentException("not a relative MLflow path: " + relative);
    }
    return relative;
  }

  static String uri(Path path) {
    return "file://" + path.toAbsolutePath().normalize().toString().replace('\\', '/');
  }

  private static List<Path> files(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static void writeYaml(Path file, Map<String, Object> meta) {
    write(file, yaml(meta));
  }

  /** Flat YAML with one nested level (the aliases map); strings double-quoted (JSON is valid YAML). */
  static String yaml(Map<String, Object> meta) {
    StringBuilder out = new StringBuilder();
    meta.forEach((k, v) -> {
      out.append(k).append(':');
      if (v instanceof Map<?, ?> map) {
        if (map.isEmpty()) {
          out.append(" {}\n");
        } else {
          out.append('\n');
          map.forEach((mk, mv) -> out.append("  ").append(mk).append(": ").append(scalar(mv)).append('\n'));
        }
      } else if (v instanceof List<?> list) {
        out.append(list.isEmpty() ? " []\n" : " " + list + "\n");
      } else {
        out.append(' ').append(scalar(v)).append('\n');
      }
    });
    return out.toString();
  }

  private static String scalar(Object v) {
    return v == null ? "null" : v instanceof Number ? v.toString() : quote(v.toString());
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Top-level "key: value" lines, values as written (nested lines belong to the key above). */
  private static Map<String, String> readRawYaml(Path file) {
    Map<String, String> raw = new LinkedHashMap<>();
    String last = null;
    for (String line : read(file).lines().toList()) {
      if (line.startsWith(" ") && last != null) {
        raw.put(last, raw.get(last) + "\n" + line);
      } else if (line.contains(":")) {
        int colon = line.indexOf(':');
        last = line.substring(0, colon);
        raw.put(last, line.substring(colon + 1).trim());
      }
    }
    return raw;
  }

  /** Writes back what {@link #readRawYaml} read (values as YAML text). */
  private static void writeRawYaml(Path file, Map<String, String> raw) {
    StringBuilder out = new StringBuilder();
    raw.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
    write(file, out.toString());
  }

  /** Top-level values unquoted (double quotes as JSON, single quotes as YAML). */
  private static Map<String, String> readYaml(Path file) {
    Map<String, String> values = new LinkedHashMap<>();
    readRawYaml(file).forEach((k, v) -> {
      String value = v;
      if (v.startsWith("\"")) {
        try {
          value = JSON.readValue(v, String.class);
        } catch (IOException e) {
          throw new UncheckedIOException("bad value of " + k + " in " + file, e);
        }
      } else if (v.startsWith("'") && v.endsWith("'") && v.length() > 1) {
        value = v.substring(1, v.length() - 1).replace("''", "'");
      }
      values.put(k, value);
    });
    return values;
  }
}
