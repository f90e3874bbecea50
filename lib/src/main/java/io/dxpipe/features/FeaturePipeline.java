package io.dxpipe.features;

import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.DeclaredInputs;
import io.dxpipe.schema.Gold;
import io.dxpipe.schema.Silver;
import io.dxpipe.serve.PrepareStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
  /** The prepared symptom codes of a record, repeated by severity (the first stage's output). */
  public static final String SYMPTOM_TERMS = PREFIX + "symptom_terms";
  static final String HISTORY_TERMS = PREFIX + "history_terms";
  static final String SYMPTOM_VECTOR = PREFIX + "symptoms";
  static final String HISTORY_VECTOR = PREFIX + "history";
  static final String AGE_BIN = PREFIX + "age_bin";
  /** The one-hot age band (when age is an input). */
  public static final String AGE_BIN_ONEHOT = AGE_BIN + "_onehot";
  static final String NUMERIC_VECTOR = PREFIX + "numeric";
  static final String NUMERIC_SCALED = PREFIX + "numeric_scaled";

  /**
   * The fitted pipeline and what it is made of.
   *
   * @param dropped inputs left out because the training records have no value for them, with why
   */
  public record Fitted(PipelineModel model, List<String> featureNames, PcaSelection pca, Map<String, String> dropped) {}

  /**
   * Which inputs have values in the training records: the numeric columns (built-in and declared
   * numeric or ordinal inputs) with at least one value, the declared categorical inputs with at least
   * one value, and whether any symptom / previous diagnosis is seen in at least
   * {@code min-term-records} records. An input without values cannot be imputed or counted (Spark's
   * Imputer and CountVectorizer refuse it): it is left out of the pipeline, or refused by setting.
   * Inputs are named by their feature key: a built-in column's name, or {@code input_<name>} for a
   * declared input.
   */
  record Inputs(List<String> numeric, List<String> categorical, boolean symptoms, boolean history,
      Map<String, String> dropped) {
    static Inputs all(FeatureSettings settings) {
      java.util.Set<String> excluded = java.util.Set.copyOf(settings.excludeInputs());
      return new Inputs(numericKeys(settings.inputs()).stream().filter(k -> !excluded.contains(display(k))).toList(),
          categoricalKeys(settings.inputs()).stream().filter(k -> !excluded.contains(display(k))).toList(),
          !excluded.contains(Bronze.SYMPTOMS), !excluded.contains(Bronze.PREVIOUS_DIAGNOSES), Map.of());
    }

    static Inputs of(Dataset<Row> training, FeatureSettings settings) {
      Dataset<Row> prepared = prepare(settings).transform(training);
      Inputs candidates = all(settings); // every input not excluded; the checks below need values for them
      List<String> numericKeys = candidates.numeric();
      List<String> declaredCategorical = candidates.categorical().stream()
          .filter(k -> !Silver.CATEGORICAL_COLUMNS.contains(k)).toList();
      List<org.apache.spark.sql.Column> counts = new ArrayList<>();
      for (String c : numericKeys) {
        counts.add(org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.col(raw(c))));
      }
      for (String c : declaredCategorical) {
        counts.add(org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.when(
            org.apache.spark.sql.functions.col(raw(c)).notEqual("unknown"), 1)));
      }
      Row row = counts.isEmpty() ? null // every numeric input excluded, no declared categorical one
          : prepared.agg(counts.get(0), counts.subList(1, counts.size()).toArray(org.apache.spark.sql.Column[]::new))
              .first();
      List<String> numeric = new ArrayList<>();
      Map<String, String> dropped = new java.util.LinkedHashMap<>();
      for (int i = 0; i < numericKeys.size(); i++) {
        if (row.getLong(i) > 0) {
          numeric.add(numericKeys.get(i));
        } else {
          dropped.put(display(numericKeys.get(i)), "no value in the train split");
        }
      }
      List<String> categorical = new ArrayList<>(candidates.categorical().stream()
          .filter(Silver.CATEGORICAL_COLUMNS::contains).toList());
      for (int i = 0; i < declaredCategorical.size(); i++) {
        if (row.getLong(numericKeys.size() + i) > 0) {
          categorical.add(declaredCategorical.get(i));
        } else {
          dropped.put(display(declaredCategorical.get(i)), "no value in the train split");
        }
      }
      boolean symptoms = candidates.symptoms() && hasTerms(training,
          org.apache.spark.sql.functions.transform(org.apache.spark.sql.functions.col(Bronze.SYMPTOMS),
              x -> x.getField(Bronze.SYMPTOM_NAME)), settings);
      if (!symptoms && candidates.symptoms()) {
        dropped.put(Bronze.SYMPTOMS, "no symptom in at least " + settings.minTermRecords() + " train records");
      }
      boolean history = candidates.history()
          && hasTerms(training, org.apache.spark.sql.functions.col(Bronze.PREVIOUS_DIAGNOSES), settings);
      if (!history && candidates.history()) {
        dropped.put(Bronze.PREVIOUS_DIAGNOSES, "no previous diagnosis in at least " + settings.minTermRecords()
            + " train records");
      }
      if (numeric.isEmpty() && !symptoms) {
        throw new IllegalArgumentException("the train split has no numeric input with a value and no symptom: "
            + "nothing to learn from (" + dropped + ")");
      }
      if (!dropped.isEmpty() && settings.missingInput() == FeatureSettings.MissingInput.FAIL) {
        throw new IllegalArgumentException("inputs without values in the train split: " + dropped
            + " (dxpipe.features.missing-input = fail; set it to drop to train without them)");
      }
      settings.excludeInputs().forEach(e -> dropped.put(e, "excluded (dxpipe.features.exclude-inputs)"));
      return new Inputs(List.copyOf(numeric), List.copyOf(categorical), symptoms, history,
          java.util.Collections.unmodifiableMap(dropped));
    }

    /** Whether some term of the array column is in at least min-term-records records (CountVectorizer's minDF). */
    private static boolean hasTerms(Dataset<Row> training, org.apache.spark.sql.Column terms, FeatureSettings settings) {
      return !training.select(org.apache.spark.sql.functions.explode(org.apache.spark.sql.functions.array_distinct(
          terms)).as("term")).filter(org.apache.spark.sql.functions.col("term").isNotNull()).groupBy("term").count()
          .filter(org.apache.spark.sql.functions.col("count").geq(settings.minTermRecords())).limit(1).isEmpty();
    }
  }

  /** The numeric feature keys: the built-in numeric columns, then the declared numeric and ordinal inputs. */
  static List<String> numericKeys(DeclaredInputs declared) {
    List<String> keys = new ArrayList<>(Silver.NUMERIC_COLUMNS);
    declared.numeric().forEach(i -> keys.add(PrepareStatement.key(i)));
    return List.copyOf(keys);
  }

  /** The categorical feature keys: the built-in categorical columns, then the declared categorical inputs. */
  static List<String> categoricalKeys(DeclaredInputs declared) {
    List<String> keys = new ArrayList<>(Silver.CATEGORICAL_COLUMNS);
    declared.categorical().forEach(i -> keys.add(PrepareStatement.key(i)));
    return List.copyOf(keys);
  }

  /** A feature key as people read it: the column's or the declared input's name. */
  static String display(String key) {
    return key.startsWith(PrepareStatement.INPUT_KEY) ? key.substring(PrepareStatement.INPUT_KEY.length()) : key;
  }


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

  /**
   * The silver columns the pipeline reads without declared inputs: the input (signature) of every
   * model built without them; {@link #inputColumns(PipelineModel)} gives a fitted model's.
   */
  public static final List<String> INPUT_COLUMNS;

  static {
    List<String> columns = new ArrayList<>(Silver.NUMERIC_COLUMNS);
    columns.addAll(Silver.CATEGORICAL_COLUMNS);
    columns.add(Bronze.SYMPTOMS);
    columns.add(Bronze.PREVIOUS_DIAGNOSES);
    INPUT_COLUMNS = List.copyOf(columns);
  }

  /** The silver columns a fitted pipeline (or a model starting with one) reads: with {@code inputs} when it declares inputs. */
  public static List<String> inputColumns(PipelineModel model) {
    return declaredInputs(model).isEmpty() ? INPUT_COLUMNS
        : java.util.stream.Stream.concat(INPUT_COLUMNS.stream(), java.util.stream.Stream.of(DeclaredInputs.COLUMN)).toList();
  }

  /** The declared inputs a fitted pipeline (or a model starting with one) reads, from its SQL stage. */
  public static DeclaredInputs declaredInputs(PipelineModel model) {
    Transformer first = model.stages().length == 0 ? null : model.stages()[0];
    while (first instanceof PipelineModel p && p.stages().length > 0) {
      first = p.stages()[0];
    }
    return first instanceof SQLTransformer sql ? PrepareStatement.declaredInputs(sql.getStatement()) : DeclaredInputs.NONE;
  }

  static String raw(String column) {
    return PREFIX + column;
  }

  static String missing(String column) {
    return PREFIX + column + "_missing";
  }

  /** The column holding a numeric input's imputed value. */
  public static String imputed(String column) {
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
    // declared inputs (dxpipe.inputs) from the inputs map; nothing when none is declared, so the
    // statement is the one models were built with before inputs could be declared
    return new SQLTransformer().setStatement("SELECT *, " + String.join(", ", select)
        + PrepareStatement.declared(settings.inputs()) + " FROM __THIS__");
  }

  /** The unfitted stages before PCA, for every input. */
  static Pipeline beforePca(FeatureSettings settings) {
    return beforePca(settings, Inputs.all(settings));
  }

  /** The unfitted stages before PCA, for the inputs that have values. */
  static Pipeline beforePca(FeatureSettings settings, Inputs inputs) {
    List<PipelineStage> stages = new ArrayList<>();
    stages.add(prepare(settings));
    String[] numericRaw = inputs.numeric().stream().map(FeaturePipeline::raw).toArray(String[]::new);
    String[] numericImputed = inputs.numeric().stream().map(FeaturePipeline::imputed).toArray(String[]::new);
    boolean hasAge = inputs.numeric().contains(Bronze.AGE);
    if (numericRaw.length > 0) {
      stages.add(new Imputer().setStrategy("median").setInputCols(numericRaw).setOutputCols(numericImputed));
    }
    double[] splits = new double[settings.ageBins().size() + 2];
    splits[0] = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < settings.ageBins().size(); i++) {
      splits[i + 1] = settings.ageBins().get(i);
    }
    splits[splits.length - 1] = Double.POSITIVE_INFINITY;
    if (hasAge) {
      stages.add(new Bucketizer().setInputCol(imputed(Bronze.AGE)).setOutputCol(AGE_BIN).setSplits(splits));
    }
    String[] categorical = inputs.categorical().stream().map(FeaturePipeline::raw).toArray(String[]::new);
    String[] indexes = inputs.categorical().stream().map(c -> raw(c) + "_index").toArray(String[]::new);
    stages.add(new StringIndexer().setInputCols(categorical).setOutputCols(indexes).setHandleInvalid("keep")
        .setStringOrderType("alphabetAsc"));
    List<String> toEncode = new ArrayList<>(List.of(indexes));
    if (hasAge) {
      toEncode.add(AGE_BIN);
    }
    String[] encoded = toEncode.stream().map(c -> c + "_onehot").toArray(String[]::new);
    stages.add(new OneHotEncoder().setInputCols(toEncode.toArray(String[]::new)).setOutputCols(encoded)
        .setDropLast(false)); // the indexers' "keep" already gives unseen values their own index
    if (inputs.symptoms()) {
      stages.add(new CountVectorizer().setInputCol(SYMPTOM_TERMS).setOutputCol(SYMPTOM_VECTOR)
          .setMinDF(settings.minTermRecords()));
    }
    if (inputs.history()) {
      stages.add(new CountVectorizer().setInputCol(HISTORY_TERMS).setOutputCol(HISTORY_VECTOR)
          .setMinDF(settings.minTermRecords()).setBinary(true));
    }
    List<String> assembled = new ArrayList<>();
    if (numericImputed.length > 0) {
      stages.add(new VectorAssembler().setInputCols(numericImputed).setOutputCol(NUMERIC_VECTOR));
      stages.add(new StandardScaler().setInputCol(NUMERIC_VECTOR).setOutputCol(NUMERIC_SCALED).setWithMean(true)
          .setWithStd(true));
      assembled.add(NUMERIC_SCALED);
    }
    inputs.numeric().forEach(c -> assembled.add(missing(c)));
    assembled.addAll(List.of(encoded));
    if (inputs.symptoms()) {
      assembled.add(SYMPTOM_VECTOR);
    }
    if (inputs.history()) {
      assembled.add(HISTORY_VECTOR);
    }
    stages.add(new VectorAssembler().setInputCols(assembled.toArray(String[]::new)).setOutputCol(Gold.FEATURES_FULL));
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new));
  }

  /**
   * Fits on the training records only. PCA is first fitted with up to {@code max-components}
   * components to read the explained variance, then refitted with the fewest components that keep
   * {@code variance-to-keep}.
   */
  public static Fitted fit(Dataset<Row> training, FeatureSettings settings) {
    Inputs inputs = Inputs.of(training, settings);
    PipelineModel before = beforePca(settings, inputs).fit(training);
    Dataset<Row> full = before.transform(training).select(Gold.FEATURES_FULL).cache();
    try {
      List<String> names = featureNames(before, settings, inputs);
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
      return new Fitted(model, names, new PcaSelection(dimension, k, settings.varianceToKeep(), variance, reached),
          inputs.dropped());
    } finally {
      full.unpersist();
    }
  }

  /** The name of each position of {@code features_full}, in order. */
  static List<String> featureNames(PipelineModel before, FeatureSettings settings, Inputs inputs) {
    List<String> names = new ArrayList<>();
    inputs.numeric().forEach(c -> names.add(display(c) + " (scaled)"));
    inputs.numeric().forEach(c -> names.add(display(c) + " missing"));
    StringIndexerModel indexer = stage(before, StringIndexerModel.class, 0);
    String[][] labels = indexer.labelsArray();
    for (int i = 0; i < inputs.categorical().size(); i++) {
      String name = display(inputs.categorical().get(i));
      for (String label : labels[i]) {
        names.add(name + "=" + label);
      }
      names.add(name + "=(unseen)");
    }
    List<Double> bins = settings.ageBins();
    for (int i = 0; inputs.numeric().contains(Bronze.AGE) && i <= bins.size(); i++) {
      String from = i == 0 ? "" : fmt(bins.get(i - 1));
      String to = i == bins.size() ? "" : fmt(bins.get(i));
      names.add("age bin [" + from + "," + to + ")");
    }
    int vectorizer = 0;
    if (inputs.symptoms()) {
      for (String term : stage(before, CountVectorizerModel.class, vectorizer++).vocabulary()) {
        names.add("symptom " + term);
      }
    }
    if (inputs.history()) {
      for (String term : stage(before, CountVectorizerModel.class, vectorizer).vocabulary()) {
        names.add("previous " + term);
      }
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
