package io.dxpipe.evaluate;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Multiclass metrics of a scored evaluation set, overall and for the orphan and common groups, so a
 * model cannot look good on average while missing rare diseases. Computed with two Spark jobs (the
 * confusion counts, and one pass for the probability-based metrics); only the k x k confusion matrix
 * reaches the driver.
 *
 * <p>Macro averages are over the classes present in the evaluation set (a class with no record there
 * has no recall). Precision of a class never predicted is 0. Top-3 accuracy counts a record when
 * fewer than three classes are more probable than its true class (ties count for the record).
 * Log loss uses the probability of the true class, floored at 1e-15; the Brier score is the mean
 * squared distance between the probability vector and the one-hot truth.
 *
 * @param labels class names by label index
 */
public record ClassificationMetrics(
    List<String> labels,
    long records,
    double accuracy,
    double macroPrecision,
    double macroRecall,
    double macroF1,
    double weightedF1,
    double top3Accuracy,
    double logLoss,
    double brierScore,
    double rocAucMacro,
    double prAucMacro,
    GroupMetrics orphan,
    GroupMetrics common,
    List<ClassMetrics> perClass,
    long[][] confusion,
    List<OneVsRestCurves.Curve> rocCurves) {

  /** Precision, recall and F1 of one class. */
  public record ClassMetrics(String label, boolean orphan, long support, long predicted, double precision,
      double recall, double f1, double rocAuc, double prAuc) {}

  /**
   * Macro averages over one group of classes present in the evaluation set; NaN (not applicable)
   * when the set holds no class of the group, never 0: a dataset without orphan diseases has no
   * orphan recall to judge.
   */
  public record GroupMetrics(int classes, long records, double macroRecall, double macroF1) {
    public boolean applicable() {
      return classes > 0;
    }
  }

  /**
   * @param scored rows with {@code labelColumn} (index), {@code predictionColumn} (index) and
   *     {@code probabilityColumn} (vector of class probabilities by index)
   * @param orphanLabels indexes of the orphan classes
   */
  public static ClassificationMetrics of(Dataset<Row> scored, String labelColumn, String predictionColumn,
      String probabilityColumn, List<String> labels, Set<Integer> orphanLabels) {
    return of(scored, labelColumn, predictionColumn, vector_to_array(col(probabilityColumn), "float64"), labels,
        orphanLabels);
  }

  /**
   * The class probabilities of a fitted model's output as an array: its {@code probability} vector,
   * or, for a model with margins only (one-vs-rest), the softmax of its {@code rawPrediction}. Those
   * are scores that rank the classes, not calibrated probabilities.
   */
  public static Column probabilities(Dataset<Row> scored) {
    if (java.util.Arrays.asList(scored.columns()).contains("probability")) {
      return vector_to_array(col("probability"), "float64");
    }
    Column raw = vector_to_array(col("rawPrediction"), "float64");
    Column exp = org.apache.spark.sql.functions.transform(raw,
        x -> org.apache.spark.sql.functions.exp(x.minus(org.apache.spark.sql.functions.array_max(raw))));
    return org.apache.spark.sql.functions.transform(exp, x -> x.divide(aggregate(exp, lit(0.0), (a, b) -> a.plus(b))));
  }

  /** As above, with the probabilities as an array column expression (see {@link #probabilities}). */
  public static ClassificationMetrics of(Dataset<Row> scored, String labelColumn, String predictionColumn,
      Column probabilities, List<String> labels, Set<Integer> orphanLabels) {
    return of(scored, labelColumn, predictionColumn, probabilities, labels, orphanLabels, true);
  }

  /**
   * @param withAreas false to skip the one-vs-rest ROC/PR areas and curves (their two extra Spark jobs;
   *     the AUC figures are then NaN), e.g. inside cross-validation when selecting on another metric
   */
  public static ClassificationMetrics of(Dataset<Row> scored, String labelColumn, String predictionColumn,
      Column probabilities, List<String> labels, Set<Integer> orphanLabels, boolean withAreas) {
    int k = labels.size();
    long[][] confusion = new long[k][k];
    long[] outside = new long[k];
    for (Row r : scored.groupBy(labelColumn, predictionColumn).count().collectAsList()) {
      int truth = (int) ((Number) r.get(0)).doubleValue();
      int predicted = (int) ((Number) r.get(1)).doubleValue();
      if (truth >= k || truth < 0 || predicted < 0) {
        throw new IllegalArgumentException("label " + truth + " or prediction " + predicted + " is not among the "
            + k + " labels");
      }
      if (predicted >= k) {
        outside[truth] += r.getLong(2); // a disease the model knows beyond the evaluated labels: wrong
      } else {
        confusion[truth][predicted] = r.getLong(2);
      }
    }
    // a model over more classes than the labels (the phenotype model ranks every catalogue disease,
    // the labels first): its areas are those of the evaluated labels
    Column evaluated = org.apache.spark.sql.functions.slice(probabilities, 1, k);

    Column pTrue = element_at(probabilities, col(labelColumn).cast("int").plus(1));
    Column higher = size(filter(probabilities, p -> p.gt(pTrue)));
    Column squares = aggregate(probabilities, lit(0.0), (acc, p) -> acc.plus(p.multiply(p)));
    Row row = scored.agg(count(lit(1)),
        avg(when(higher.lt(3), 1.0).otherwise(0.0)),
        avg(log(greatest(pTrue, lit(1e-15))).multiply(-1)),
        avg(squares.minus(pTrue.multiply(2)).plus(1))).first();
    long n = row.getLong(0);
    OneVsRestCurves.Result curves = withAreas ? OneVsRestCurves.of(scored, col(labelColumn), evaluated)
        : new OneVsRestCurves.Result(Map.of(), List.of());

    List<ClassMetrics> perClass = new ArrayList<>();
    long correct = 0;
    for (int c = 0; c < k; c++) {
      long tp = confusion[c][c];
      long support = outside[c];
      long predicted = 0;
      for (int j = 0; j < k; j++) {
        support += confusion[c][j];
        predicted += confusion[j][c];
      }
      correct += tp;
      double precision = predicted == 0 ? 0 : (double) tp / predicted;
      double recall = support == 0 ? 0 : (double) tp / support;
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      OneVsRestCurves.ClassAreas areas = curves.areas().getOrDefault(c,
          new OneVsRestCurves.ClassAreas(Double.NaN, Double.NaN));
      perClass.add(new ClassMetrics(labels.get(c), orphanLabels.contains(c), support, predicted, precision, recall, f1,
          areas.rocAuc(), areas.prAuc()));
    }
    List<ClassMetrics> present = perClass.stream().filter(m -> m.support() > 0).toList();
    double weightedF1 = n == 0 ? 0 : present.stream().mapToDouble(m -> m.f1() * m.support()).sum() / n;
    return new ClassificationMetrics(List.copyOf(labels), n, n == 0 ? 0 : (double) correct / n,
        mean(present, ClassMetrics::precision), mean(present, ClassMetrics::recall), mean(present, ClassMetrics::f1),
        weightedF1, n == 0 ? 0 : row.getDouble(1), n == 0 ? 0 : row.getDouble(2), n == 0 ? 0 : row.getDouble(3),
        definedMean(present, ClassMetrics::rocAuc), definedMean(present, ClassMetrics::prAuc),
        group(present, true), group(present, false), List.copyOf(perClass), confusion, curves.curves());
  }

  private static double mean(List<ClassMetrics> classes, java.util.function.ToDoubleFunction<ClassMetrics> metric) {
    return classes.stream().mapToDouble(metric).average().orElse(0);
  }

  /** Mean over the classes where the metric is defined (an AUC needs positives and negatives). */
  private static double definedMean(List<ClassMetrics> classes,
      java.util.function.ToDoubleFunction<ClassMetrics> metric) {
    return classes.stream().mapToDouble(metric).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
  }

  private static GroupMetrics group(List<ClassMetrics> present, boolean orphan) {
    List<ClassMetrics> members = present.stream().filter(m -> m.orphan() == orphan).toList();
    return new GroupMetrics(members.size(), members.stream().mapToLong(ClassMetrics::support).sum(),
        members.isEmpty() ? Double.NaN : mean(members, ClassMetrics::recall),
        members.isEmpty() ? Double.NaN : mean(members, ClassMetrics::f1));
  }

  /**
   * The headline figures by name, for MLflow metrics and reports. A group's figures are NaN when the
   * set has no class of it (MLflow logging skips NaN); {@code orphan_classes} and {@code common_classes}
   * say how many classes each group had, so the gate can tell "not applicable" from "not logged".
   */
  public Map<String, Double> summary() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("accuracy", accuracy);
    m.put("macro_precision", macroPrecision);
    m.put("macro_recall", macroRecall);
    m.put("macro_f1", macroF1);
    m.put("weighted_f1", weightedF1);
    m.put("top3_accuracy", top3Accuracy);
    m.put("log_loss", logLoss);
    m.put("brier_score", brierScore);
    m.put("roc_auc_macro", rocAucMacro);
    m.put("pr_auc_macro", prAucMacro);
    m.put("orphan_macro_recall", orphan.macroRecall());
    m.put("orphan_macro_f1", orphan.macroF1());
    m.put("common_macro_recall", common.macroRecall());
    m.put("common_macro_f1", common.macroF1());
    m.put("orphan_classes", (double) orphan.classes());
    m.put("common_classes", (double) common.classes());
    return m;
  }

  /** The confusion matrix as CSV: a header of predicted labels, one row per true label. */
  public String confusionCsv() {
    StringBuilder csv = new StringBuilder("true\\predicted");
    labels.forEach(l -> csv.append(',').append(l));
    csv.append('\n');
    for (int i = 0; i < labels.size(); i++) {
      csv.append(labels.get(i));
      for (long v : confusion[i]) {
        csv.append(',').append(v);
      }
      csv.append('\n');
    }
    return csv.toString();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d records: accuracy %.3f, macro-F1 %.3f, top-3 %.3f, orphan macro-recall %s "
        + "(%d classes), common macro-recall %s", records, accuracy, macroF1, top3Accuracy, figure(orphan.macroRecall()),
        orphan.classes(), figure(common.macroRecall()));
  }

  /** A figure to 3 decimals, or "n/a" for NaN (a group with no class, an area with no negatives). */
  public static String figure(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
  }
}
