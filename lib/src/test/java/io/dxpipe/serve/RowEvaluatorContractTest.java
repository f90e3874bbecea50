package io.dxpipe.serve;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.clean.CleanSettings;
import io.dxpipe.clean.SilverBuilder;
import io.dxpipe.config.Settings;
import io.dxpipe.features.FeaturePipeline;
import io.dxpipe.features.FeatureSettings;
import io.dxpipe.generate.BronzeSynthesizer;
import io.dxpipe.generate.GenerateSettings;
import io.dxpipe.model.ModelLayout;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import io.dxpipe.schema.Predictions;
import io.dxpipe.score.TopClasses;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The equality contract of the online path with the batch path: on at least 1,000 generated and
 * cleaned silver records, a model assembled as training assembles it (fitted feature stages,
 * classifier, index-to-code stage) gives through the row evaluator the same top 3 codes as
 * {@code transform} followed by {@link TopClasses}, the same predicted code, and probabilities
 * within 1e-12 (in fact the same doubles), for logistic regression, random forest and MLP.
 */
class RowEvaluatorContractTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final DiseaseCatalogue CATALOGUE = DiseaseCatalogue.fromClasspath();
  private static final byte[] KEY = "test-patient-key-0123456789-0123456789-abcdefgh".getBytes(StandardCharsets.UTF_8);
  private static final double TOLERANCE = 1e-12;

  private static Dataset<Row> silver;
  private static FeaturePipeline.Fitted features;
  private static List<String> labels;
  private static Dataset<Row> training;

  @BeforeAll
  static void data() {
    Settings s = TestSettings.load(Stream.of("generate.mode=historical", "generate.records=1100",
        "generate.date=2026-03-01", "generate.records-per-partition=600").toArray(String[]::new));
    Dataset<Row> bronze = BronzeSynthesizer.records(SPARK, CATALOGUE, GenerateSettings.from(s.config()), KEY, "test");
    silver = SilverBuilder.load(CleanSettings.from(s.config().dxpipe()), CATALOGUE).clean(bronze)
        .filter(col(Bronze.DIAGNOSIS_CODE).isNotNull()).cache();
    features = FeaturePipeline.fit(silver, FeatureSettings.from(s.config().dxpipe()));
    StringIndexerModel indexer = new StringIndexer().setInputCol(Bronze.DIAGNOSIS_CODE).setOutputCol(Gold.LABEL)
        .fit(silver);
    labels = List.of(indexer.labelsArray()[0]);
    training = indexer.transform(features.model().transform(silver)).select(Gold.FEATURES, Gold.LABEL).cache();
  }

  @AfterAll
  static void release() {
    training.unpersist();
    silver.unpersist();
  }

  static Stream<String> learners() {
    return Stream.of("logistic-regression", "random-forest", "mlp");
  }

  private static Transformer classifier(String learner) {
    int inputs = features.pca().components();
    return switch (learner) {
      case "logistic-regression" -> new LogisticRegression().setFamily("multinomial").setMaxIter(30)
          .setRegParam(0.01).fit(training);
      case "random-forest" -> new RandomForestClassifier().setNumTrees(12).setMaxDepth(6).setSeed(7).fit(training);
      case "mlp" -> new MultilayerPerceptronClassifier().setLayers(new int[] {inputs, 24, labels.size()})
          .setMaxIter(40).setSeed(7).fit(training);
      default -> throw new IllegalArgumentException(learner);
    };
  }

  /** As FullModel.assemble: the feature stages, the classifier, the index-to-code stage. */
  private static PipelineModel assemble(Transformer classifier) {
    List<PipelineStage> stages = new ArrayList<>(List.of(features.model().stages()));
    stages.add(classifier);
    stages.add(new IndexToString().setInputCol(ModelLayout.PREDICTION).setOutputCol(Predictions.PREDICTED_CODE)
        .setLabels(labels.toArray(String[]::new)));
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(silver.limit(0));
  }

  @ParameterizedTest
  @MethodSource("learners")
  void theEvaluatorGivesTheBatchPathsTopThreeAndProbabilities(String learner) {
    PipelineModel model = assemble(classifier(learner));
    RowEvaluator evaluator = RowEvaluator.of(model);
    Map<String, Row> batch = new HashMap<>();
    for (Row r : model.transform(silver).select(col(Bronze.RECORD_KEY), col("probability"),
        col(Predictions.PREDICTED_CODE), TopClasses.udf(labels, Set.of(), 3, false).apply(col("probability"))
            .as("top3")).collectAsList()) {
      batch.put(r.getString(0), r);
    }
    List<Row> records = silver.collectAsList();
    assertThat(records).hasSizeGreaterThanOrEqualTo(1000);
    assertThat(batch).hasSize(records.size());
    double maxDifference = 0;
    long bitIdentical = 0;
    for (Row record : records) {
      Row expected = batch.get(record.<String>getAs(Bronze.RECORD_KEY));
      RowEvaluator.Prediction actual = evaluator.predict(record, 3);
      double[] p = expected.<Vector>getAs(1).toArray();
      assertThat(actual.probability()).hasSameSizeAs(p);
      boolean same = true;
      for (int i = 0; i < p.length; i++) {
        maxDifference = Math.max(maxDifference, Math.abs(p[i] - actual.probability()[i]));
        same &= Double.doubleToRawLongBits(p[i]) == Double.doubleToRawLongBits(actual.probability()[i]);
      }
      bitIdentical += same ? 1 : 0;
      assertThat(actual.predictedCode()).as("predicted code").isEqualTo(expected.getString(2));
      List<Row> top = expected.getList(3);
      assertThat(actual.top()).extracting(RowEvaluator.Ranked::code).as("top 3 of %s", record.<String>getAs(
          Bronze.RECORD_KEY)).containsExactlyElementsOf(top.stream().map(t -> t.getString(0)).toList());
      for (int j = 0; j < top.size(); j++) {
        double d = Math.abs(top.get(j).getDouble(1) - actual.top().get(j).probability());
        maxDifference = Math.max(maxDifference, d);
      }
    }
    // the service evaluates concurrently: four threads give the same doubles as one
    List<RowEvaluator.Prediction> sequential = records.stream().map(r -> evaluator.predict(r, 3)).toList();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<double[]>> parallel = new ArrayList<>();
      for (Row r : records) {
        parallel.add(pool.submit(() -> evaluator.predict(r, 3).probability()));
      }
      for (int i = 0; i < records.size(); i++) {
        assertThat(parallel.get(i).get()).as("concurrent evaluation").isEqualTo(sequential.get(i).probability());
      }
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new AssertionError(e);
    } finally {
      pool.shutdownNow();
    }
    System.out.printf("row evaluator vs transform, %s: %d records, %d classes, max |probability difference| %s, "
        + "%d records bit-identical%n", learner, records.size(), labels.size(), maxDifference, bitIdentical);
    assertThat(maxDifference).isLessThanOrEqualTo(TOLERANCE);
  }
}
