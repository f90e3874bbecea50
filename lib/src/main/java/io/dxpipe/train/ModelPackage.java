package io.dxpipe.train;

import io.dxpipe.mlflow.SparkModelFormat;
import io.dxpipe.mlflow.Artifacts;
import io.dxpipe.mlflow.Runs;
import io.dxpipe.model.ModelLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Training's packaging step: the full model saved by Spark to its folder in storage
 * ({@link ModelLayout#sparkModel}; on a cluster the executors write the part files), copied to a
 * local folder in MLflow's spark format and uploaded as the training run's artifact
 * {@link ModelLayout#MODEL_ARTIFACT}, beside sample predictions for the Python check; the run is
 * tagged with the storage path scoring loads.
 */
final class ModelPackage {
  static final String SAMPLE_ARTIFACT = "model-check/java-predictions.json";

  private ModelPackage() {}

  /**
   * @param folder the model folder ({@link ModelLayout#folder})
   * @param input the model's input columns, its MLflow signature
   * @param output the model's output column
   * @return the size in bytes of the saved Spark model
   */
  static long log(Runs runs, Artifacts artifacts, String runId, PipelineModel model, List<Map<String, Object>> samplePredictions,
      StructType input, StructField output, String folder, Configuration hadoop) throws IOException {
    artifacts.logArtifact(runId, SAMPLE_ARTIFACT, TrainingRuns.jsonBytes(samplePredictions));
    String modelPath = ModelLayout.sparkModel(folder);
    Path local = Files.createTempDirectory("dxpipe-model-");
    long modelBytes;
    try {
      modelBytes = SparkModelFormat.write(model, modelPath, local.resolve(ModelLayout.MODEL_ARTIFACT), hadoop, runId,
          input, output);
      runs.logMetric(runId, "model_size_bytes", modelBytes, 0);
      artifacts.logArtifacts(runId, ModelLayout.MODEL_ARTIFACT, local.resolve(ModelLayout.MODEL_ARTIFACT));
    } finally {
      deleteRecursively(local);
    }
    runs.setTag(runId, ModelLayout.MODEL_PATH_TAG, modelPath);
    return modelBytes;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
