package io.dxpipe.features;

import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import io.dxpipe.schema.Silver;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.Bucketizer;
import org.apache.spark.ml.feature.CountVectorizer;
import org.apache.spark.ml.feature.CountVectorizerModel;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.PCA;
import org.apache.spark.ml.feature.PCAModel;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The feature pipeline from silver records to the model's input vector, built only from Spark ML's
 * own stages so that the fitted pipeline loads anywhere Spark ML does (Scala, Java, PySpark,
 * {@code mlflow.spark}). Stages, in order:
 * <ol>
 *   <li>SQL: numeric columns as doubles, a 0/1 missing indicator for each, categorical values with
 *       "unknown" for null, symptoms repeated by severity (so counting them weighs by severity);</li>
 *   <li>Imputer (median): fitted on the training split only, so no statistic of validation, test or
 *       scoring data leaks into the features;</li>
 *   <li>age bins (Bucketizer), categorical indexes (StringIndexer) and one-hot encodings;</li>
 *   <li>severity-weighted multi-hot symptoms and 0/1 previous diagnoses (CountVectorizer, terms seen
 *       in fewer than {@code min-term-records} training records dropped);</li>
 *   <li>standardised numerics (StandardScaler), everything assembled into {@code features_full};</li>
 *   <li>PCA to {@code features}, with as many components as the explained variance to keep needs.</li>
 * </ol>
 * Fitting runs Spark jobs; the fitted {@link PipelineModel} is what training prepends to its
 * classifier, so scoring applies exactly this transformation.
 */
public final class FeaturePipeline {
  private FeaturePipeline() {}

  static final String PREFIX = "f_";
  static final String SYMPTOM_TERMS = PREFIX + "symptom_terms";
  static final String HISTORY_TERMS = PREFIX + "history_terms";
  static final String SYMPTOM_VECTOR = PREFIX + "symptoms";
  static final String HISTORY_VECTOR = PREFIX + "history";
  static final String AGE_BIN = PREFIX + "age_bin";
  static final String NUMERIC_VECTOR = PREFIX + "numeric";
  static final String NUMERIC_SCALED = PREFIX + "numeric_scaled";

  /** The fitted pipeline and what it is made of. */
  public record Fitted(PipelineModel model, List<String> featureNames, PcaSelection pca) {}

  /** How many components were kept, and why. */
  public record PcaSelection(int inputDimension, int components, double varianceToKeep, double[] explainedVariance,
      boolean targetReached) {

    public double kept() {
      double sum = 0;
      for (int i = 0; i < components; i++) {
        sum += explainedVariance[i];
      }
      return sum;
    }
  }

  /** The silver columns the pipeline reads: the input (signature) of every model built on it. */
  public static final List<String> INPUT_COLUMNS;

  static {
    List<String> columns = new ArrayList<>(Silver.NUMERIC_COLUMNS);
    columns.addAll(Silver.CATEGORICAL_COLUMNS);
    columns.add(Bronze.SYMPTOMS);
    columns.add(Bronze.PREVIOUS_DIAGNOSES);
    INPUT_COLUMNS = List.copyOf(columns);
  }

  static String raw(String column) {
    return PREFIX + column;
  }

  static String missing(String column) {
    return PREFIX + column + "_missing";
  }

  static String imputed(String column) {
    return PREFIX + column + "_imputed";
  }

  /** The first stage: plain SQL over silver columns, no fitting. */
  static SQLTransformer prepare(FeatureSettings settings) {
    List<String> select = new ArrayList<>();
    for (String c : Silver.NUMERIC_COLUMNS) {
      select.add("CAST(" + c + " AS DOUBLE) AS " + raw(c));
      select.add("CAST(" + c + " IS NULL AS DOUBLE) AS " + missing(c));
    }
    for (String c : Silver.CATEGORICAL_COLUMNS) {
      select.add("COALESCE(" + c + ", 'unknown') AS " + raw(c));
    }
    // the casts keep the statement valid for loosely typed input too: mlflow.pyfunc turns pandas rows
    // into Spark rows by inference, so a symptom arrives as a map of strings there
    select.add(String.format(Locale.ROOT,
        "flatten(transform(%s, s -> array_repeat(CAST(s.%s AS STRING), CAST(COALESCE(s.%s, %d) AS INT)))) AS %s",
        Bronze.SYMPTOMS, Bronze.SYMPTOM_NAME, Bronze.SYMPTOM_SEVERITY, settings.defaultSeverity(), SYMPTOM_TERMS));
    select.add("COALESCE(" + Bronze.PREVIOUS_DIAGNOSES + ", array()) AS " + HISTORY_TERMS);
    return new SQLTransformer().setStatement("SELECT *, " + String.join(", ", select) + " FROM __THIS__");
  }

  /** The unfitted stages before PCA. */
  static Pipeline beforePca(FeatureSettings settings) {
    List<PipelineStage> stages = new ArrayList<>();
    stages.add(prepare(settings));
    String[] numericRaw = Silver.NUMERIC_COLUMNS.stream().map(FeaturePipeline::raw).toArray(String[]::new);
    String[] numericImputed = Silver.NUMERIC_COLUMNS.stream().map(FeaturePipeline::imputed).toArray(String[]::new);
    stages.add(new Imputer().setStrategy("median").setInputCols(numericRaw).setOutputCols(numericImputed));
    double[] splits = new double[settings.ageBins().size() + 2];
    splits[0] = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < settings.ageBins().size(); i++) {
      splits[i + 1] = settings.ageBins().get(i);
    }
    splits[splits.length - 1] = Double.POSITIVE_INFINITY;
    stages.add(new Bucketizer().setInputCol(imputed(Bronze.AGE)).setOutputCol(AGE_BIN).setSplits(splits));
    String[] categorical = Silver.CATEGORICAL_COLUMNS.stream().map(FeaturePipeline::raw).toArray(String[]::new);
    String[] indexes = Silver.CATEGORICAL_COLUMNS.stream().map(c -> raw(c) + "_index").toArray(String[]::new);
    stages.add(new StringIndexer().setInputCols(categorical).setOutputCols(indexes).setHandleInvalid("keep")
        .setStringOrderType("alphabetAsc"));
    List<String> toEncode = new ArrayList<>(List.of(indexes));
    toEncode.add(AGE_BIN);
    String[] encoded = toEncode.stream().map(c -> c + "_onehot").toArray(String[]::new);
    stages.add(new OneHotEncoder().setInputCols(toEncode.toArray(String[]::new)).setOutputCols(encoded)
        .setDropLast(false)); // the indexers' "keep" already gives unseen values their own index
    stages.add(new CountVectorizer().setInputCol(SYMPTOM_TERMS).setOutputCol(SYMPTOM_VECTOR)
        .setMinDF(settings.minTermRecords()));
    stages.add(new CountVectorizer().setInputCol(HISTORY_TERMS).setOutputCol(HISTORY_VECTOR)
        .setMinDF(settings.minTermRecords()).setBinary(true));
    stages.add(new VectorAssembler().setInputCols(numericImputed).setOutputCol(NUMERIC_VECTOR));
    stages.add(new StandardScaler().setInputCol(NUMERIC_VECTOR).setOutputCol(NUMERIC_SCALED).setWithMean(true)
        .setWithStd(true));
    List<String> assembled = new ArrayList<>();
    assembled.add(NUMERIC_SCALED);
    Silver.NUMERIC_COLUMNS.forEach(c -> assembled.add(missing(c)));
    assembled.addAll(List.of(encoded));
    assembled.add(SYMPTOM_VECTOR);
    assembled.add(HISTORY_VECTOR);
    stages.add(new VectorAssembler().setInputCols(assembled.toArray(String[]::new)).setOutputCol(Gold.FEATURES_FULL));
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new));
  }

  /**
   * Fits on the training records only. PCA is first fitted with up to {@code max-components}
   * components to read the explained variance, then refitted with the fewest components that keep
   * {@code variance-to-keep}.
   */
  public static Fitted fit(Dataset<Row> training, FeatureSettings settings) {
    PipelineModel before = beforePca(settings).fit(training);
    Dataset<Row> full = before.transform(training).select(Gold.FEATURES_FULL).cache();
    try {
      List<String> names = featureNames(before, settings);
      int dimension = ((org.apache.spark.ml.linalg.Vector) full.first().get(0)).size();
      if (dimension != names.size()) {
        throw new IllegalStateException("feature names (" + names.size() + ") do not match the vector size ("
            + dimension + "): FeaturePipeline.featureNames is out of step with the stages");
      }
      int probe = Math.min(settings.maxComponents(), dimension);
      PCAModel wide = new PCA().setInputCol(Gold.FEATURES_FULL).setOutputCol(Gold.FEATURES).setK(probe).fit(full);
      double[] variance = wide.explainedVariance().toArray();
      int k = variance.length;
      double cumulative = 0;
      boolean reached = false;
      for (int i = 0; i < variance.length; i++) {
        cumulative += variance[i];
        if (cumulative >= settings.varianceToKeep() - 1e-12) {
          k = i + 1;
          reached = true;
          break;
        }
      }
      PCAModel pca = k == probe ? wide
          : new PCA().setInputCol(Gold.FEATURES_FULL).setOutputCol(Gold.FEATURES).setK(k).fit(full);
      List<Transformer> stages = new ArrayList<>(List.of(before.stages()));
      stages.add(pca);
      PipelineModel model = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(training.limit(0));
      return new Fitted(model, names, new PcaSelection(dimension, k, settings.varianceToKeep(), variance, reached));
    } finally {
      full.unpersist();
    }
  }

  /** The name of each position of {@code features_full}, in order. */
  static List<String> featureNames(PipelineModel before, FeatureSettings settings) {
    List<String> names = new ArrayList<>();
    Silver.NUMERIC_COLUMNS.forEach(c -> names.add(c + " (scaled)"));
    Silver.NUMERIC_COLUMNS.forEach(c -> names.add(c + " missing"));
    StringIndexerModel indexer = stage(before, StringIndexerModel.class, 0);
    String[][] labels = indexer.labelsArray();
    for (int i = 0; i < Silver.CATEGORICAL_COLUMNS.size(); i++) {
      for (String label : labels[i]) {
        names.add(Silver.CATEGORICAL_COLUMNS.get(i) + "=" + label);
      }
      names.add(Silver.CATEGORICAL_COLUMNS.get(i) + "=(unseen)");
    }
    List<Double> bins = settings.ageBins();
    for (int i = 0; i <= bins.size(); i++) {
      String from = i == 0 ? "" : fmt(bins.get(i - 1));
      String to = i == bins.size() ? "" : fmt(bins.get(i));
      names.add("age bin [" + from + "," + to + ")");
    }
    for (String term : stage(before, CountVectorizerModel.class, 0).vocabulary()) {
      names.add("symptom " + term);
    }
    for (String term : stage(before, CountVectorizerModel.class, 1).vocabulary()) {
      names.add("previous " + term);
    }
    return names;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  private static <T> T stage(PipelineModel model, Class<T> type, int nth) {
    int seen = 0;
    for (Transformer t : model.stages()) {
      if (type.isInstance(t) && seen++ == nth) {
        return type.cast(t);
      }
    }
    throw new IllegalStateException("the feature pipeline has no stage " + type.getSimpleName() + " #" + nth);
  }
}
