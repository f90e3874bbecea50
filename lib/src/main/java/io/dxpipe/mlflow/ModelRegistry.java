package io.dxpipe.mlflow;

import java.nio.file.Path;
import java.util.Optional;

/** The MLflow model registry: registered models, their versions and aliases (champion, challenger). */
public interface ModelRegistry {

  /** A registered model version: where its files are and which run made it. */
  record ModelVersion(String model, int version, String source, String runId, String description) {}

  /** Where the registry is, for messages ("MLflow at http://127.0.0.1:5000"). */
  String describe();

  /** Adds a version to the registered model (created when missing); returns its number. */
  int registerVersion(String model, String source, String runId, String description);

  ModelVersion version(String model, int version);

  /** The version an alias points to, if the model and alias exist. */
  Optional<Integer> alias(String model, String alias);

  void setAlias(String model, String alias, int version);

  void describeVersion(String model, int version, String description);

  /** Copies a model version's files to a local directory (for loading its Spark model); returns it. */
  Path download(ModelVersion version, Path into);
}
