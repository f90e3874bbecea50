package io.dxpipe.train;

import io.dxpipe.config.Keys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LinearSVC;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.classification.NaiveBayes;
import org.apache.spark.ml.classification.OneVsRest;
import org.apache.spark.ml.classification.RandomForestClassifier;

/**
 * The candidate learners, each with its grid keys ({@code dxpipe.train.grids.<name>}) and how it takes
 * class weights. Every learner but the multilayer perceptron reads them through {@code weightCol}
 * (one-vs-rest passes the column to each binary model); the perceptron has no weight support in
 * Spark, so {@link ClassWeights#resample} balances its training records instead. The phenotype
 * model is no Spark estimator: {@link PhenotypeFit} builds it from the catalogue and the records'
 * counts, over the record's symptom set and context instead of the features column, with a class
 * prior of its own (uniform over all catalogue diseases by default) instead of class weights.
 */
public enum Learner {
  LOGISTIC_REGRESSION("logistic-regression", List.of("reg-param", "elastic-net-param", "max-iter")),
  RANDOM_FOREST("random-forest", List.of("num-trees", "max-depth")),
  GBT_OVR("gbt-ovr", List.of("max-iter", "max-depth")),
  LINEAR_SVC_OVR("linear-svc-ovr", List.of("reg-param", "max-iter")),
  MLP("mlp", List.of("hidden-layers", "max-iter")),
  /**
   * Spark's naive Bayes, Gaussian: the only one of its model types that takes the negative values of
   * the standardised numerics and of the PCA components (multinomial, complement and Bernoulli need
   * non-negative counts or 0/1), so the only type the grid accepts.
   */
  NAIVE_BAYES("naive-bayes", List.of("model-type")),
  /** The catalogue's phenotype knowledge blended with the records' counts ({@link PhenotypeFit}). */
  PHENOTYPE("phenotype", List.of("presentation", "background", "strength", "prior", "context"));

  private final String configName;
  private final List<String> gridKeys;

  Learner(String configName, List<String> gridKeys) {
    this.configName = configName;
    this.gridKeys = gridKeys;
  }

  public String configName() {
    return configName;
  }

  /** True when the learner reads {@code weightCol}; false when its records are resampled instead. */
  public boolean supportsWeightColumn() {
    return this != MLP;
  }

  /** False for the phenotype model, whose own class prior (uniform over the diseases by default) replaces them. */
  public boolean takesClassWeights() {
    return this != PHENOTYPE;
  }

  /** True when the fitted model outputs a probability vector (one-vs-rest gives margins only). */
  public boolean hasProbability() {
    return this != GBT_OVR && this != LINEAR_SVC_OVR;
  }

  /** Every combination of the grid's values, in a stable order, keys as in the config. */
  public List<Map<String, Object>> grid(Keys grids) {
    Keys keys = Keys.of(grids.section(configName), grids.prefix() + "." + configName);
    keys.allowOnly(gridKeys);
    List<Map<String, Object>> points = new ArrayList<>();
    points.add(new LinkedHashMap<>());
    for (String key : gridKeys) {
      List<?> values = this == MLP && key.equals("hidden-layers") ? layers(keys)
          : this == NAIVE_BAYES ? naiveBayesTypes(keys) : keys.numbers(key);
      if (values.isEmpty()) {
        throw keys.invalid(key, "needs at least one value");
      }
      List<Map<String, Object>> next = new ArrayList<>();
      for (Map<String, Object> point : points) {
        for (Object v : values) {
          Map<String, Object> p = new LinkedHashMap<>(point);
          p.put(key, v);
          next.add(p);
        }
      }
      points = next;
    }
    return points;
  }

  private static List<String> naiveBayesTypes(Keys keys) {
    List<String> types = keys.strings("model-type");
    for (String type : types) {
      if (!type.equals("gaussian")) {
        throw keys.invalid("model-type", "must be [gaussian] but names '" + type + "': the features columns hold "
            + "standardised numerics and PCA components, which can be negative, and Spark's multinomial, "
            + "complement and bernoulli types need non-negative input");
      }
    }
    return types;
  }

  private static List<List<Integer>> layers(Keys keys) {
    List<List<Integer>> layers = new ArrayList<>();
    for (Object o : keys.values("hidden-layers")) {
      if (!(o instanceof List<?> sizes) || sizes.stream().anyMatch(s -> !(s instanceof Number n) || n.intValue() < 1)) {
        throw keys.invalid("hidden-layers", "must be a list of layer-size lists such as [[64], [128, 64]]");
      }
      layers.add(sizes.stream().map(s -> ((Number) s).intValue()).toList());
    }
    return layers;
  }

  /**
   * The estimator for one grid point, reading {@code features} and {@code label}.
   *
   * @param weightColumn the weight column, or null for none
   */
  public Estimator<?> estimator(Map<String, Object> params, String weightColumn, int inputSize, int classes,
      long seed, int ovrParallelism) {
    return switch (this) {
      case LOGISTIC_REGRESSION -> {
        LogisticRegression lr = new LogisticRegression().setFamily("multinomial")
            .setRegParam(num(params, "reg-param")).setElasticNetParam(num(params, "elastic-net-param"))
            .setMaxIter((int) num(params, "max-iter"));
        yield weightColumn == null ? lr : lr.setWeightCol(weightColumn);
      }
      case RANDOM_FOREST -> {
        RandomForestClassifier rf = new RandomForestClassifier().setNumTrees((int) num(params, "num-trees"))
            .setMaxDepth((int) num(params, "max-depth")).setSeed(seed);
        yield weightColumn == null ? rf : rf.setWeightCol(weightColumn);
      }
      case GBT_OVR -> {
        GBTClassifier gbt = new GBTClassifier().setMaxIter((int) num(params, "max-iter"))
            .setMaxDepth((int) num(params, "max-depth")).setSeed(seed);
        OneVsRest ovr = new OneVsRest().setClassifier(gbt).setParallelism(ovrParallelism);
        yield weightColumn == null ? ovr : ovr.setWeightCol(weightColumn);
      }
      case LINEAR_SVC_OVR -> {
        LinearSVC svc = new LinearSVC().setRegParam(num(params, "reg-param")).setMaxIter((int) num(params, "max-iter"));
        OneVsRest ovr = new OneVsRest().setClassifier(svc).setParallelism(ovrParallelism);
        yield weightColumn == null ? ovr : ovr.setWeightCol(weightColumn);
      }
      case MLP -> {
        @SuppressWarnings("unchecked")
        List<Integer> hidden = (List<Integer>) params.get("hidden-layers");
        int[] layers = new int[hidden.size() + 2];
        layers[0] = inputSize;
        for (int i = 0; i < hidden.size(); i++) {
          layers[i + 1] = hidden.get(i);
        }
        layers[layers.length - 1] = classes;
        yield new MultilayerPerceptronClassifier().setLayers(layers).setMaxIter((int) num(params, "max-iter"))
            .setSeed(seed);
      }
      case NAIVE_BAYES -> {
        NaiveBayes nb = new NaiveBayes().setModelType((String) params.get("model-type"));
        yield weightColumn == null ? nb : nb.setWeightCol(weightColumn);
      }
      case PHENOTYPE -> throw new IllegalStateException("the phenotype model is no Spark estimator: PhenotypeFit "
          + "builds it");
    };
  }

  private static double num(Map<String, Object> params, String key) {
    return ((Number) params.get(key)).doubleValue();
  }

  public static Learner parse(Keys keys, String key, String value) {
    for (Learner l : values()) {
      if (l.configName.equals(value.toLowerCase(Locale.ROOT))) {
        return l;
      }
    }
    throw keys.invalid(key, "'" + value + "' is not a learner (known: "
        + String.join(", ", java.util.Arrays.stream(values()).map(Learner::configName).toList()) + ")");
  }
}
