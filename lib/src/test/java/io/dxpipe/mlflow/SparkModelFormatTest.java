package io.dxpipe.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dxpipe.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkModelFormatTest {
  @Test
  void theSignatureDeclaresThePredictedCodeAsTheStringTheModelProduces(@TempDir Path dir) throws Exception {
    SparkSession spark = SharedSpark.session();
    StructType input = new StructType().add("prediction", DataTypes.DoubleType);
    Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create(1.0)), input);
    // the last stage of the train job's model: class index to disease code
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {new IndexToString().setInputCol("prediction")
        .setOutputCol("predicted_code").setLabels(new String[] {"D01", "D02"})}).fit(rows);

    SparkModelFormat.write(model, dir.resolve("spark").toUri().toString(), dir.resolve("model"),
        spark.sparkContext().hadoopConfiguration(), "run-1", input,
        model.transformSchema(input).apply("predicted_code"));

    String outputs = Files.readAllLines(dir.resolve("model/MLmodel")).stream()
        .filter(l -> l.startsWith("  outputs: ")).findFirst().orElseThrow();
    // MLflow stores the column specs as a JSON string inside the YAML
    ObjectMapper json = new ObjectMapper();
    JsonNode spec = json.readTree(json.readTree(outputs.substring("  outputs: ".length())).asText()).get(0);
    assertThat(spec.toString()).as("the MLmodel's output signature")
        .isEqualTo("{\"type\":\"string\",\"name\":\"predicted_code\",\"required\":true}");
    assertThat(model.transform(rows).first().getString(1)).as("what the model really outputs").isEqualTo("D02");
  }
}
