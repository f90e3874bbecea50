package io.dxpipe.serve;

import io.dxpipe.catalogue.Disease;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.clean.SilverBuilder;
import io.dxpipe.model.ModelLayout;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.DeclaredInputs;
import io.dxpipe.schema.Predictions;
import io.dxpipe.schema.Silver;
import io.dxpipe.score.ScoreStage;
import io.dxpipe.score.ScoringModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The model the online service answers with: the score job's model ({@link ScoringModel}) compiled
 * to a {@link RowEvaluator}, behind the clean job's rules on one record
 * ({@link SilverBuilder#clean(Map)}) and the score job's rejection rule, so that a record gets what
 * the nightly batch would give it: the same flags, the same rejection reason, the same top classes
 * and probabilities.
 *
 * <p>{@link #load} gates the model: it must hold the SQL stage the feature job builds (without it the
 * evaluator would read the record's columns as given, which only the stage tests do), and the
 * golden rows training stored beside it ({@link ModelLayout#goldenRows}) must come out of the
 * evaluator with the stored predicted code and top 3 codes, with probabilities within 1e-12.
 * Otherwise the model is refused with an {@link UnsupportedModelException} saying why.
 */
public final class OnlineModel {
  /** Probabilities of the golden rows must agree with the batch path's to this. */
  public static final double TOLERANCE = 1e-12;

  /** A disease of a record's ranking. */
  public record RankedDisease(String code, String name, double probability, boolean orphan, String catalogueId) {}

  /** What the service answers for one record: a ranking, or the score job's rejection. */
  public record Outcome(String predictedCode, List<RankedDisease> top, List<String> flags, String rejectionCode,
      String rejectionReason) {
    public boolean rejected() {
      return rejectionCode != null;
    }
  }

  /** What the gate checked: how many golden rows, the largest probability difference, how long it took. */
  public record Gate(long rows, double maxDifference, long millis) {}

  private final ScoringModel model;
  private final RowEvaluator evaluator;
  private final SilverBuilder cleaning;
  private final int minKnownSymptoms;
  private final Set<String> vocabulary;
  private final Map<String, Disease> diseases;
  private final Gate gate;

  private OnlineModel(ScoringModel model, RowEvaluator evaluator, SilverBuilder cleaning, int minKnownSymptoms,
      Gate gate) {
    this.model = model;
    this.evaluator = evaluator;
    this.cleaning = cleaning;
    this.minKnownSymptoms = minKnownSymptoms;
    this.vocabulary = Set.copyOf(model.symptomVocabulary());
    this.diseases = DiseaseCatalogue.fromClasspath().diseasesByCode();
    this.gate = gate;
  }

  /**
   * Compiles and gates a loaded model; {@code spark} reads the golden rows (a local session is
   * enough: a few hundred rows).
   *
   * @throws UnsupportedModelException when the evaluator cannot reproduce the model or the golden
   *     rows are missing or disagree, with the reason
   */
  public static OnlineModel load(ScoringModel model, SilverBuilder cleaning, int minKnownSymptoms, SparkSession spark) {
    long start = System.nanoTime();
    RowEvaluator evaluator = RowEvaluator.of(model.model());
    if (evaluator.defaultSeverity().isEmpty()) {
      throw new UnsupportedModelException(model.describe() + " has no SQL stage of FeaturePipeline.prepare as its "
          + "first stage: it is not a model of the train job, and the service would read the record as the stages "
          + "expect it, not as silver holds it");
    }
    String golden = ModelLayout.goldenRowsUri(model.uri());
    List<Row> rows;
    try {
      rows = spark.read().parquet(golden).collectAsList();
    } catch (Exception e) { // Spark's AnalysisException (no such path) is a checked exception
      throw new UnsupportedModelException(model.describe() + " has no golden rows at " + golden + " (" + e.getClass()
          .getSimpleName() + "): they are written by the train job since the online service exists; retrain, or "
          + "serve a model trained since then");
    }
    if (rows.isEmpty()) {
      throw new UnsupportedModelException(model.describe() + ": the golden rows at " + golden + " are empty");
    }
    double maxDifference = 0;
    List<String> mismatches = new ArrayList<>();
    for (Row r : rows) {
      RowEvaluator.Prediction p;
      String key = r.getString(r.fieldIndex(Bronze.RECORD_KEY));
      try {
        p = evaluator.predict(r, 3);
      } catch (RuntimeException e) {
        mismatches.add(key + ": the evaluator failed (" + e.getMessage() + ")");
        continue;
      }
      String code = r.getString(r.fieldIndex(Predictions.PREDICTED_CODE));
      List<Row> top = r.getList(r.fieldIndex(Predictions.TOP3));
      boolean same = code.equals(p.predictedCode()) && top.size() == p.top().size();
      for (int i = 0; same && i < top.size(); i++) {
        double diff = Math.abs(top.get(i).getDouble(1) - p.top().get(i).probability());
        maxDifference = Math.max(maxDifference, diff);
        same = top.get(i).getString(0).equals(p.top().get(i).code()) && diff <= TOLERANCE;
      }
      if (!same) {
        mismatches.add(String.format(Locale.ROOT, "%s: batch %s %s, evaluator %s %s", key, code, codes(top),
            p.predictedCode(), p.top()));
      }
    }
    if (!mismatches.isEmpty()) {
      throw new UnsupportedModelException(String.format(Locale.ROOT, "%s: %d of %d golden rows disagree with the "
          + "batch path, e.g. %s", model.describe(), mismatches.size(), rows.size(),
          String.join("; ", mismatches.subList(0, Math.min(3, mismatches.size())))));
    }
    return new OnlineModel(model, evaluator, cleaning, minKnownSymptoms,
        new Gate(rows.size(), maxDifference, (System.nanoTime() - start) / 1_000_000));
  }

  private static List<String> codes(List<Row> top) {
    List<String> out = new ArrayList<>();
    top.forEach(t -> out.add(t.getString(0) + "=" + t.getDouble(1)));
    return out;
  }

  /**
   * One record in bronze's columns (as {@link SilverBuilder#clean(Map)} takes them): cleaned, then
   * rejected as the score job would reject it, or ranked with its top {@code k} diseases.
   */
  public Outcome predict(Map<String, ?> bronze, int k) {
    Object given = bronze.get(DeclaredInputs.COLUMN);
    if (given != null) {
      // as ingest does: only the model's declared inputs, each a number or one of its levels, normalised
      DeclaredInputs declared = evaluator.declaredInputs();
      Map<String, String> normalised = new java.util.TreeMap<>();
      for (Map.Entry<Object, Object> e : io.dxpipe.spark.Rows.<Object, Object>javaMap(given).entrySet()) {
        String name = String.valueOf(e.getKey());
        DeclaredInputs.Input input = declared.get(name);
        if (input == null) {
          return new Outcome(null, List.of(), List.of(), INVALID_INPUT, DeclaredInputs.COLUMN + "." + name
              + " is not an input of " + model.describe() + (declared.isEmpty() ? ", which declares none"
                  : "; its inputs: " + String.join(", ", declared.names())));
        }
        if (e.getValue() != null) {
          try {
            normalised.put(name, DeclaredInputs.normalise(input, String.valueOf(e.getValue())));
          } catch (IllegalArgumentException bad) {
            return new Outcome(null, List.of(), List.of(), INVALID_INPUT, DeclaredInputs.COLUMN + "." + name + ": "
                + bad.getMessage());
          }
        }
      }
      Map<String, Object> copy = new java.util.HashMap<>(bronze);
      copy.put(DeclaredInputs.COLUMN, normalised.isEmpty() ? null : normalised);
      bronze = copy;
    }
    Map<String, Object> silver = cleaning.clean(bronze);
    @SuppressWarnings("unchecked")
    List<String> flags = Collections.unmodifiableList((List<String>) silver.get(Silver.QUALITY_FLAGS));
    List<String> names = new ArrayList<>();
    for (Object s : (List<?>) silver.get(Bronze.SYMPTOMS)) {
      names.add(((Row) s).getString(0));
    }
    String rejection = ScoreStage.rejectionCode(names, vocabulary, minKnownSymptoms);
    if (rejection != null) {
      return new Outcome(null, List.of(), flags, rejection,
          ScoreStage.rejectionReason(rejection, names, minKnownSymptoms, model.describe()));
    }
    RowEvaluator.Prediction p = evaluator.predict(silver, k);
    List<RankedDisease> top = new ArrayList<>(p.top().size());
    for (RowEvaluator.Ranked r : p.top()) {
      Disease d = diseases.get(r.code());
      top.add(new RankedDisease(r.code(), d == null ? r.code() : d.name(), r.probability(), d != null && d.isOrphan(),
          d == null ? null : d.sourceId()));
    }
    return new Outcome(p.predictedCode(), List.copyOf(top), flags, null, null);
  }

  /** Rejection code of a record whose inputs the model does not declare, or whose value is not a number or level. */
  public static final String INVALID_INPUT = "invalid-input";

  /** The inputs the model declares beyond the built-in ones ({@code dxpipe.inputs}): what a record's "inputs" may hold. */
  public DeclaredInputs declaredInputs() {
    return evaluator.declaredInputs();
  }

  public ScoringModel model() {
    return model;
  }

  public Gate gate() {
    return gate;
  }

  /** The symptom codes the model knows, sorted (the web form's autocomplete). */
  public List<String> symptoms() {
    List<String> out = new ArrayList<>(new HashSet<>(vocabulary));
    Collections.sort(out);
    return out;
  }

  /** The number of classes the model ranks. */
  public int classes() {
    return model.labels().size();
  }

  public String describe() {
    return model.describe();
  }
}
