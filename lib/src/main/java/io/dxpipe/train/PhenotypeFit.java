package io.dxpipe.train;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.features.FeaturePipeline;
import io.dxpipe.schema.Gold;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.Bucketizer;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.OneHotEncoderModel;
import org.apache.spark.ml.feature.QuantileDiscretizer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Fits the {@code phenotype} candidate: a {@link PhenotypeModel} over the catalogue's diseases,
 * blended with the fitted records' counts, as standard stages after the feature pipeline's: the
 * binary set of the record's catalogue symptoms ({@link FeaturePipeline#SYMPTOM_TERMS}, the
 * feature pipeline's first stage's output), with {@code context = 1} the record's context (its
 * vital signs in quantile bands of the fitted records, {@link #BANDS} per sign, and the feature
 * pipeline's one-hot age bands and categorical inputs: {@link PhenotypeModel.Context}) assembled
 * after it into {@link #FEATURES}, and the multinomial logistic regression that is the naive Bayes.
 * Its classes are the training labels, in their index order, then every other catalogue disease
 * ({@link PhenotypeModel#classes}), so it ranks all diseases, including those without a record.
 * Class weights do not apply: the model's class prior is its own ({@code prior}: uniform over the
 * diseases, the balanced choice, or leaning towards the diseases with records).
 */
public final class PhenotypeFit {
  /** The vector the phenotype classifier reads: the binary symptom set, then the context when there is one. */
  static final String FEATURES = "phenotype_features";

  private PhenotypeFit() {}

  /** The model's classes for training labels {@code labels}. */
  public static List<String> classes(List<String> labels) {
    return PhenotypeModel.classes(labels, DiseaseCatalogue.fromClasspath());
  }

  /** Settings of one grid point: presentation, background, strength and prior; the other two at their defaults. */
  static PhenotypeModel.Settings settings(Map<String, Object> params) {
    PhenotypeModel.Settings d = PhenotypeModel.DEFAULTS;
    return new PhenotypeModel.Settings(num(params, "presentation", d.presentation()),
        num(params, "background", d.background()), d.excluded(), num(params, "strength", d.strength()),
        d.maxProbability(), num(params, "prior", d.prior()));
  }

  private static double num(Map<String, Object> params, String key, double otherwise) {
    return params.get(key) instanceof Number n ? n.doubleValue() : otherwise;
  }

  /**
   * Fitted on {@code data} ({@link Gold#LABEL}, {@link FeaturePipeline#SYMPTOM_TERMS} and, with
   * {@code context} on, whichever context columns of the feature pipeline it has): the band,
   * vectorizer and assembler stages and the classifier as one {@link PipelineModel}. Without
   * context columns (or with {@code context = 0}) it is the vectorizer and the classifier alone.
   */
  public static PipelineModel fit(Map<String, Object> params, Dataset<Row> data, List<String> labels) {
    DiseaseCatalogue catalogue = DiseaseCatalogue.fromClasspath();
    boolean withContext = num(params, "context", 1) > 0;
    List<String> numeric = withContext ? contextNumeric(data.columns()) : List.of();
    List<String> oneHot = withContext ? contextOneHot(data.columns()) : List.of();
    List<Transformer> stages = new ArrayList<>();
    if (!numeric.isEmpty()) {
      // each vital sign (imputed) in bands of the fitted records' quantiles, one-hot
      String[] bands = numeric.stream().map(c -> c + BAND).toArray(String[]::new);
      Bucketizer banded = new QuantileDiscretizer().setInputCols(numeric.toArray(String[]::new)).setOutputCols(bands)
          .setNumBuckets(BANDS).fit(data);
      OneHotEncoderModel encoded = new OneHotEncoder().setInputCols(bands)
          .setOutputCols(numeric.stream().map(c -> c + BAND + "_onehot").toArray(String[]::new)).setDropLast(false)
          .fit(banded.transform(data));
      stages.add(banded);
      stages.add(encoded);
      oneHot = new ArrayList<>(oneHot);
      oneHot.addAll(List.of(encoded.getOutputCols()));
    }
    PhenotypeModel.Context context = PhenotypeModel.Context.NONE;
    if (!oneHot.isEmpty()) {
      stages.add(new VectorAssembler().setInputCols(oneHot.toArray(String[]::new)).setOutputCol(CONTEXT));
    }
    Dataset<Row> prepared = data;
    for (Transformer t : stages) {
      prepared = t.transform(prepared);
    }
    PhenotypeModel.Counts counts = counts(data, labels);
    if (!oneHot.isEmpty()) {
      context = context(prepared, labels, counts);
    }
    PhenotypeModel model = PhenotypeModel.build(catalogue, PhenotypeModel.classes(labels, catalogue), counts,
        context, settings(params));
    stages.add(model.vectorizer(FeaturePipeline.SYMPTOM_TERMS, oneHot.isEmpty() ? FEATURES : SYMPTOM_SET));
    if (!oneHot.isEmpty()) {
      stages.add(new VectorAssembler().setInputCols(new String[] {SYMPTOM_SET, CONTEXT}).setOutputCol(FEATURES));
    }
    LogisticRegressionModel classifier = model.classifier();
    classifier.setFeaturesCol(FEATURES);
    stages.add(classifier);
    // transformers only: fit checks the schema and assembles them, no Spark job
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(data.limit(0));
  }

  /** Quantile bands per vital sign. */
  static final int BANDS = 5;
  private static final String BAND = "_band";
  /** The record's catalogue symptoms, before the context is appended. */
  static final String SYMPTOM_SET = "phenotype_symptoms";
  /** The record's context one-hot groups. */
  static final String CONTEXT = "phenotype_context";

  /**
   * The context's numeric inputs among the feature pipeline's columns: every imputed numeric
   * (vital signs, duration, weight, declared numeric inputs) but age when the pipeline has age bands.
   */
  static List<String> contextNumeric(String[] columns) {
    List<String> all = List.of(columns);
    boolean ageBands = all.contains(FeaturePipeline.AGE_BIN_ONEHOT);
    return all.stream().filter(c -> c.startsWith("f_") && c.endsWith("_imputed"))
        .filter(c -> !(ageBands && c.equals(FeaturePipeline.imputed(io.dxpipe.schema.Bronze.AGE)))).toList();
  }

  /** The context's one-hot groups among the feature pipeline's columns: age bands and every categorical input. */
  static List<String> contextOneHot(String[] columns) {
    return List.of(columns).stream().filter(c -> c.startsWith("f_") && c.endsWith("_onehot")).toList();
  }

  /** The context's records per position, over all classes and per class, from the assembled context column. */
  private static PhenotypeModel.Context context(Dataset<Row> prepared, List<String> labels, PhenotypeModel.Counts counts) {
    List<Row> sums = prepared.groupBy(Gold.LABEL).agg(org.apache.spark.ml.stat.Summarizer.sum(col(CONTEXT)))
        .collectAsList();
    int size = ((org.apache.spark.ml.linalg.Vector) sums.get(0).get(1)).size();
    double[] all = new double[size];
    Map<String, double[]> perClass = new HashMap<>();
    long total = 0;
    for (Row r : sums) {
      double[] v = ((org.apache.spark.ml.linalg.Vector) r.get(1)).toArray();
      String code = labels.get((int) r.getDouble(0));
      perClass.put(code, v);
      total += counts.records().getOrDefault(code, 0L);
      for (int i = 0; i < size; i++) {
        all[i] += v[i];
      }
    }
    return new PhenotypeModel.Context(size, all, total, perClass);
  }

  /** Records per label and, per label, records with each symptom (a record counts once per symptom). */
  static PhenotypeModel.Counts counts(Dataset<Row> data, List<String> labels) {
    Map<String, Long> records = new HashMap<>();
    for (Row r : data.groupBy(Gold.LABEL).count().collectAsList()) {
      records.put(labels.get((int) r.getDouble(0)), r.getLong(1));
    }
    Map<String, Map<String, Long>> withSymptom = new HashMap<>();
    for (Row r : data.select(col(Gold.LABEL), explode(array_distinct(col(FeaturePipeline.SYMPTOM_TERMS))).as("term"))
        .groupBy(Gold.LABEL, "term").count().collectAsList()) {
      withSymptom.computeIfAbsent(labels.get((int) r.getDouble(0)), c -> new HashMap<>()).put(r.getString(1),
          r.getLong(2));
    }
    return new PhenotypeModel.Counts(records, withSymptom);
  }
}
