package io.dxpipe.train;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.config.StorageSettings;
import io.dxpipe.features.FeatureStage;
import io.dxpipe.io.CommitMetadata;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Silver in two versions (v1 changes every value), a features run's pipeline and label indexer, and
 * gold built from silver v0 with 9 records: 5 train, 2 validation, 2 test; class c_disease is orphan.
 */
class TrainingDataTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final List<String> CODES = List.of("a_disease", "a_disease", "b_disease", "c_disease", "a_disease",
      "b_disease", "c_disease", "a_disease", "b_disease");
  private static final List<String> SPLITS = List.of(Gold.TRAIN, Gold.TRAIN, Gold.TRAIN, Gold.TRAIN, Gold.TRAIN,
      Gold.VALIDATION, Gold.VALIDATION, Gold.TEST, Gold.TEST);

  private static StorageSettings storage(Path dir) {
    return TestSettings.load("storage.root=file:" + dir).storage();
  }

  private static Dataset<Row> silver(double offset) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < CODES.size(); i++) {
      rows.add(RowFactory.create("r" + i, CODES.get(i), i + offset));
    }
    rows.add(RowFactory.create("not-in-gold", "a_disease", offset)); // unlabelled in silver, say: not in gold
    return SPARK.createDataFrame(rows, new StructType().add(Bronze.RECORD_KEY, DataTypes.StringType)
        .add(Bronze.DIAGNOSIS_CODE, DataTypes.StringType).add("x", DataTypes.DoubleType));
  }

  /** Silver v0 and v1, the features run f-1, and gold v0 from silver v0 with the given splits and metadata. */
  private static StorageSettings features(Path dir, List<String> splits, CommitMetadata metadata) throws Exception {
    StorageSettings storage = storage(dir);
    DeltaTables.replace(silver(0), storage.silver(), List.of(), null, CommitMetadata.of("clean_run_id", "c0"));
    DeltaTables.replace(silver(100), storage.silver(), List.of(), null, CommitMetadata.of("clean_run_id", "c1"));
    Dataset<Row> v0 = DeltaTables.read(SPARK, storage.silver(), 0L).filter(col(Bronze.RECORD_KEY).notEqual("not-in-gold"));
    PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {new VectorAssembler()
        .setInputCols(new String[] {"x"}).setOutputCol(Gold.FEATURES), new VectorAssembler()
        .setInputCols(new String[] {"x", "x"}).setOutputCol(Gold.FEATURES_FULL)}).fit(v0);
    var labels = new StringIndexer().setInputCol(Bronze.DIAGNOSIS_CODE).setOutputCol(Gold.LABEL)
        .setStringOrderType("alphabetAsc").fit(v0);
    String run = storage.models() + "/" + FeatureStage.PIPELINE_DIR + "/f-1";
    pipeline.write().overwrite().save(run + "/pipeline");
    labels.write().overwrite().save(run + "/labels");
    List<Row> split = new ArrayList<>();
    for (int i = 0; i < splits.size(); i++) {
      split.add(RowFactory.create("r" + i, splits.get(i)));
    }
    Dataset<Row> gold = labels.transform(pipeline.transform(v0))
        .join(SPARK.createDataFrame(split, new StructType().add(Bronze.RECORD_KEY, DataTypes.StringType)
            .add(Gold.SPLIT, DataTypes.StringType)), Bronze.RECORD_KEY)
        .withColumn(Bronze.PATIENT_KEY, col(Bronze.RECORD_KEY))
        .withColumn(Gold.IS_ORPHAN, col(Bronze.DIAGNOSIS_CODE).equalTo("c_disease"))
        .withColumn(Gold.FEATURE_RUN_ID, org.apache.spark.sql.functions.lit("f-1"));
    DeltaTables.replace(gold, storage.features(), List.of(), null, metadata);
    return storage;
  }

  @Test
  void readsGoldPinnedWithTheSilverVersionItWasBuiltFrom(@TempDir Path dir) throws Exception {
    StorageSettings storage = features(dir, SPLITS, CommitMetadata.of("feature_run_id", "f-1",
        FeatureStage.LINEAGE_SILVER_VERSION, 0L));
    try (TrainingData data = TrainingData.load(SPARK, storage, List.of(Gold.FEATURES))) {
      assertThat(data.goldVersion()).isZero();
      assertThat(data.input()).isEqualTo("gold@v0");
      assertThat(data.goldRows()).isEqualTo(9);
      assertThat(data.perSplit()).containsExactly(Map.entry(Gold.TEST, 2L), Map.entry(Gold.TRAIN, 5L),
          Map.entry(Gold.VALIDATION, 2L));
      assertThat(data.labels()).containsExactly("a_disease", "b_disease", "c_disease");
      assertThat(data.orphans()).containsExactly(2);
      assertThat(data.featureRunId()).isEqualTo("f-1");
      assertThat(data.inputSizes()).containsExactly(Map.entry(Gold.FEATURES, 1));
      // silver as of v0 (not the current v1), only gold's records
      assertThat(data.silver().count()).isEqualTo(9);
      assertThat(data.silver().agg(org.apache.spark.sql.functions.max("x")).first().getDouble(0)).isEqualTo(8.0);
      assertThat(data.train().schema().apply(Gold.LABEL).metadata().getMetadata("ml_attr").getLong("num_vals"))
          .as("the label declares every class").isEqualTo(3L);
      assertThat(data.train().columns()).containsExactly(Bronze.RECORD_KEY, Bronze.PATIENT_KEY, Gold.LABEL,
          Gold.FEATURES, Gold.SPLIT);
      assertThat(data.describe()).isEqualTo("read gold@v0: 3 classes (1 orphan), 1 input features, split "
          + "{test=2, train=5, validation=2}");
      assertThat(data.featurePipeline().transform(data.silver()).columns()).contains(Gold.FEATURES);
    }
  }

  @Test
  void bothFeaturesColumnsAreReadWithTheirLengths(@TempDir Path dir) throws Exception {
    StorageSettings storage = features(dir, SPLITS, CommitMetadata.of("feature_run_id", "f-1",
        FeatureStage.LINEAGE_SILVER_VERSION, 0L));
    try (TrainingData data = TrainingData.load(SPARK, storage, List.of(Gold.FEATURES, Gold.FEATURES_FULL))) {
      assertThat(data.inputSizes()).containsOnly(Map.entry(Gold.FEATURES, 1), Map.entry(Gold.FEATURES_FULL, 2));
      assertThat(data.train().columns()).containsExactly(Bronze.RECORD_KEY, Bronze.PATIENT_KEY, Gold.LABEL,
          Gold.FEATURES, Gold.FEATURES_FULL, Gold.SPLIT);
      assertThat(data.describe()).isEqualTo("read gold@v0: 3 classes (1 orphan), input features {features=1, "
          + "features_full=2}, split {test=2, train=5, validation=2}");
    }
  }

  @Test
  void aGoldCommitWithoutTheSilverVersionIsAnErrorNamingTableAndVersion(@TempDir Path dir) throws Exception {
    StorageSettings storage = features(dir, SPLITS, CommitMetadata.of("feature_run_id", "f-1", "input",
        "silver@v0 deliveries=2026-01-01"));
    assertThatThrownBy(() -> TrainingData.load(SPARK, storage, List.of(Gold.FEATURES)))
        .hasMessageContaining("the commit of version 0 of " + storage.features() + " records no silver_version "
            + "(it has [feature_run_id, input])");
  }

  @Test
  void goldWrittenBeforeSilverVersionWasRecordedIsReadFromItsInput(@TempDir Path dir) throws Exception {
    // what the features job wrote until silver_version existed: the input as "silver@v<version>"
    StorageSettings storage = features(dir, SPLITS, CommitMetadata.of("feature_run_id", "f-1", "input", "silver@v0",
        "pca_components", 1));
    try (TrainingData data = TrainingData.load(SPARK, storage, List.of(Gold.FEATURES))) {
      assertThat(data.silver().agg(org.apache.spark.sql.functions.max("x")).first().getDouble(0))
          .as("silver v0, not the current v1").isEqualTo(8.0);
    }
  }

  @Test
  void goldWithoutTestRecordsStopsTraining(@TempDir Path dir) throws Exception {
    List<String> noTest = new ArrayList<>(SPLITS.subList(0, 7));
    noTest.addAll(List.of(Gold.VALIDATION, Gold.TRAIN));
    StorageSettings storage = features(dir, noTest, CommitMetadata.of(FeatureStage.LINEAGE_SILVER_VERSION, 0L));
    assertThatThrownBy(() -> TrainingData.load(SPARK, storage, List.of(Gold.FEATURES)))
        .hasMessageContaining("gold@v0 has no test records ({test=0, train=6, validation=3})");
  }
}
