package io.dxpipe.model;

/**
 * Where a trained model's files lie and the names its parts share, declared once for the side that
 * writes a model (train) and the sides that read it (score, monitor), so neither imports the other:
 * <pre>
 * &lt;storage.models&gt;/classifier/&lt;train run id&gt;/
 *   sparkml/                 the PipelineModel (feature stages, classifier, index-to-code stage)
 *   baseline-profile.json    the monitor's training baseline
 *   golden-rows/             silver records with the batch path's predictions (Parquet): the online
 *                            service's load gate
 * </pre>
 * In MLflow the training run holds the same model under the artifact {@code model} (MLflow's spark
 * format) and the baseline under {@code monitoring/}; the run's tag {@code dxpipe.model_path} points
 * at the {@code sparkml} folder in storage.
 */
public final class ModelLayout {
  private ModelLayout() {}

  /** Folder of the models under {@code storage.models}, one sub-folder per train run. */
  public static final String CLASSIFIER_DIR = "classifier";
  /** The PipelineModel's folder inside a model's folder (also the data folder of MLflow's spark format). */
  public static final String SPARK_MODEL_DIR = "sparkml";
  /** Training writes the monitor's baseline beside the model folder under this name. */
  public static final String BASELINE_FILE = "baseline-profile.json";
  /** Training writes the online service's golden rows (Parquet) beside the model folder under this name. */
  public static final String GOLDEN_ROWS_DIR = "golden-rows";
  /** The training run's artifact holding the model in MLflow's format. */
  public static final String MODEL_ARTIFACT = "model";
  /** The training run's artifact holding the monitoring baseline. */
  public static final String BASELINE_ARTIFACT = "monitoring/" + BASELINE_FILE;
  /** Tag of the training run: the storage path of the {@code sparkml} folder, which scoring loads. */
  public static final String MODEL_PATH_TAG = "dxpipe.model_path";
  /** The classifier's output column (a class index), which the index-to-code stage reads. */
  public static final String PREDICTION = "prediction";

  /** A train run's model folder. */
  public static String folder(String modelsRoot, String trainRunId) {
    return modelsRoot + "/" + CLASSIFIER_DIR + "/" + trainRunId;
  }

  /** The PipelineModel inside a model folder. */
  public static String sparkModel(String folder) {
    return folder + "/" + SPARK_MODEL_DIR;
  }

  /** The baseline inside a model folder. */
  public static String baseline(String folder) {
    return folder + "/" + BASELINE_FILE;
  }

  /** The golden rows inside a model folder. */
  public static String goldenRows(String folder) {
    return folder + "/" + GOLDEN_ROWS_DIR;
  }

  /** Where the golden rows of a PipelineModel folder lie: beside it, in the model folder. */
  public static String goldenRowsUri(String modelUri) {
    String model = modelUri.replaceAll("/+$", "");
    return goldenRows(model.substring(0, model.lastIndexOf('/')));
  }

  /** Where the training baseline of a PipelineModel folder lies: beside it, in the model folder. */
  public static String baselineUri(String modelUri) {
    String model = modelUri.replaceAll("/+$", "");
    return baseline(model.substring(0, model.lastIndexOf('/')));
  }
}
