package io.dxpipe.train;

import static org.apache.spark.sql.functions.col;

import io.dxpipe.features.FeaturePipeline;
import io.dxpipe.model.ModelLayout;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import io.dxpipe.schema.Predictions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Training's assembly step: the model that is registered and scored is one {@link PipelineModel}
 * of the features run's fitted stages, the classifier and an index-to-code stage, so it reads
 * silver records and writes {@link Predictions#PREDICTED_CODE}. It must reproduce the classifier's
 * predictions on gold's features for the silver records gold was built from ({@link #check}).
 */
final class FullModel {
  /** How many test records' predictions are logged with the model for the Python check. */
  static final int SAMPLE_PREDICTIONS = 20;

  private FullModel() {}

  /** The outcome of {@link #check}: records compared, those predicted differently, scoring time. */
  record Consistency(long records, long mismatches, double msPer1000, long timed) {
    String describe() {
      return String.format(Locale.ROOT, "the full model reproduces the classifier on %d silver records "
          + "(%d mismatches) at %.1f ms per 1,000 records (timed on %,d)", records, mismatches, msPer1000, timed);
    }

    /** Fails when any record was predicted differently. */
    void requireReproduced() {
      if (mismatches > 0) {
        throw new IllegalStateException("the combined model (feature stages + classifier) predicts differently from "
            + "the classifier on gold features for " + mismatches + " of " + records
            + " records: silver has changed since the features job, or the pipelines are out of step");
      }
    }
  }

  /**
   * The fitted feature stages, the classifier (its stages, when it is a pipeline of its own such as
   * the phenotype model's vectorizer and classifier) and the label-to-code stage as one PipelineModel.
   *
   * @param classes the disease code of each of the classifier's class indices
   */
  static PipelineModel assemble(PipelineModel features, Transformer classifier, List<String> classes,
      Dataset<Row> silver) {
    List<PipelineStage> stages = new ArrayList<>(List.of(features.stages()));
    if (classifier instanceof PipelineModel own) {
      stages.addAll(List.of(own.stages()));
    } else {
      stages.add(classifier);
    }
    stages.add(new IndexToString().setInputCol(ModelLayout.PREDICTION).setOutputCol(Predictions.PREDICTED_CODE)
        .setLabels(classes.toArray(String[]::new)));
    // no estimator among the stages: fit only checks the schema (on silver's) and assembles the model
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(silver.limit(0));
  }

  /**
   * Runs the combined model on the silver records gold was built from and compares its predictions
   * with the classifier's on its training input ({@code classifierInput}: gold's features column, and
   * the prepared symptom codes for the phenotype model). The scoring time per 1,000 records is timed on at least
   * {@code timingRecords} records (silver's, repeated, cached in memory so no read is timed), in a
   * second full pass (Spark's noop sink, so nothing is written; the first warms up): on the few
   * hundred records of a small table a pass is mostly Spark's fixed cost per job (planning, task
   * launch), which says nothing about the model. The scoring benchmark measures throughput at scale.
   */
  static Consistency check(PipelineModel model, Transformer classifier, Dataset<Row> classifierInput,
      Dataset<Row> silver, int timingRecords) {
    long records = silver.count();
    Timing timing = time(model, silver, records, timingRecords);
    Dataset<Row> viaGold = classifier.transform(classifierInput)
        .select(col(Bronze.RECORD_KEY), col(ModelLayout.PREDICTION).as("via_gold"));
    Dataset<Row> viaSilver = model.transform(silver).select(col(Bronze.RECORD_KEY),
        col(ModelLayout.PREDICTION).as("via_silver"));
    long mismatches = viaGold.join(viaSilver, Bronze.RECORD_KEY).filter(col("via_gold").notEqual(col("via_silver")))
        .count();
    return new Consistency(records, mismatches, timing.msPer1000(), timing.timed());
  }

  /** Scoring time per 1,000 records over {@code timed} records. */
  record Timing(long timed, double msPer1000) {}

  static Timing time(PipelineModel model, Dataset<Row> silver, long records, int timingRecords) {
    if (records == 0) {
      return new Timing(0, Double.NaN);
    }
    long copies = Math.max(1, (timingRecords + records - 1) / records);
    Dataset<Row> input = (copies == 1 ? silver : silver.crossJoin(silver.sparkSession().range(copies).toDF("_copy"))
        .drop("_copy")).persist(org.apache.spark.storage.StorageLevel.MEMORY_ONLY());
    try {
      long timed = input.count();
      model.transform(input).write().format("noop").mode("overwrite").save(); // warm-up: code generation, caches
      long start = System.nanoTime();
      model.transform(input).write().format("noop").mode("overwrite").save();
      double ms = (System.nanoTime() - start) / 1e6;
      return new Timing(timed, ms / timed * 1000);
    } finally {
      input.unpersist();
    }
  }

  /**
   * The full model's predictions for the first test records (by record key), as the Java scoring
   * path computes them: logged with the model so a Python user can check that
   * {@code mlflow.pyfunc.load_model} predicts the same (scripts/python/check_mlflow.py does).
   */
  static List<Map<String, Object>> samplePredictions(PipelineModel model, Dataset<Row> gold, Dataset<Row> silver) {
    Dataset<Row> testSilver = silver.join(gold.filter(col(Gold.SPLIT).equalTo(Gold.TEST)).select(Bronze.RECORD_KEY),
        Bronze.RECORD_KEY).orderBy(Bronze.RECORD_KEY).limit(SAMPLE_PREDICTIONS);
    List<Map<String, Object>> sample = new ArrayList<>();
    for (Row r : model.transform(testSilver).select(Bronze.RECORD_KEY, ModelLayout.PREDICTION,
        Predictions.PREDICTED_CODE).collectAsList()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("record_key", r.getString(0));
      p.put("prediction", r.getDouble(1));
      p.put(Predictions.PREDICTED_CODE, r.getString(2));
      sample.add(p);
    }
    return sample;
  }

  /** The model's input columns and types (its MLflow signature): the silver columns the pipeline reads. */
  static StructType input(PipelineModel model, Dataset<Row> silver) {
    return silver.select(FeaturePipeline.inputColumns(model).stream().map(org.apache.spark.sql.functions::col)
        .toArray(Column[]::new)).schema();
  }

  /** The model's output column as its own schema declares it for silver's input (the predicted code: a string). */
  static StructField output(PipelineModel model, Dataset<Row> silver) {
    return model.transformSchema(silver.schema()).apply(Predictions.PREDICTED_CODE);
  }
}
