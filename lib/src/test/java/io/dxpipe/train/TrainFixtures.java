package io.dxpipe.train;

import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import io.dxpipe.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructType;

/** Gold-shaped records built in memory for the training steps: record key, patient, label, features, split. */
final class TrainFixtures {
  private TrainFixtures() {}

  static final List<String> LABELS = List.of("a_disease", "b_disease", "c_disease");

  static StructType schema(int classes) {
    Metadata label = NominalAttribute.defaultAttr().withName(Gold.LABEL).withNumValues(classes).toMetadata();
    return new StructType()
        .add(Bronze.RECORD_KEY, DataTypes.StringType)
        .add(Bronze.PATIENT_KEY, DataTypes.StringType)
        .add(Gold.LABEL, DataTypes.DoubleType, false, label)
        .add(Gold.FEATURES, new VectorUDT())
        .add(Gold.SPLIT, DataTypes.StringType);
  }

  /**
   * Records of three well separated classes: class c lies around (3c, -3c) with noise 0.3, one
   * record per patient; {@code perClass} records per class and split.
   */
  static Dataset<Row> separable(Map<String, Integer> perSplitAndClass, long seed) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    perSplitAndClass.forEach((split, n) -> {
      for (int c = 0; c < LABELS.size(); c++) {
        for (int i = 0; i < n; i++) {
          String key = split + "-" + c + "-" + i;
          rows.add(RowFactory.create(key, "patient-" + key, (double) c, Vectors.dense(3 * c + 0.3 * random.nextGaussian(),
              -3 * c + 0.3 * random.nextGaussian()), split));
        }
      }
    });
    return SharedSpark.session().createDataFrame(rows, schema(LABELS.size()));
  }

  /** A record with the given label and one-dimensional feature, for hand-made data. */
  static Row row(String key, int label, double x, String split) {
    return RowFactory.create(key, "patient-" + key, (double) label, Vectors.dense(x, 0.0), split);
  }

  static Dataset<Row> rows(int classes, List<Row> rows) {
    return SharedSpark.session().createDataFrame(rows, schema(classes));
  }

  /** Settings for the steps: logistic regression, the given grid of reg-param values, 2 folds. */
  static TrainSettings settings(ClassWeights.Scheme weights, boolean compareUnweighted, double... regParams) {
    List<Map<String, Object>> grid = new ArrayList<>();
    for (double r : regParams) {
      Map<String, Object> point = new java.util.LinkedHashMap<>();
      point.put("reg-param", r);
      point.put("elastic-net-param", 0.0);
      point.put("max-iter", 50.0);
      grid.add(point);
    }
    return new TrainSettings(List.of(Learner.LOGISTIC_REGRESSION), weights, compareUnweighted, 2, 11, "macro_f1", 2,
        List.of(Gold.FEATURES), Map.of(Learner.LOGISTIC_REGRESSION, grid), 2000, new TrainSettings.Evaluation(0, 0, 1, 0));
  }
}
