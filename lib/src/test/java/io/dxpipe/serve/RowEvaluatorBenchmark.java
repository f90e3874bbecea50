package io.dxpipe.serve;

import static org.apache.spark.sql.functions.col;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.clean.CleanSettings;
import io.dxpipe.clean.SilverBuilder;
import io.dxpipe.config.Settings;
import io.dxpipe.features.FeaturePipeline;
import io.dxpipe.features.FeatureSettings;
import io.dxpipe.generate.BronzeSynthesizer;
import io.dxpipe.generate.GenerateSettings;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import io.dxpipe.schema.Predictions;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Not a test: the row evaluator's time per record (one thread, after warm-up) on generated silver
 * records with a logistic regression model of the train job's shape, and transform's CPU time per
 * one-record call for comparison. Run with the test classpath:
 * {@code java -cp lib/target/test-classes:lib/target/classes:<dependencies> io.dxpipe.serve.RowEvaluatorBenchmark [records]}.
 */
public final class RowEvaluatorBenchmark {
  private RowEvaluatorBenchmark() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    SparkSession spark = SharedSpark.session();
    DiseaseCatalogue catalogue = DiseaseCatalogue.fromClasspath();
    Settings s = TestSettings.load("generate.mode=historical", "generate.records=" + n, "generate.date=2026-03-01");
    Dataset<Row> silver = SilverBuilder.load(CleanSettings.from(s.config().dxpipe()), catalogue)
        .clean(BronzeSynthesizer.records(spark, catalogue, GenerateSettings.from(s.config()),
            "bench-key-0123456789-0123456789-0123456789".getBytes(StandardCharsets.UTF_8), "bench"))
        .filter(col(Bronze.DIAGNOSIS_CODE).isNotNull()).cache();
    FeaturePipeline.Fitted features = FeaturePipeline.fit(silver, FeatureSettings.from(s.config().dxpipe()));
    StringIndexerModel indexer = new StringIndexer().setInputCol(Bronze.DIAGNOSIS_CODE).setOutputCol(Gold.LABEL)
        .fit(silver);
    List<PipelineStage> stages = new ArrayList<>(List.of(features.model().stages()));
    stages.add(new LogisticRegression().setMaxIter(30).fit(indexer.transform(features.model().transform(silver))));
    stages.add(new IndexToString().setInputCol("prediction").setOutputCol(Predictions.PREDICTED_CODE)
        .setLabels(indexer.labelsArray()[0]));
    PipelineModel model = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(silver.limit(0));

    long compile = System.nanoTime();
    RowEvaluator evaluator = RowEvaluator.of(model);
    double compileMs = (System.nanoTime() - compile) / 1e6;
    List<Map<String, Object>> records = silver.collectAsList().stream().map(RowEvaluator::toMap).toList();
    long sink = 0;
    for (int pass = 0; pass < 20; pass++) { // warm-up
      for (Map<String, Object> r : records) {
        sink += evaluator.predict(r, 3).top().size();
      }
    }
    int passes = 30;
    long start = System.nanoTime();
    for (int pass = 0; pass < passes; pass++) {
      for (Map<String, Object> r : records) {
        sink += evaluator.predict(r, 3).top().size();
      }
    }
    double us = (System.nanoTime() - start) / 1e3 / ((double) passes * records.size());

    var threads = ManagementFactory.getThreadMXBean();
    Dataset<Row> one = silver.limit(1).localCheckpoint();
    for (int i = 0; i < 5; i++) {
      model.transform(one).select(Predictions.PREDICTED_CODE).collectAsList();
    }
    int calls = 20;
    long cpu = threads.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      model.transform(one).select(Predictions.PREDICTED_CODE).collectAsList();
    }
    double transformCpuMs = (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / calls;
    double transformWallMs = (System.nanoTime() - wall) / 1e6 / calls;
    System.out.printf("records %d, classes %d, PCA components %d; evaluator compile %.1f ms; "
        + "%.2f us per record (1 thread, %d passes); transform of 1 record: %.1f ms driver-thread CPU, %.1f ms wall "
        + "per call (%d)%n", records.size(), indexer.labelsArray()[0].length, features.pca().components(), compileMs, us,
        passes, transformCpuMs, transformWallMs, sink % 7);
    spark.stop();
  }
}
