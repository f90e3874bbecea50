package io.dxpipe.serve;

import io.dxpipe.features.FeaturePipeline;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.DeclaredInputs;
import io.dxpipe.schema.Silver;
import io.dxpipe.score.TopClasses;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.ClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.OneVsRestModel;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.feature.Bucketizer;
import org.apache.spark.ml.feature.CountVectorizerModel;
import org.apache.spark.ml.feature.ImputerModel;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.OneHotEncoderModel;
import org.apache.spark.ml.feature.PCAModel;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.DenseMatrix;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Row;

/**
 * A fitted {@link PipelineModel} of the train job's shape (the feature stages of
 * {@link FeaturePipeline}, a classifier, an index-to-code stage) evaluated on one silver record in
 * plain Java: no Spark job, no query planning, so a record costs microseconds where
 * {@code PipelineModel.transform} costs a query plan (about 190 ms of CPU) per call.
 *
 * <p>The model is compiled once: every stage becomes a function on a record's columns, built from
 * the stage's public getters and written to do Spark's arithmetic in Spark's order (StandardScaler
 * multiplies by 1/std; VectorAssembler's {@code compressed()} picks dense or sparse, which decides
 * the summation order of PCA's product; PCA and the classifier are Spark's own public methods
 * {@code DenseMatrix.multiply}, {@code predictRaw}, {@code raw2probability}, {@code raw2prediction}).
 * The results are therefore the same doubles as {@code transform}'s, not merely close ones.
 *
 * <p>A stage type the evaluator does not know, a SQL statement that is not the one
 * {@code FeaturePipeline.prepare} builds, or a stage setting it does not implement refuses the
 * model with an {@link UnsupportedModelException} naming every such stage.
 *
 * <p>Thread-safe once built: evaluation keeps its state in a per-call map, and a classifier whose
 * prediction reuses buffers (the MLP) is copied per thread.
 */
public final class RowEvaluator implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** One compiled stage: serializable, so that a compiled evaluator can be broadcast to executors. */
  private interface Step extends Consumer<Map<String, Object>>, java.io.Serializable {}

  /** One class of the ranking: its index in the model's labels, its code and probability. */
  public record Ranked(int index, String code, double probability) {}

  /**
   * A record's prediction: the probability of every class (in the model's label order; the softmax
   * of the margins for a model without probabilities, as {@code TopClasses} computes it), the
   * predicted code (the stage's own {@code raw2prediction}, as {@code transform} gives it) and the
   * top k classes, best first, ties to the lower index.
   */
  public record Prediction(double[] probability, String predictedCode, List<Ranked> top) {}

  private final List<Step> steps;
  private final Integer defaultSeverity;
  private final DeclaredInputs declared;
  private final String[] labels;
  private final String probabilityColumn; // null when the classifier gives margins only
  private final String marginsColumn;
  private final String codeColumn;

  private final SparseSoftmaxTop sparse; // the last classifier, ranked from the classes a record reaches
  private final String sparseInput;

  private RowEvaluator(List<Step> steps, Integer defaultSeverity, DeclaredInputs declared,
      String[] labels, String probabilityColumn, String marginsColumn, String codeColumn, SparseSoftmaxTop sparse,
      String sparseInput) {
    this.sparse = sparse;
    this.sparseInput = sparseInput;
    this.steps = steps;
    this.defaultSeverity = defaultSeverity;
    this.declared = declared;
    this.labels = labels;
    this.probabilityColumn = probabilityColumn;
    this.marginsColumn = marginsColumn;
    this.codeColumn = codeColumn;
  }

  /**
   * Compiles a fitted pipeline. The feature stages alone are accepted too ({@link #columns} then
   * gives {@code features}; {@link #predict} needs a classifier and an index-to-code stage).
   *
   * @throws UnsupportedModelException naming every stage the evaluator cannot reproduce
   */
  public static RowEvaluator of(PipelineModel model) {
    List<Transformer> stages = new ArrayList<>();
    flatten(model, stages);
    return compile(stages, false);
  }

  /**
   * Compiles a fitted pipeline for {@link #top} only, the batch scoring path: stages whose output
   * the prediction does not read are left out (as Spark's column pruning leaves them out of
   * {@code transform(...).select(prediction columns)}), and a multinomial logistic regression with a
   * column-major sparse coefficient matrix (the phenotype model) ranks from the classes a record's
   * features reach ({@link SparseSoftmaxTop}) instead of a probability for every class.
   * {@link #columns} then gives only the kept stages' columns.
   *
   * @throws UnsupportedModelException naming every kept stage the evaluator cannot reproduce
   */
  public static RowEvaluator forPrediction(PipelineModel model) {
    List<Transformer> stages = new ArrayList<>();
    flatten(model, stages);
    return compile(prune(stages), true);
  }

  /**
   * The stages a prediction needs: walking back from the last stage, a stage is kept when a kept
   * stage reads one of its outputs, or when its columns are not known (the SQL statement).
   */
  static List<Transformer> prune(List<Transformer> stages) {
    java.util.Set<String> needed = new java.util.HashSet<>();
    java.util.LinkedList<Transformer> kept = new java.util.LinkedList<>();
    for (int i = stages.size() - 1; i >= 0; i--) {
      Transformer t = stages.get(i);
      String[][] io = columnsOf(t);
      // a stage that drops rows (handleInvalid = skip) changes the output even when nothing reads its columns:
      // kept, so that compiling refuses it as the pipeline would drop records the row path would score
      boolean skips = t.hasParam("handleInvalid") && "skip".equals(t.getOrDefault(t.getParam("handleInvalid")));
      boolean keep = io == null || skips || i == stages.size() - 1 || Arrays.stream(io[1]).anyMatch(needed::contains);
      if (keep) {
        kept.addFirst(t);
        if (io != null) {
          needed.addAll(Arrays.asList(io[0]));
        }
      }
    }
    return List.copyOf(kept);
  }

  /** A stage's input and output columns, or null when they are not known from its parameters. */
  private static String[][] columnsOf(Transformer t) {
    if (t instanceof ImputerModel || t instanceof Bucketizer || t instanceof StringIndexerModel
        || t instanceof OneHotEncoderModel) {
      return inOut(t);
    }
    if (t instanceof CountVectorizerModel m) {
      return new String[][] {{m.getInputCol()}, {m.getOutputCol()}};
    }
    if (t instanceof StandardScalerModel m) {
      return new String[][] {{m.getInputCol()}, {m.getOutputCol()}};
    }
    if (t instanceof PCAModel m) {
      return new String[][] {{m.getInputCol()}, {m.getOutputCol()}};
    }
    if (t instanceof VectorAssembler m) {
      return new String[][] {m.getInputCols(), {m.getOutputCol()}};
    }
    if (t instanceof IndexToString m) {
      return new String[][] {{m.getInputCol()}, {m.getOutputCol()}};
    }
    if (t instanceof ProbabilisticClassificationModel<?, ?> m) {
      return new String[][] {{m.getFeaturesCol()}, {m.getRawPredictionCol(), m.getProbabilityCol(), m.getPredictionCol()}};
    }
    if (t instanceof OneVsRestModel m) {
      return new String[][] {{m.getFeaturesCol()}, {m.getRawPredictionCol(), m.getPredictionCol()}};
    }
    return null;
  }

  private static RowEvaluator compile(List<Transformer> stages, boolean forPrediction) {
    List<Step> steps = new ArrayList<>();
    SparseSoftmaxTop sparse = null;
    String sparseInput = null;
    List<String> refused = new ArrayList<>();
    Integer severity = null;
    DeclaredInputs declared = DeclaredInputs.NONE;
    String[] labels = null;
    String probability = null;
    String margins = null;
    String code = null;
    for (int i = 0; i < stages.size(); i++) {
      Transformer t = stages.get(i);
      String where = "stage " + i + " (" + t.getClass().getSimpleName() + ", " + t.uid() + ")";
      try {
        if (t instanceof SQLTransformer sql) {
          java.util.Optional<PrepareStatement.Recognised> d = PrepareStatement.recognise(sql.getStatement());
          if (i != 0 || d.isEmpty()) {
            throw new UnsupportedModelException("the SQL statement is not the one FeaturePipeline.prepare builds"
                + (i != 0 ? " as the first stage" : "") + ": " + sql.getStatement());
          }
          severity = d.get().defaultSeverity();
          declared = d.get().inputs();
          int s = severity;
          DeclaredInputs in = declared;
          steps.add(row -> prepare(row, s, in));
        } else if (t instanceof ImputerModel m) {
          steps.add(imputer(m));
        } else if (t instanceof Bucketizer m) {
          steps.add(bucketizer(m));
        } else if (t instanceof StringIndexerModel m) {
          steps.add(indexer(m));
        } else if (t instanceof OneHotEncoderModel m) {
          steps.add(oneHot(m));
        } else if (t instanceof CountVectorizerModel m) {
          steps.add(countVectorizer(m));
        } else if (t instanceof VectorAssembler m) {
          steps.add(assembler(m));
        } else if (t instanceof StandardScalerModel m) {
          steps.add(scaler(m));
        } else if (t instanceof PCAModel m) {
          steps.add(pca(m));
        } else if (forPrediction && t instanceof org.apache.spark.ml.classification.LogisticRegressionModel m
            && SparseSoftmaxTop.accepts(m) && !m.getRawPredictionCol().isEmpty() && !m.getProbabilityCol().isEmpty()
            && !m.getPredictionCol().isEmpty() && i == stages.size() - 2 && stages.get(i + 1) instanceof IndexToString its
            && its.getInputCol().equals(m.getPredictionCol())) {
          sparse = new SparseSoftmaxTop(m);
          sparseInput = m.getFeaturesCol();
          probability = m.getProbabilityCol();
          margins = null;
        } else if (t instanceof ProbabilisticClassificationModel<?, ?> m) {
          steps.add(probabilistic(m));
          probability = m.getProbabilityCol();
          margins = null;
        } else if (t instanceof OneVsRestModel m) {
          steps.add(oneVsRest(m));
          margins = m.getRawPredictionCol();
          probability = null;
        } else if (t instanceof IndexToString m) {
          if (m.getLabels() == null || m.getLabels().length == 0) {
            throw new UnsupportedModelException("IndexToString without labels (labels from metadata are not supported)");
          }
          labels = m.getLabels();
          code = m.getOutputCol();
          if (sparse == null) {
            steps.add(indexToString(m));
          }
        } else {
          throw new UnsupportedModelException("unsupported stage type " + t.getClass().getName());
        }
      } catch (UnsupportedModelException e) {
        refused.add(where + ": " + e.getMessage());
      }
    }
    if (!refused.isEmpty()) {
      throw new UnsupportedModelException("the row evaluator cannot reproduce this model exactly; refused "
          + String.join("; ", refused));
    }
    return new RowEvaluator(List.copyOf(steps), severity, declared, labels, probability, margins, code, sparse,
        sparseInput);
  }

  private static void flatten(PipelineModel model, List<Transformer> out) {
    for (Transformer t : model.stages()) {
      if (t instanceof PipelineModel p) {
        flatten(p, out);
      } else {
        out.add(t);
      }
    }
  }

  /**
   * The severity the model's SQL statement gives a symptom without one; empty for a pipeline without
   * the SQL stage (its stages then read the record's columns as given, which the stage tests use).
   */
  public OptionalInt defaultSeverity() {
    return defaultSeverity == null ? OptionalInt.empty() : OptionalInt.of(defaultSeverity);
  }

  /**
   * The declared inputs ({@code dxpipe.inputs}) the model reads from a record's {@code inputs} map,
   * from its SQL stage: none for a model built without them.
   */
  public DeclaredInputs declaredInputs() {
    return declared;
  }

  /** The class codes in the model's order, or null without an index-to-code stage. */
  public List<String> labels() {
    return labels == null ? null : List.of(labels);
  }

  /**
   * Every column {@code transform} would add, by name, with the values it would hold (doubles,
   * strings, string lists, {@link Vector}s), besides the record's own columns. Fails (as the Spark job
   * would) on a record the stages cannot take, e.g. a null symptoms array.
   */
  public Map<String, Object> columns(Map<String, ?> record) {
    Map<String, Object> row = new HashMap<>(96);
    row.putAll(record);
    for (Step step : steps) {
      step.accept(row);
    }
    return row;
  }

  /** {@link #columns(Map)} of a Spark row with the silver schema (or any schema holding the input columns). */
  public Map<String, Object> columns(Row silver) {
    return columns(toMap(silver));
  }

  /** The columns of a row with a schema, by name. */
  public static Map<String, Object> toMap(Row silver) {
    if (silver.schema() == null) {
      throw new IllegalArgumentException("the row has no schema: the evaluator reads columns by name");
    }
    String[] names = silver.schema().fieldNames();
    Map<String, Object> map = new LinkedHashMap<>(names.length * 2);
    for (int i = 0; i < names.length; i++) {
      map.put(names[i], silver.get(i));
    }
    return map;
  }

  /** The prediction for one silver record with its top {@code k} classes. */
  public Prediction predict(Map<String, ?> record, int k) {
    if (sparse != null) {
      throw new IllegalStateException("an evaluator compiled by forPrediction gives the top classes only (top)");
    }
    if (labels == null || (probabilityColumn == null && marginsColumn == null)) {
      throw new IllegalStateException("the model has no classifier and index-to-code stage to predict with");
    }
    Map<String, Object> row = columns(record);
    double[] p;
    boolean softmax = probabilityColumn == null;
    p = ((Vector) row.get(softmax ? marginsColumn : probabilityColumn)).toArray();
    double[] probability = softmax ? softmax(p) : p;
    return new Prediction(probability, (String) row.get(codeColumn), top(p, probability, k));
  }

  public Prediction predict(Row silver, int k) {
    return predict(toMap(silver), k);
  }

  /**
   * A record's predicted code and top {@code k} classes: {@link #predict}'s, without the probability
   * of every class (for the batch scoring path).
   */
  public Top top(Row silver, int k) {
    Map<String, Object> record = toMap(silver);
    if (sparse == null) {
      Prediction p = predict(record, k);
      int[] classes = p.top().stream().mapToInt(Ranked::index).toArray();
      double[] probabilities = p.top().stream().mapToDouble(Ranked::probability).toArray();
      return new Top(p.predictedCode(), classes, probabilities);
    }
    Map<String, Object> row = columns(record);
    SparseSoftmaxTop.Top t = sparse.top((Vector) row.get(sparseInput), k);
    return new Top(labels[t.predicted()], t.classes(), t.probabilities());
  }

  /** A record's predicted code and its top classes (indices into {@link #labels}), best first. */
  public record Top(String predictedCode, int[] classes, double[] probabilities) {}

  /** The softmax of margins exactly as {@code TopClasses} computes it (max shifted, summed in index order). */
  private static double[] softmax(double[] m) {
    double max = TopClasses.max(m);
    double norm = TopClasses.softmaxNorm(m, max);
    double[] out = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      out[i] = Math.exp(m[i] - max) / norm;
    }
    return out;
  }

  /** The k best classes, ranked on the model's output as {@code TopClasses} ranks them, with their probabilities. */
  private List<Ranked> top(double[] output, double[] probability, int k) {
    int[] best = TopClasses.best(output, k);
    List<Ranked> out = new ArrayList<>(best.length);
    for (int c : best) {
      out.add(new Ranked(c, labels[c], probability[c]));
    }
    return Collections.unmodifiableList(out);
  }

  // ---- the SQL statement of FeaturePipeline.prepare, in Java ----

  private static void prepare(Map<String, Object> row, int defaultSeverity, DeclaredInputs declared) {
    for (String c : Silver.NUMERIC_COLUMNS) {
      Object v = row.get(c);
      row.put(PrepareStatement.raw(c), castDouble(v));
      row.put(PrepareStatement.missing(c), v == null ? 1.0 : 0.0);
    }
    for (String c : Silver.CATEGORICAL_COLUMNS) {
      Object v = row.get(c);
      row.put(PrepareStatement.raw(c), v == null ? "unknown" : v.toString());
    }
    Object symptoms = row.get(Bronze.SYMPTOMS);
    if (symptoms == null) {
      // transform/flatten of null is null, which CountVectorizer cannot count
      throw new IllegalArgumentException("the record has no symptoms array (null)");
    }
    List<String> terms = new ArrayList<>();
    for (Object s : list(symptoms)) {
      if (s == null) {
        throw new IllegalArgumentException("a symptom entry is null");
      }
      Object name = field(s, Bronze.SYMPTOM_NAME, 0);
      Object severity = field(s, Bronze.SYMPTOM_SEVERITY, 1);
      int times = severity == null ? defaultSeverity : castInt(severity);
      String term = name == null ? null : name.toString();
      for (int i = 0; i < times; i++) {
        terms.add(term);
      }
    }
    row.put(PrepareStatement.SYMPTOM_TERMS, terms);
    Object history = row.get(Bronze.PREVIOUS_DIAGNOSES);
    List<String> previous = new ArrayList<>();
    if (history != null) {
      for (Object h : list(history)) {
        previous.add(h == null ? null : h.toString());
      }
    }
    row.put(PrepareStatement.HISTORY_TERMS, previous);
    if (declared.isEmpty()) {
      return;
    }
    Map<Object, Object> inputs = io.dxpipe.spark.Rows.javaMap(row.get(DeclaredInputs.COLUMN));
    for (DeclaredInputs.Input in : declared.inputs()) {
      Object v = inputs == null ? null : inputs.get(in.name()); // inputs['x'] of a null map, or of a map without x: null
      String key = PrepareStatement.key(in);
      switch (in.type()) {
        case NUMERIC -> {
          Double d = castDouble(v);
          row.put(PrepareStatement.raw(key), d);
          row.put(PrepareStatement.missing(key), d == null ? 1.0 : 0.0);
        }
        case ORDINAL -> {
          // CASE lower(v) WHEN level THEN position END: v's text in lower case, exactly one of the levels
          int position = v == null ? -1 : in.levels().indexOf(v.toString().toLowerCase(java.util.Locale.ROOT));
          row.put(PrepareStatement.raw(key), position < 0 ? null : (double) position);
          row.put(PrepareStatement.missing(key), position < 0 ? 1.0 : 0.0);
        }
        case CATEGORICAL -> row.put(PrepareStatement.raw(key), v == null ? "unknown" : v.toString());
        default -> throw new IllegalStateException("input type " + in.type());
      }
    }
  }

  /** Spark's non-ANSI CAST(x AS DOUBLE): numbers widen, booleans are 0/1, unparseable strings are null. */
  static Double castDouble(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    String s = v.toString().trim();
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return switch (s.toLowerCase(java.util.Locale.ROOT)) {
        case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
        case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
        case "nan" -> Double.NaN;
        default -> null;
      };
    }
  }

  private static int castInt(Object v) {
    if (v instanceof Number n) {
      return (int) n.doubleValue();
    }
    String s = v.toString().trim();
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      try {
        return (int) Double.parseDouble(s);
      } catch (NumberFormatException again) {
        // Spark's cast gives null, array_repeat null and the whole term list null: not countable
        throw new IllegalArgumentException("a symptom severity is not a number");
      }
    }
  }

  private static Object field(Object struct, String name, int position) {
    if (struct instanceof Row r) {
      if (r.schema() != null) {
        int i = Arrays.asList(r.schema().fieldNames()).indexOf(name);
        return i < 0 ? null : r.get(i);
      }
      return r.size() > position ? r.get(position) : null;
    }
    if (struct instanceof Map<?, ?> m) {
      return m.get(name);
    }
    throw new IllegalArgumentException("a symptom is neither a row nor a map");
  }

  private static List<?> list(Object v) {
    if (v instanceof List<?> l) {
      return l;
    }
    if (v instanceof Object[] a) {
      return Arrays.asList(a);
    }
    if (v instanceof scala.collection.Seq<?> s) {
      return scala.collection.JavaConverters.seqAsJavaList(s);
    }
    throw new IllegalArgumentException("expected an array but got " + v.getClass().getSimpleName());
  }

  // ---- the fitted stages ----

  private static String[][] inOut(Params p, String single, String many) {
    boolean multi = p.isSet(p.getParam(many + "s"));
    if (multi) {
      return new String[][] {(String[]) p.getOrDefault(p.getParam(single + "s")),
          (String[]) p.getOrDefault(p.getParam(many + "s"))};
    }
    return new String[][] {{(String) p.getOrDefault(p.getParam(single))}, {(String) p.getOrDefault(p.getParam(many))}};
  }

  private static String[][] inOut(Params p) {
    return inOut(p, "inputCol", "outputCol");
  }

  private static Step imputer(ImputerModel m) {
    String[][] io = inOut(m);
    Row surrogates = m.surrogateDF().head();
    double[] value = new double[io[0].length];
    List<String> names = Arrays.asList(surrogates.schema().fieldNames());
    for (int i = 0; i < value.length; i++) {
      value[i] = ((Number) surrogates.get(names.indexOf(io[0][i]))).doubleValue();
    }
    double missing = m.getMissingValue();
    String[] in = io[0];
    String[] out = io[1];
    return row -> {
      for (int i = 0; i < in.length; i++) {
        Double x = castDouble(row.get(in[i]));
        // when(isNull) / when(=== missingValue), with SQL's NaN = NaN true
        boolean replace = x == null || (Double.isNaN(missing) ? x.isNaN() : x == missing);
        row.put(out[i], replace ? value[i] : x);
      }
    };
  }

  private static Step bucketizer(Bucketizer m) {
    String[][] io = inOut(m);
    boolean multi = m.isSet(m.inputCols());
    double[][] splits = multi ? m.getSplitsArray() : new double[][] {m.getSplits()};
    String invalid = m.getHandleInvalid();
    if (!invalid.equals("error") && !invalid.equals("keep")) {
      throw new UnsupportedModelException("Bucketizer handleInvalid=" + invalid);
    }
    boolean keep = invalid.equals("keep");
    String[] in = io[0];
    String[] out = io[1];
    return row -> {
      for (int i = 0; i < in.length; i++) {
        Double x = castDouble(row.get(in[i]));
        row.put(out[i], x == null ? null : bucket(splits[i], x, keep));
      }
    };
  }

  /** Bucketizer.binarySearchForBuckets. */
  private static double bucket(double[] splits, double feature, boolean keepInvalid) {
    if (Double.isNaN(feature)) {
      if (keepInvalid) {
        return splits.length - 1;
      }
      throw new IllegalArgumentException("Bucketizer: NaN value");
    }
    if (feature == splits[splits.length - 1]) {
      return splits.length - 2;
    }
    int idx = Arrays.binarySearch(splits, feature);
    if (idx >= 0) {
      return idx;
    }
    int insert = -idx - 1;
    if (insert == 0 || insert == splits.length) {
      throw new IllegalArgumentException("Bucketizer: value out of the splits' range");
    }
    return insert - 1;
  }

  private static Step indexer(StringIndexerModel m) {
    String[][] io = inOut(m);
    String invalid = m.getHandleInvalid();
    if (!invalid.equals("error") && !invalid.equals("keep")) {
      throw new UnsupportedModelException("StringIndexer handleInvalid=" + invalid + " (only keep and error)");
    }
    boolean keep = invalid.equals("keep");
    String[][] labels = m.labelsArray();
    List<Map<String, Double>> index = new ArrayList<>();
    for (String[] l : labels) {
      Map<String, Double> map = new HashMap<>();
      for (int j = 0; j < l.length; j++) {
        map.put(l[j], (double) j);
      }
      index.add(map);
    }
    String[] in = io[0];
    String[] out = io[1];
    return row -> {
      for (int i = 0; i < in.length; i++) {
        Object v = row.get(in[i]);
        Double idx = v == null ? null : index.get(i).get(v.toString());
        if (idx == null) {
          if (!keep) {
            throw new IllegalArgumentException("StringIndexer: unseen or null label in " + in[i]);
          }
          idx = (double) labels[i].length;
        }
        row.put(out[i], idx);
      }
    };
  }

  private static Step oneHot(OneHotEncoderModel m) {
    String[][] io = inOut(m);
    int[] sizes = m.categorySizes();
    boolean dropLast = m.getDropLast();
    boolean keep = m.getHandleInvalid().equals("keep");
    int[] configured = new int[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      configured[i] = !dropLast && keep ? sizes[i] + 1 : dropLast && !keep ? sizes[i] - 1 : sizes[i];
    }
    String[] in = io[0];
    String[] out = io[1];
    return row -> {
      for (int i = 0; i < in.length; i++) {
        Object v = row.get(in[i]);
        if (v == null) {
          throw new IllegalArgumentException("OneHotEncoder: null index in " + in[i]);
        }
        double label = ((Number) v).doubleValue();
        double idx;
        if (label >= 0 && label < sizes[i]) {
          idx = label;
        } else if (keep) {
          idx = sizes[i];
        } else {
          throw new IllegalArgumentException("OneHotEncoder: invalid index in " + in[i]);
        }
        int size = configured[i];
        row.put(out[i], idx < size ? Vectors.sparse(size, new int[] {(int) idx}, new double[] {1.0})
            : Vectors.sparse(size, new int[0], new double[0]));
      }
    };
  }

  private static Step countVectorizer(CountVectorizerModel m) {
    String[] vocabulary = m.vocabulary();
    Map<String, Integer> dict = new HashMap<>();
    for (int i = 0; i < vocabulary.length; i++) {
      dict.put(vocabulary[i], i);
    }
    double minTf = m.getMinTF();
    boolean binary = m.getBinary();
    String in = m.getInputCol();
    String out = m.getOutputCol();
    int size = vocabulary.length;
    return row -> {
      Object doc = row.get(in);
      if (doc == null) {
        throw new IllegalArgumentException("CountVectorizer: null input in " + in);
      }
      java.util.TreeMap<Integer, Double> counts = new java.util.TreeMap<>();
      long tokens = 0;
      for (Object term : list(doc)) {
        Integer index = term == null ? null : dict.get(term.toString());
        if (index != null) {
          counts.merge(index, 1.0, Double::sum);
        }
        tokens++;
      }
      double effectiveMinTf = minTf >= 1.0 ? minTf : tokens * minTf;
      int n = 0;
      int[] indices = new int[counts.size()];
      double[] values = new double[counts.size()];
      for (Map.Entry<Integer, Double> e : counts.entrySet()) {
        if (e.getValue() >= effectiveMinTf) {
          indices[n] = e.getKey();
          values[n++] = binary ? 1.0 : e.getValue();
        }
      }
      row.put(out, Vectors.sparse(size, Arrays.copyOf(indices, n), Arrays.copyOf(values, n)));
    };
  }

  private static Step assembler(VectorAssembler m) {
    if (!m.getHandleInvalid().equals("error")) {
      throw new UnsupportedModelException("VectorAssembler handleInvalid=" + m.getHandleInvalid() + " (only error)");
    }
    String[] in = m.getInputCols();
    String out = m.getOutputCol();
    return row -> {
      int[] indices = new int[32];
      double[] values = new double[32];
      int n = 0;
      int featureIndex = 0;
      for (String c : in) {
        Object v = row.get(c);
        if (v == null) {
          throw new IllegalArgumentException("VectorAssembler: null value in " + c);
        }
        if (v instanceof Vector vec) {
          if (vec instanceof SparseVector s) {
            int[] si = s.indices();
            double[] sv = s.values();
            for (int j = 0; j < si.length; j++) {
              if (sv[j] != 0.0) {
                if (n == indices.length) {
                  indices = Arrays.copyOf(indices, n * 2);
                  values = Arrays.copyOf(values, n * 2);
                }
                indices[n] = featureIndex + si[j];
                values[n++] = sv[j];
              }
            }
          } else {
            double[] dv = ((DenseVector) vec).values();
            for (int j = 0; j < dv.length; j++) {
              if (dv[j] != 0.0) {
                if (n == indices.length) {
                  indices = Arrays.copyOf(indices, n * 2);
                  values = Arrays.copyOf(values, n * 2);
                }
                indices[n] = featureIndex + j;
                values[n++] = dv[j];
              }
            }
          }
          featureIndex += vec.size();
        } else {
          double x = ((Number) v).doubleValue();
          if (Double.isNaN(x)) {
            throw new IllegalArgumentException("VectorAssembler: NaN value in " + c);
          }
          if (x != 0.0) {
            if (n == indices.length) {
              indices = Arrays.copyOf(indices, n * 2);
              values = Arrays.copyOf(values, n * 2);
            }
            indices[n] = featureIndex;
            values[n++] = x;
          }
          featureIndex++;
        }
      }
      // sparse, then compressed(): dense when that is smaller, which decides PCA's summation order
      row.put(out, Vectors.sparse(featureIndex, Arrays.copyOf(indices, n), Arrays.copyOf(values, n)).compressed());
    };
  }

  private static Step scaler(StandardScalerModel m) {
    boolean withMean = m.getWithMean();
    boolean withStd = m.getWithStd();
    double[] shift = m.mean().toArray();
    double[] std = m.std().toArray();
    double[] scale = new double[std.length];
    for (int i = 0; i < std.length; i++) {
      scale[i] = std[i] == 0 ? 0.0 : 1.0 / std[i];
    }
    String in = m.getInputCol();
    String out = m.getOutputCol();
    return row -> {
      Vector v = (Vector) row.get(in);
      Vector result;
      if (withMean) {
        double[] values = v instanceof DenseVector d ? d.values().clone() : v.toArray();
        for (int i = 0; i < values.length; i++) {
          values[i] = withStd ? (values[i] - shift[i]) * scale[i] : values[i] - shift[i];
        }
        result = Vectors.dense(values);
      } else if (withStd) {
        if (v instanceof DenseVector d) {
          double[] values = d.values().clone();
          for (int i = 0; i < values.length; i++) {
            values[i] *= scale[i];
          }
          result = Vectors.dense(values);
        } else {
          SparseVector s = (SparseVector) v;
          double[] values = s.values().clone();
          int[] indices = s.indices();
          for (int i = 0; i < values.length; i++) {
            values[i] *= scale[indices[i]];
          }
          result = Vectors.sparse(s.size(), indices, values);
        }
      } else {
        result = v;
      }
      row.put(out, result);
    };
  }

  private static Step pca(PCAModel m) {
    DenseMatrix transposed = m.pc().transpose();
    String in = m.getInputCol();
    String out = m.getOutputCol();
    return row -> row.put(out, transposed.multiply((Vector) row.get(in)));
  }

  @SuppressWarnings("unchecked")
  private static Step probabilistic(ProbabilisticClassificationModel<?, ?> model) {
    ProbabilisticClassificationModel<Vector, ?> m = (ProbabilisticClassificationModel<Vector, ?>) model;
    if (m.getRawPredictionCol().isEmpty() || m.getProbabilityCol().isEmpty() || m.getPredictionCol().isEmpty()) {
      throw new UnsupportedModelException("a classifier with an empty rawPrediction, probability or prediction column");
    }
    String in = m.getFeaturesCol();
    String raw = m.getRawPredictionCol();
    String probability = m.getProbabilityCol();
    String prediction = m.getPredictionCol();
    // the MLP's feed-forward model reuses its layer buffers between calls (Spark gives each task its own
    // deserialised copy): one copy per thread here, the same weights, so concurrent requests do not race
    PerThread<ProbabilisticClassificationModel<Vector, ?>> own = m instanceof MultilayerPerceptronClassificationModel
        ? new PerThread<>(m) : null;
    return row -> {
      ProbabilisticClassificationModel<Vector, ?> c = own == null ? m : own.get();
      Vector r = c.predictRaw((Vector) row.get(in));
      row.put(raw, r);
      row.put(probability, m.raw2probability(r));
      row.put(prediction, m.raw2prediction(r));
    };
  }

  /** A copy of a model per thread, made on first use in each JVM (a ThreadLocal does not serialize). */
  private static final class PerThread<M extends ProbabilisticClassificationModel<Vector, ?>>
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final M model;
    private transient volatile ThreadLocal<M> copies;

    PerThread(M model) {
      this.model = model;
    }

    @SuppressWarnings("unchecked")
    M get() {
      ThreadLocal<M> c = copies;
      if (c == null) {
        synchronized (this) {
          if (copies == null) {
            copies = ThreadLocal.withInitial(() -> (M) model.copy(ParamMap.empty()));
          }
          c = copies;
        }
      }
      return c.get();
    }
  }

  @SuppressWarnings("unchecked")
  private static Step oneVsRest(OneVsRestModel m) {
    if (m.getRawPredictionCol().isEmpty() || m.getPredictionCol().isEmpty()) {
      throw new UnsupportedModelException("OneVsRest with an empty rawPrediction or prediction column");
    }
    ClassificationModel<Vector, ?>[] models = (ClassificationModel<Vector, ?>[]) m.models();
    String in = m.getFeaturesCol();
    String raw = m.getRawPredictionCol();
    String prediction = m.getPredictionCol();
    return row -> {
      Vector features = (Vector) row.get(in);
      double[] margins = new double[models.length];
      for (int i = 0; i < models.length; i++) {
        margins[i] = models[i].predictRaw(features).apply(1);
      }
      Vector r = Vectors.dense(margins);
      row.put(raw, r);
      row.put(prediction, (double) r.argmax());
    };
  }

  private static Step indexToString(IndexToString m) {
    String[] labels = m.getLabels();
    String in = m.getInputCol();
    String out = m.getOutputCol();
    return row -> {
      int i = (int) ((Number) row.get(in)).doubleValue();
      if (i < 0 || i >= labels.length) {
        throw new IllegalArgumentException("IndexToString: index " + i + " out of the labels' range");
      }
      row.put(out, labels[i]);
    };
  }
}
