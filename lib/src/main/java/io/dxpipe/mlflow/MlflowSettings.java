package io.dxpipe.mlflow;

import com.typesafe.config.Config;
import io.dxpipe.config.Keys;

/**
 * Settings of MLflow tracking ({@code dxpipe.mlflow}). The tracking URI is a tracking server
 * ({@code http(s)://}) or {@code databricks}; it may be empty for a job that does not talk to MLflow
 * (scoring a model by path), and {@link Tracking#open} then says how to get one. {@code file:} (MLflow's
 * file store) is refused at load: MLflow 3 no longer opens that store without an opt-in flag.
 */
public record MlflowSettings(String trackingUri, String experiment, String registeredModel) {
  /** What to do when no tracking server is named: the fix that error messages give. */
  static final String HOW_TO_TRACK = "run the jobs through scripts/run-local.sh (it starts a local MLflow server "
      + "with a SQLite store under the storage root), or set MLFLOW_TRACKING_URI / dxpipe.mlflow.tracking-uri to a "
      + "tracking server (scripts/mlflow-server.sh start: http://127.0.0.1:5055) or databricks";

  public static MlflowSettings from(Config dxpipe) {
    Keys keys = new Keys(dxpipe, "mlflow");
    String uri = keys.string("tracking-uri").trim();
    if (uri.startsWith("file:")) {
      throw keys.invalid("tracking-uri", "is '" + uri + "', MLflow's file store, which dxpipe no longer writes "
          + "(MLflow 3 refuses to open it): " + HOW_TO_TRACK);
    }
    if (!uri.isEmpty() && !uri.startsWith("http://") && !uri.startsWith("https://") && !uri.startsWith("databricks")) {
      throw keys.invalid("tracking-uri", "must be http(s)://host:port or databricks[://profile] but is '" + uri + "'");
    }
    return new MlflowSettings(uri, keys.nonEmptyString("experiment"), keys.nonEmptyString("registered-model"));
  }

  /** The settings of a job that logs to MLflow: an empty tracking URI fails at start-up, naming the fix. */
  public static MlflowSettings requiringTracking(Config dxpipe) {
    MlflowSettings settings = from(dxpipe);
    if (settings.trackingUri().isEmpty()) {
      throw new Keys(dxpipe, "mlflow").invalid("tracking-uri", "is empty, so there is no MLflow to log to: "
          + HOW_TO_TRACK);
    }
    return settings;
  }
}
