package io.dxpipe.mlflow;

/**
 * What the jobs need from MLflow, as one connection: {@link Runs} (params, metrics, tags),
 * {@link Artifacts} and the {@link ModelRegistry}. Code that needs one part takes that interface;
 * a stage opens a {@code Tracking} and passes it. {@link RestTracking} is the implementation: a
 * tracking server (locally the one {@code scripts/run-local.sh} starts, SQLite backend and
 * artifact proxy) or Databricks.
 */
public interface Tracking extends Runs, Artifacts, ModelRegistry, AutoCloseable {

  /** The tracking server or Databricks workspace the settings name; fails, naming the fix, when they name none. */
  static Tracking open(MlflowSettings settings, org.apache.hadoop.conf.Configuration hadoop) {
    if (settings.trackingUri().isBlank()) {
      throw new IllegalStateException("dxpipe.mlflow.tracking-uri is empty, so there is no MLflow to log to: "
          + MlflowSettings.HOW_TO_TRACK);
    }
    return new RestTracking(settings.trackingUri(), hadoop);
  }

  /** Where runs, artifacts and the registry are, for messages ("MLflow at http://127.0.0.1:5000"). */
  @Override
  String describe();

  @Override
  void close();
}
