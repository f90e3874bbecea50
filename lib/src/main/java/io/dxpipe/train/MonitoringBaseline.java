package io.dxpipe.train;

import static org.apache.spark.sql.functions.col;

import io.dxpipe.io.StorageFiles;
import io.dxpipe.mlflow.Artifacts;
import io.dxpipe.model.ModelLayout;
import io.dxpipe.monitor.Profile;
import io.dxpipe.monitor.Profiler;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import io.dxpipe.schema.Predictions;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Training's monitoring step: the monitor's baseline is the population the model learnt from
 * (the silver records of train + validation) and what the model predicts there, with its test
 * figures; written beside the model ({@link ModelLayout#baseline}) and as the run's artifact
 * {@link ModelLayout#BASELINE_ARTIFACT}, byte for byte the same.
 */
final class MonitoringBaseline {
  private MonitoringBaseline() {}

  static Profile write(Artifacts artifacts, String runId, PipelineModel model, Dataset<Row> gold, Dataset<Row> silver,
      Map<String, Double> testPerformance, String folder, Configuration hadoop) {
    Dataset<Row> learnt = silver.join(gold.filter(col(Gold.SPLIT).notEqual(Gold.TEST)).select(Bronze.RECORD_KEY),
        Bronze.RECORD_KEY);
    Profile population = Profiler.baseline(learnt, model.transform(learnt).select(col(Predictions.PREDICTED_CODE)
        .as(Predictions.PREDICTED_CODE)), testPerformance, io.dxpipe.features.FeaturePipeline.declaredInputs(model));
    byte[] json = population.toJson().getBytes(StandardCharsets.UTF_8);
    new StorageFiles(folder, hadoop).write(ModelLayout.baseline(folder), json);
    artifacts.logArtifact(runId, ModelLayout.BASELINE_ARTIFACT, json);
    return population;
  }
}
