package io.dxpipe.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import io.dxpipe.schema.Predictions;
import io.dxpipe.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A silver-shaped input of two numbers, a one-stage "feature pipeline", gold built from it, a classifier on gold. */
class FullModelTest {
  private static Dataset<Row> silver;
  private static Dataset<Row> gold;
  private static PipelineModel features;
  private static Transformer classifier;

  @BeforeAll
  static void fit() {
    Random random = new Random(5);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      int c = i % 3;
      rows.add(RowFactory.create(String.format("r%02d", i), TrainFixtures.LABELS.get(c), 3 * c + 0.3 * random.nextGaussian(),
          -3 * c + 0.3 * random.nextGaussian()));
    }
    StructType schema = new StructType().add(Bronze.RECORD_KEY, DataTypes.StringType)
        .add(Bronze.DIAGNOSIS_CODE, DataTypes.StringType).add("x", DataTypes.DoubleType).add("y", DataTypes.DoubleType);
    silver = SharedSpark.session().createDataFrame(rows, schema).cache();
    features = new Pipeline().setStages(new PipelineStage[] {new VectorAssembler().setInputCols(new String[] {"x", "y"})
        .setOutputCol(Gold.FEATURES)}).fit(silver);
    gold = features.transform(silver)
        .withColumn(Gold.LABEL, when(col(Bronze.DIAGNOSIS_CODE).equalTo("a_disease"), 0.0)
            .when(col(Bronze.DIAGNOSIS_CODE).equalTo("b_disease"), 1.0).otherwise(2.0))
        .withColumn(Gold.SPLIT, when(col(Bronze.RECORD_KEY).lt("r30"), Gold.TEST).otherwise(Gold.TRAIN)).cache();
    classifier = new LogisticRegression().setFeaturesCol(Gold.FEATURES).setLabelCol(Gold.LABEL).fit(gold);
  }

  @Test
  void theAssembledModelReadsSilverAndWritesTheDiseaseCode() {
    PipelineModel model = FullModel.assemble(features, classifier, TrainFixtures.LABELS, silver);
    assertThat(model.stages()).hasSize(3);
    List<Row> out = model.transform(silver).select(Bronze.DIAGNOSIS_CODE, Predictions.PREDICTED_CODE).collectAsList();
    assertThat(out).hasSize(90).allSatisfy(r -> assertThat(r.getString(1)).isEqualTo(r.getString(0)));
    assertThat(FullModel.output(model, silver).dataType()).isEqualTo(DataTypes.StringType);
  }

  @Test
  void theCheckFindsNoMismatchWhenSilverIsWhatGoldWasBuiltFrom() {
    PipelineModel model = FullModel.assemble(features, classifier, TrainFixtures.LABELS, silver);
    FullModel.Consistency c = FullModel.check(model, classifier, gold.select(Bronze.RECORD_KEY, Gold.FEATURES), silver, 1000);
    assertThat(c.records()).isEqualTo(90);
    assertThat(c.mismatches()).isZero();
    assertThat(c.msPer1000()).isPositive();
    assertThat(c.timed()).as("90 records repeated 12 times: timed on at least the 1,000 asked for").isEqualTo(1080);
    c.requireReproduced();
    assertThat(c.describe()).startsWith("the full model reproduces the classifier on 90 silver records (0 mismatches) at ")
        .endsWith("ms per 1,000 records (timed on 1,080)");
  }

  @Test
  void theCheckFailsWhenTheFeatureStagesAreOutOfStepWithGold() {
    // gold's features from another pipeline (the inputs swapped): the classifier sees other vectors there
    PipelineModel swapped = new Pipeline().setStages(new PipelineStage[] {new VectorAssembler()
        .setInputCols(new String[] {"y", "x"}).setOutputCol(Gold.FEATURES)}).fit(silver);
    PipelineModel model = FullModel.assemble(swapped, classifier, TrainFixtures.LABELS, silver);
    FullModel.Consistency c = FullModel.check(model, classifier, gold.select(Bronze.RECORD_KEY, Gold.FEATURES), silver, 1000);
    assertThat(c.mismatches()).as("classes b and c predicted elsewhere").isGreaterThanOrEqualTo(50);
    assertThatThrownBy(c::requireReproduced).hasMessageContaining("predicts differently from the classifier on gold "
        + "features for " + c.mismatches() + " of 90 records");
  }

  @Test
  void samplePredictionsAreTheFirstTestRecordsByKey() {
    PipelineModel model = FullModel.assemble(features, classifier, TrainFixtures.LABELS, silver);
    List<Map<String, Object>> sample = FullModel.samplePredictions(model, gold, silver);
    assertThat(sample).hasSize(FullModel.SAMPLE_PREDICTIONS);
    assertThat(sample.stream().map(p -> p.get("record_key")).toList()).containsExactlyElementsOf(
        java.util.stream.IntStream.range(0, 20).mapToObj(i -> String.format("r%02d", i)).toList());
    assertThat(sample.get(4)).containsEntry("record_key", "r04").containsEntry("prediction", 1.0)
        .containsEntry(Predictions.PREDICTED_CODE, "b_disease");
  }
}
