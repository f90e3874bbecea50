package io.dxpipe.mlflow;

import com.typesafe.config.Config;
import io.dxpipe.config.Keys;

/** Settings of MLflow tracking ({@code dxpipe.mlflow}). */
public record MlflowSettings(String trackingUri, String localStore, String experiment, String registeredModel) {

  public static MlflowSettings from(Config dxpipe) {
    Keys keys = new Keys(dxpipe, "mlflow");
    String uri = keys.string("tracking-uri").trim();
    if (!uri.isEmpty() && !uri.startsWith("file:") && !uri.startsWith("http://") && !uri.startsWith("https://")
        && !uri.startsWith("databricks")) {
      throw keys.invalid("tracking-uri", "must be empty (local file store), file:/path, http(s)://host:port or "
          + "databricks[://profile] but is '" + uri + "'");
    }
    return new MlflowSettings(uri, keys.nonEmptyString("local-store"), keys.nonEmptyString("experiment"),
        keys.nonEmptyString("registered-model"));
  }
}
