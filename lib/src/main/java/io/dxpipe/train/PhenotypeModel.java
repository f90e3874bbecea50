package io.dxpipe.train;

import io.dxpipe.catalogue.Disease;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.catalogue.Symptom;
import io.dxpipe.catalogue.SymptomFrequency;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.CountVectorizerModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseMatrix;
import org.apache.spark.ml.util.Identifiable;

/**
 * The catalogue's phenotype knowledge as a classifier over every disease, those without a single
 * training record included: a Bernoulli naive Bayes over the set of symptoms a record has, whose
 * probabilities come from the annotations (HPO/Orphanet frequencies for orphan diseases, the Kaggle
 * table's for common ones), blended with the training records' counts.
 *
 * <p>For disease c and symptom j, with {@code f} the annotated frequency, {@code n_c} the training
 * records of c and {@code n_cj} those with j:
 * <pre>
 *   k_cj = presentation * f_cj     (annotated: a record shows part of the textbook picture)
 *        = background               (neither annotated nor seen with c)
 *        = background * excluded    (annotated NOT to occur: HPO NOT rows)
 *   p_cj = (n_cj + strength * k_cj) / (n_c + strength), clipped to [background * excluded, max]
 *   log prior_c = prior * log(n_c + 1)   (0: uniform over the diseases)
 * </pre>
 * so a disease without records follows its annotations and one with many follows its data. A
 * symptom neither annotated with c nor seen with it keeps the background {@code p_cj = background}.
 *
 * <p><b>One standard stage.</b> A naive Bayes posterior is a softmax of a linear score: with
 * {@code b = logit(background)}, log P(c | x) = const + [log prior_c + sum_j log(1 - p_cj)] +
 * sum_{j in x} (logit(p_cj) - b), because the term {@code |x| * b} is the same for every class.
 * The bracket is the intercept and {@code logit(p_cj) - b} the coefficient, zero wherever
 * {@code p_cj} is the background. So the model is Spark's multinomial
 * {@link LogisticRegressionModel} with a <em>sparse</em> coefficient matrix (about 120,000 non-zeros
 * for 4,142 diseases x 8,504 symptoms: a few MB, where a dense naive Bayes matrix would take 280 MB),
 * which {@code transform}, the row evaluator, {@code mlflow.spark} and PySpark load like any other.
 * Its input is {@link #vectorizer}: the binary set of the record's catalogue symptoms.
 */
public final class PhenotypeModel {

  /**
   * @param presentation share of its annotated frequency with which a record shows a symptom
   *     (records note part of the picture: the sample generator keeps 20-80% of it)
   * @param background chance that a record shows a symptom its disease is neither annotated with nor
   *     seen with in training (noise, comorbidity, an unannotated feature)
   * @param excluded factor on {@code background} for a symptom annotated NOT to occur
   * @param strength pseudo-records the annotations count for against a disease's training records
   * @param maxProbability upper clip of p (1.0 would make the absence of an Obligate symptom impossible)
   * @param prior weight of the training records in the class prior: log prior_c = prior * log(n_c + 1),
   *     so 0 is uniform over the diseases and 1 is proportional to the records (plus one, so a disease
   *     without records keeps a chance)
   */
  public record Settings(double presentation, double background, double excluded, double strength,
      double maxProbability, double prior) {
    public Settings(double presentation, double background, double excluded, double strength, double maxProbability) {
      this(presentation, background, excluded, strength, maxProbability, 0);
    }

    public Settings {
      require(prior >= 0 && prior <= 1, "prior must be in [0, 1]: " + prior);
      require(presentation > 0 && presentation <= 1, "presentation must be in (0, 1]: " + presentation);
      require(background > 0 && background < 0.5, "background must be in (0, 0.5): " + background);
      require(excluded > 0 && excluded <= 1, "excluded must be in (0, 1]: " + excluded);
      require(strength >= 0, "strength must be at least 0: " + strength);
      require(maxProbability > background && maxProbability < 1, "max-probability must be in (background, 1): " + maxProbability);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException("phenotype model: " + message);
      }
    }
  }

  public static final Settings DEFAULTS = new Settings(0.5, 0.002, 0.1, 10, 0.99);

  /**
   * Training records per disease code, and per disease the records with each symptom (a record
   * counts once per symptom, whatever its severity).
   */
  public record Counts(Map<String, Long> records, Map<String, Map<String, Long>> withSymptom) {
    public static final Counts NONE = new Counts(Map.of(), Map.of());
  }

  private final List<String> classes;
  private final String[] vocabulary;
  private final LogisticRegressionModel model;

  private PhenotypeModel(List<String> classes, String[] vocabulary, LogisticRegressionModel model) {
    this.classes = classes;
    this.vocabulary = vocabulary;
    this.model = model;
  }

  /** The diseases in class-index order (the catalogue's order), for the index-to-code stage. */
  public List<String> classes() {
    return classes;
  }

  /** The symptom codes in feature order (the catalogue's symptoms, sorted). */
  public String[] vocabulary() {
    return vocabulary.clone();
  }

  public LogisticRegressionModel classifier() {
    return model;
  }

  /** The binary symptom set over {@link #vocabulary}, from an array column of symptom codes. */
  public CountVectorizerModel vectorizer(String inputColumn, String outputColumn) {
    return new CountVectorizerModel(vocabulary).setInputCol(inputColumn).setOutputCol(outputColumn).setBinary(true);
  }

  /** Non-zero coefficients: the (disease, symptom) pairs that differ from the background. */
  public int nonZeros() {
    return ((SparseMatrix) model.coefficientMatrix()).values().length;
  }

  /** Over the catalogue's diseases, in its order. */
  public static PhenotypeModel build(DiseaseCatalogue catalogue, Counts counts, Settings s) {
    return build(catalogue, catalogue.diseases().stream().map(Disease::code).toList(), counts, s);
  }

  /**
   * The classes of a model trained beside data-driven candidates: the training labels first, in
   * their index order (so class i is label i for the label column and the metrics), then every
   * other catalogue disease in the catalogue's order.
   */
  public static List<String> classes(List<String> labels, DiseaseCatalogue catalogue) {
    java.util.LinkedHashSet<String> classes = new java.util.LinkedHashSet<>(labels);
    catalogue.diseases().forEach(d -> classes.add(d.code()));
    return List.copyOf(classes);
  }

  /**
   * Over the given classes, in that order. A class the catalogue does not describe (a label of the
   * user's own) has no annotation: it follows its training counts over the background.
   */
  public static PhenotypeModel build(DiseaseCatalogue catalogue, List<String> classCodes, Counts counts, Settings s) {
    return build(catalogue, classCodes, counts, Context.NONE, s);
  }

  /**
   * Context features after the symptoms: one-hot groups (age band, sex, a vital sign's quantile
   * band...) of which a record has exactly one position set per group. The catalogue knows nothing
   * of them, so they are learnt from the records alone, as categorical naive Bayes terms against
   * the marginal: for class c and position v, {@code log(p_cv / m_v)} with
   * {@code p_cv = (n_cv + strength * m_v) / (n_c + strength)} and {@code m_v} the share of all
   * records with v (at least half a record). A disease without records has {@code p_cv = m_v}: its
   * context terms are 0, so context never speaks for or against a disease nobody has seen.
   *
   * @param positions the context vector's size
   * @param records records per position, over all classes
   * @param total all records
   * @param perClass per class code, its records per position
   */
  public record Context(int positions, double[] records, long total, Map<String, double[]> perClass) {
    public static final Context NONE = new Context(0, new double[0], 0, Map.of());

    double marginal(int v) {
      return Math.max(records[v], 0.5) / Math.max(total, 1);
    }
  }

  /** As above, with context features after the symptoms (the classifier reads symptoms then context). */
  public static PhenotypeModel build(DiseaseCatalogue catalogue, List<String> classCodes, Counts counts,
      Context context, Settings s) {
    Map<String, Disease> known = catalogue.diseasesByCode();
    String[] vocabulary = catalogue.symptoms().stream().map(Symptom::code).sorted().toArray(String[]::new);
    Map<String, Integer> column = new HashMap<>();
    for (int j = 0; j < vocabulary.length; j++) {
      column.put(vocabulary[j], j);
    }
    double floor = s.background() * s.excluded();
    double logitBackground = logit(s.background());
    double log1mBackground = Math.log1p(-s.background());
    // per feature column: (row, value) pairs, rows ascending because diseases are visited in order
    int width = vocabulary.length + context.positions();
    List<List<double[]>> byColumn = new ArrayList<>(width);
    for (int j = 0; j < width; j++) {
      byColumn.add(new ArrayList<>());
    }
    int k = classCodes.size();
    if (new java.util.HashSet<>(classCodes).size() != k) {
      throw new IllegalArgumentException("phenotype model: a class is named twice in " + classCodes);
    }
    double[] intercept = new double[k];
    for (int c = 0; c < k; c++) {
      String code = classCodes.get(c);
      Disease d = known.get(code);
      long n = counts.records().getOrDefault(code, 0L);
      Map<String, Long> seen = counts.withSymptom().getOrDefault(code, Map.of());
      // knowledge k_cj where it is not the background
      Map<String, Double> knowledge = new TreeMap<>();
      for (SymptomFrequency f : d == null ? List.<SymptomFrequency>of() : d.symptoms()) {
        knowledge.put(f.symptom(), s.presentation() * f.frequency());
      }
      for (String excluded : d == null ? List.<String>of() : d.excludedSymptoms()) {
        knowledge.putIfAbsent(excluded, floor);
      }
      Map<String, Double> p = new TreeMap<>();
      for (Map.Entry<String, Double> e : knowledge.entrySet()) {
        p.put(e.getKey(), blend(seen.getOrDefault(e.getKey(), 0L), n, e.getValue(), s));
      }
      for (Map.Entry<String, Long> e : seen.entrySet()) {
        if (!knowledge.containsKey(e.getKey())) {
          p.put(e.getKey(), blend(e.getValue(), n, s.background(), s));
        }
      }
      // intercept: sum over every symptom of log(1 - p); the background ones all at once
      double sum = (vocabulary.length - countKnown(p, column)) * log1mBackground;
      for (Map.Entry<String, Double> e : p.entrySet()) {
        Integer j = column.get(e.getKey());
        if (j == null) {
          continue; // a symptom outside the catalogue's vocabulary is no feature
        }
        double pj = e.getValue();
        sum += Math.log1p(-pj);
        double w = logit(pj) - logitBackground;
        if (w != 0) {
          byColumn.get(j).add(new double[] {c, w});
        }
      }
      // the class prior: uniform (prior 0: every disease equally likely before its symptoms) or
      // leaning towards the diseases with training records
      intercept[c] = sum + s.prior() * Math.log(n + 1.0);
      double[] inContext = context.perClass().get(code);
      for (int v = 0; n > 0 && inContext != null && v < context.positions(); v++) {
        double m = context.marginal(v);
        double w = Math.log((inContext[v] + s.strength() * m) / (n + s.strength())) - Math.log(m);
        if (w != 0) {
          byColumn.get(vocabulary.length + v).add(new double[] {c, w});
        }
      }
    }
    int nonZeros = byColumn.stream().mapToInt(List::size).sum();
    int[] colPtrs = new int[width + 1];
    int[] rowIndices = new int[nonZeros];
    double[] values = new double[nonZeros];
    int at = 0;
    for (int j = 0; j < width; j++) {
      colPtrs[j] = at;
      for (double[] entry : byColumn.get(j)) {
        rowIndices[at] = (int) entry[0];
        values[at] = entry[1];
        at++;
      }
    }
    colPtrs[width] = at;
    SparseMatrix coefficients = new SparseMatrix(k, width, colPtrs, rowIndices, values);
    LogisticRegressionModel lr = new LogisticRegressionModel(Identifiable.randomUID("phenotype_prior"),
        coefficients, new DenseVector(intercept), k, true);
    return new PhenotypeModel(List.copyOf(classCodes), vocabulary, lr);
  }

  private static int countKnown(Map<String, Double> p, Map<String, Integer> column) {
    int known = 0;
    for (String code : p.keySet()) {
      if (column.containsKey(code)) {
        known++;
      }
    }
    return known;
  }

  private static double blend(long withSymptom, long records, double knowledge, Settings s) {
    double p = records == 0 ? knowledge : (withSymptom + s.strength() * knowledge) / (records + s.strength());
    return Math.max(s.background() * s.excluded(), Math.min(s.maxProbability(), p));
  }

  private static double logit(double p) {
    return Math.log(p) - Math.log1p(-p);
  }

  /** The indices of the {@code k} largest values, largest first (ties: the smaller index first). */
  public static int[] topK(double[] values, int k) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> values[a] != values[b] ? Double.compare(values[b], values[a]) : Integer.compare(a, b));
    int[] top = new int[Math.min(k, values.length)];
    for (int i = 0; i < top.length; i++) {
      top[i] = order[i];
    }
    return top;
  }
}
