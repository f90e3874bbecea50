package io.dxpipe.mlflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the jobs need from MLflow: runs (nested through the {@code mlflow.parentRunId} tag), params,
 * metrics with steps, tags, artifacts, and the model registry with aliases. {@link RestTracking} is
 * the implementation: a tracking server (locally the one {@code scripts/run-local.sh} starts, SQLite
 * backend and artifact proxy) or Databricks.
 */
public interface Tracking extends AutoCloseable {
  String PARENT_RUN_TAG = "mlflow.parentRunId";
  String RUN_NAME_TAG = "mlflow.runName";

  /** A registered model version: where its files are and which run made it. */
  record ModelVersion(String model, int version, String source, String runId, String description) {}

  /** The tracking server or Databricks workspace the settings name; fails, naming the fix, when they name none. */
  static Tracking open(MlflowSettings settings, org.apache.hadoop.conf.Configuration hadoop) {
    if (settings.trackingUri().isBlank()) {
      throw new IllegalStateException("dxpipe.mlflow.tracking-uri is empty, so there is no MLflow to log to: "
          + MlflowSettings.HOW_TO_TRACK);
    }
    return new RestTracking(settings.trackingUri(), hadoop);
  }

  /** Where runs go, for messages ("MLflow at http://127.0.0.1:5000"). */
  String describe();

  /** The id of the named experiment, created when missing. */
  String experiment(String name);

  /** Starts a run; {@code parentRunId} may be null. */
  String startRun(String experimentId, String name, String parentRunId, Map<String, String> tags);

  void logParams(String runId, Map<String, String> params);

  /** Logs one metric value at a step; NaN and infinite values are skipped (MLflow cannot chart them). */
  void logMetric(String runId, String key, double value, long step);

  default void logMetrics(String runId, String prefix, Map<String, Double> metrics) {
    logMetrics(runId, prefix, metrics, 0);
  }

  /** Several metrics at one step (a tracking server gets them in batches, not one request each). */
  default void logMetrics(String runId, String prefix, Map<String, Double> metrics, long step) {
    metrics.forEach((k, v) -> logMetric(runId, prefix + k, v, step));
  }

  void setTag(String runId, String key, String value);

  /** Writes one artifact file at {@code path} (relative, '/'-separated) under the run's artifacts. */
  void logArtifact(String runId, String path, byte[] content);

  /** Uploads every file under a local directory to {@code path}/... (Hadoop .crc files skipped). */
  default void logArtifacts(String runId, String path, Path localDir) {
    try (Stream<Path> files = Files.walk(localDir)) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".crc"))
          .sorted().toList()) {
        String relative = localDir.relativize(f).toString().replace('\\', '/');
        logArtifact(runId, path + "/" + relative, Files.readAllBytes(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot upload " + localDir + " as artifact " + path, e);
    }
  }

  /** The run's artifact root URI (mlflow-artifacts:, dbfs:, a storage path). */
  String artifactUri(String runId);

  /** Ends the run as FINISHED or FAILED. */
  void endRun(String runId, boolean finished);

  /** The latest value of each metric of a run. */
  Map<String, Double> metrics(String runId);

  Map<String, String> tags(String runId);

  /** Adds a version to the registered model (created when missing); returns its number. */
  int registerVersion(String model, String source, String runId, String description);

  ModelVersion version(String model, int version);

  /** The version an alias points to, if the model and alias exist. */
  Optional<Integer> alias(String model, String alias);

  void setAlias(String model, String alias, int version);

  void describeVersion(String model, int version, String description);

  /** Copies a model version's files to a local directory (for loading its Spark model); returns it. */
  Path download(ModelVersion version, Path into);

  /** The artifact files under a path of a run, relative to it (for tests and downloads). */
  List<String> listArtifacts(String runId, String path);

  @Override
  void close();
}
