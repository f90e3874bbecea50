package io.dxpipe.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.model.ModelLayout;
import io.dxpipe.schema.Predictions;
import io.dxpipe.testing.MemoryTracking;
import io.dxpipe.testing.SharedSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPackageTest {
  @Test
  void savesTheModelInItsFolderAndLogsItInMlflowsFormatWithTheSample(@TempDir Path dir) throws Exception {
    StructType input = new StructType().add("age", DataTypes.IntegerType);
    Dataset<Row> records = SharedSpark.session().createDataFrame(List.of(org.apache.spark.sql.RowFactory.create(40)),
        input);
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {new SQLTransformer()
        .setStatement("SELECT *, 'common_cold' AS " + Predictions.PREDICTED_CODE + " FROM __THIS__")}).fit(records);
    MemoryTracking tracking = new MemoryTracking();
    String run = tracking.startRun("exp", "train", null, Map.of());
    String folder = ModelLayout.folder(dir.toUri().toString().replaceAll("/$", ""), "t-1");
    List<Map<String, Object>> sample = List.of(Map.of("record_key", "r1", "prediction", 0.0,
        Predictions.PREDICTED_CODE, "common_cold"));

    long bytes = ModelPackage.log(tracking, tracking, run, model, sample, input, model.transformSchema(input)
        .apply(Predictions.PREDICTED_CODE), folder, SharedSpark.session().sparkContext().hadoopConfiguration());

    assertThat(bytes).isPositive();
    assertThat(PipelineModel.load(ModelLayout.sparkModel(folder)).transform(records).first()
        .getAs(Predictions.PREDICTED_CODE).toString()).isEqualTo("common_cold");
    MemoryTracking.Run logged = tracking.runs().get(run);
    assertThat(logged.tags()).containsEntry(ModelLayout.MODEL_PATH_TAG, ModelLayout.sparkModel(folder));
    assertThat(logged.metrics()).containsEntry("model_size_bytes", (double) bytes);
    assertThat(new String(logged.artifacts().get("model/MLmodel"), StandardCharsets.UTF_8))
        .contains("model_data: sparkml", "run_id: " + run, "age");
    assertThat(logged.artifacts().keySet()).anyMatch(p -> p.startsWith("model/sparkml/metadata/"));
    assertThat(new String(logged.artifacts().get(ModelPackage.SAMPLE_ARTIFACT), StandardCharsets.UTF_8))
        .contains("\"record_key\" : \"r1\"", "\"predicted_code\" : \"common_cold\"");
  }
}
