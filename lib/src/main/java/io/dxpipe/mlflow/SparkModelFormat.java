package io.dxpipe.mlflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a Spark {@link PipelineModel} in MLflow's model format with the {@code spark} and
 * {@code python_function} flavors, the layout {@code mlflow.spark.log_model} produces, so that
 * {@code mlflow.spark.load_model} and {@code mlflow.pyfunc.load_model} open it in Python:
 * <pre>
 * MLmodel             flavors, run id, signature (input columns and their types)
 * sparkml/            PipelineModel.save
 * conda.yaml, python_env.yaml, requirements.txt   the Python environment to serve it
 * </pre>
 */
public final class SparkModelFormat {
  /** The MLflow release whose format this writes, and the PySpark matching the jobs' Spark. */
  public static final String MLFLOW_VERSION = "2.22.5";
  public static final String PYSPARK_VERSION = org.apache.spark.package$.MODULE$.SPARK_VERSION();
  static final String PYTHON_VERSION = "3.11";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SparkModelFormat() {}

  /**
   * @param sparkPath where Spark saves the model first: storage every executor can write (on a
   *     cluster a driver-local folder would miss the executors' part files); copied into {@code dir}
   * @param input the model's input columns (the signature; no column is required, as silver's may be null)
   * @param output the model's output column as the model's own schema declares it (the predicted code is a string)
   * @return the size in bytes of the saved Spark model
   */
  public static long write(PipelineModel model, String sparkPath, Path dir, Configuration hadoop, String runId,
      StructType input, StructField output) {
    try {
      Files.createDirectories(dir);
      model.write().overwrite().save(sparkPath);
      org.apache.hadoop.fs.Path saved = new org.apache.hadoop.fs.Path(sparkPath);
      saved.getFileSystem(hadoop).copyToLocalFile(false, saved,
          new org.apache.hadoop.fs.Path(dir.resolve("sparkml").toUri()), true);
      String mlmodel = String.join("\n",
          "artifact_path: model",
          "flavors:",
          "  python_function:",
          "    data: sparkml",
          "    env:",
          "      conda: conda.yaml",
          "      virtualenv: python_env.yaml",
          "    loader_module: mlflow.spark",
          "    python_version: '" + PYTHON_VERSION + "'",
          "  spark:",
          "    code: null",
          "    model_class: pyspark.ml.pipeline.PipelineModel",
          "    model_data: sparkml",
          "    pyspark_version: " + PYSPARK_VERSION,
          "mlflow_version: " + MLFLOW_VERSION,
          "model_size_bytes: " + size(dir.resolve("sparkml")),
          "model_uuid: " + UUID.randomUUID().toString().replace("-", ""),
          "run_id: " + runId,
          "signature:",
          "  inputs: " + JSON.writeValueAsString(signature(input)),
          "  outputs: " + JSON.writeValueAsString(outputSignature(output)),
          "  params: null",
          "utc_time_created: '" + ZonedDateTime.now(ZoneOffset.UTC)
              .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")) + "'",
          "");
      Files.writeString(dir.resolve("MLmodel"), mlmodel, StandardCharsets.UTF_8);
      List<String> requirements = List.of("mlflow==" + MLFLOW_VERSION, "pyspark==" + PYSPARK_VERSION);
      Files.writeString(dir.resolve("requirements.txt"), String.join("\n", requirements) + "\n");
      Files.writeString(dir.resolve("python_env.yaml"), "python: '" + PYTHON_VERSION + "'\nbuild_dependencies:\n- pip\n"
          + "dependencies:\n- -r requirements.txt\n");
      Files.writeString(dir.resolve("conda.yaml"), "channels:\n- conda-forge\ndependencies:\n- python=" + PYTHON_VERSION
          + "\n- pip\n- pip:\n" + requirements.stream().map(r -> "  - " + r + "\n").reduce("", String::concat)
          + "name: mlflow-env\n");
      return size(dir.resolve("sparkml"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the MLflow model to " + dir, e);
    }
  }

  /** The column-based signature as MLflow stores it: a JSON string of column specs. */
  static String signature(StructType input) throws IOException {
    ArrayNode columns = JSON.createArrayNode();
    for (StructField f : input.fields()) {
      // pandas holds a nullable integer column as float64, so top-level integers are declared double
      // (the pipeline casts every numeric to double anyway); silver columns may be null: not required
      boolean integral = f.dataType().equals(DataTypes.IntegerType) || f.dataType().equals(DataTypes.LongType);
      ObjectNode spec = integral ? type(DataTypes.DoubleType) : type(f.dataType());
      spec.put("name", f.name());
      spec.put("required", false);
      columns.add(spec);
    }
    return JSON.writeValueAsString(columns);
  }

  /** The output column's spec, typed from the model's output schema rather than assumed numeric. */
  static String outputSignature(StructField output) throws IOException {
    ObjectNode spec = type(output.dataType());
    spec.put("name", output.name());
    spec.put("required", true);
    return JSON.writeValueAsString(JSON.createArrayNode().add(spec));
  }

  private static ObjectNode type(DataType t) {
    ObjectNode node = JSON.createObjectNode();
    if (t instanceof ArrayType a) {
      node.put("type", "array");
      node.set("items", type(a.elementType()));
    } else if (t instanceof StructType s) {
      node.put("type", "object");
      ObjectNode properties = node.putObject("properties");
      for (StructField f : s.fields()) {
        ObjectNode p = type(f.dataType());
        p.put("required", false);
        properties.set(f.name(), p);
      }
    } else {
      // nested integers: Python's int is what pandas rows hold, which MLflow checks as "long"
      node.put("type", t.equals(DataTypes.StringType) ? "string" : t.equals(DataTypes.IntegerType)
          || t.equals(DataTypes.LongType) ? "long" : t.equals(DataTypes.FloatType) ? "float"
          : t.equals(DataTypes.BooleanType) ? "boolean" : t.equals(DataTypes.DateType)
          || t.equals(DataTypes.TimestampType) ? "datetime" : "double");
    }
    return node;
  }

  static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".crc"))
          .mapToLong(f -> f.toFile().length()).sum();
    }
  }
}
