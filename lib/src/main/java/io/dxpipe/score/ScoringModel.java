package io.dxpipe.score;

import io.dxpipe.mlflow.MlflowSettings;
import io.dxpipe.mlflow.Tracking;
import io.dxpipe.model.ModelLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.CountVectorizerModel;
import org.apache.spark.ml.feature.IndexToString;

/**
 * The model a score run applies: the training job's {@link PipelineModel} (feature stages,
 * classifier, index-to-code stage), where it came from, the disease codes it predicts (in the
 * classifier's index order) and the symptom codes its features know.
 *
 * @param version the registry version, or null when loaded from a path
 * @param uri the PipelineModel folder; the training baseline for the monitor lies beside it
 *     ({@link ModelLayout})
 */
public record ScoringModel(PipelineModel model, String name, Integer version, String runId, String uri,
    List<String> labels, List<String> symptomVocabulary) {

  /** Loads the model the settings name: by path, by registry version, or by alias. */
  public static ScoringModel resolve(ScoreSettings score, MlflowSettings mlflow,
      org.apache.hadoop.conf.Configuration hadoop) {
    return resolve(score.modelPath(), score.modelVersion(), score.modelAlias(), "dxpipe.score", mlflow, hadoop);
  }

  /**
   * Loads a model by path (when not empty), else by registry version (when above 0), else by alias.
   *
   * @param keys the settings' section, for messages ({@code dxpipe.score})
   */
  public static ScoringModel resolve(String modelPath, int modelVersion, String modelAlias, String keys,
      MlflowSettings mlflow, org.apache.hadoop.conf.Configuration hadoop) {
    if (!modelPath.isEmpty()) {
      return of(PipelineModel.load(modelPath), "path", null, null, modelPath);
    }
    try (Tracking tracking = Tracking.open(mlflow, hadoop)) {
      return resolve(tracking, mlflow.registeredModel(), modelVersion, modelAlias, keys);
    }
  }

  /** Loads registered model {@code name} by version (above 0) or alias from an open registry. */
  public static ScoringModel resolve(Tracking tracking, String name, int modelVersion, String modelAlias, String keys) {
    int version = modelVersion > 0 ? modelVersion : aliasVersion(tracking, name, modelAlias, keys);
    Tracking.ModelVersion mv = tracking.version(name, version);
    String path = tracking.tags(mv.runId()).get(ModelLayout.MODEL_PATH_TAG);
    if (path == null) { // not trained by this project's train job: use the registered files (driver-local)
      try {
        Path local = tracking.download(mv, Files.createTempDirectory("dxpipe-score-model-"));
        path = local.resolve(ModelLayout.SPARK_MODEL_DIR).toUri().toString();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return of(PipelineModel.load(path), name, version, mv.runId(), path);
  }

  /** The version the alias points at, or a message saying how to get one. */
  static int aliasVersion(Tracking tracking, String name, String alias, String keys) {
    return tracking.alias(name, alias).orElseThrow(() -> new IllegalStateException("no version of "
        + name + " has the alias '" + alias + "' in " + tracking.describe() + ": run the train and "
        + "validate jobs first (validate gives the alias champion), or set " + keys + ".model.version or "
        + keys + ".model.path"));
  }

  static ScoringModel of(PipelineModel model, String name, Integer version, String runId, String uri) {
    Transformer[] stages = model.stages();
    if (!(stages[stages.length - 1] instanceof IndexToString codes)) {
      throw new IllegalArgumentException(uri + " is not a model of the train job: its last stage is "
          + stages[stages.length - 1].getClass().getSimpleName() + ", not the IndexToString that names the diseases");
    }
    return new ScoringModel(model, name, version, runId, uri, List.of(codes.getLabels()), symptomVocabulary(model));
  }

  /**
   * The symptom codes a model's stages know: every vectorizer of the prepared symptom codes
   * ({@link io.dxpipe.features.FeaturePipeline#SYMPTOM_TERMS}), in stage order (the feature
   * pipeline's symptoms seen in training, then, for the phenotype model, every catalogue symptom).
   * A model saved before the symptom vectorizer read that column by name: its first vectorizer.
   */
  public static List<String> symptomVocabulary(PipelineModel model) {
    java.util.LinkedHashSet<String> vocabulary = new java.util.LinkedHashSet<>();
    CountVectorizerModel first = null;
    for (Transformer stage : model.stages()) {
      if (stage instanceof CountVectorizerModel cv) {
        first = first == null ? cv : first;
        if (cv.getInputCol().equals(io.dxpipe.features.FeaturePipeline.SYMPTOM_TERMS)) {
          vocabulary.addAll(List.of(cv.vocabulary()));
        }
      }
    }
    if (vocabulary.isEmpty() && first != null) {
      vocabulary.addAll(List.of(first.vocabulary()));
    }
    return List.copyOf(vocabulary);
  }

  public String describe() {
    return version == null ? "model at " + uri : name + " version " + version + " (run " + runId + ")";
  }
}
