package io.dxpipe.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_arrays;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Per-class sample weights from class frequencies, fed to MLlib learners through {@code weightCol}
 * so that a disease with a handful of cases counts as much as a common one. With n records, k
 * classes and n_c records of class c:
 * <ul>
 *   <li>{@link Scheme#BALANCED}: n / (k * n_c), scikit-learn's "balanced" (every class weighs n / k in total);</li>
 *   <li>{@link Scheme#SQRT}: the square root of that, a milder correction;</li>
 *   <li>{@link Scheme#NONE}: 1 for every record (the unweighted comparison).</li>
 * </ul>
 * Weights are computed on the driver from the class counts of the training split only.
 */
public final class ClassWeights {
  private ClassWeights() {}

  /** How class frequencies become weights (config: balanced, sqrt, none). */
  public enum Scheme {
    BALANCED,
    SQRT,
    NONE
  }

  /** Weight per class label, from the number of training records of each class. */
  public static Map<Double, Double> of(Map<Double, Long> counts, Scheme scheme) {
    long n = counts.values().stream().mapToLong(Long::longValue).sum();
    int k = counts.size();
    Map<Double, Double> weights = new TreeMap<>();
    counts.forEach((label, nc) -> {
      if (nc <= 0) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "class %s has %d records", label, nc));
      }
      double balanced = (double) n / ((double) k * nc);
      weights.put(label, switch (scheme) {
        case BALANCED -> balanced;
        case SQRT -> Math.sqrt(balanced);
        case NONE -> 1.0;
      });
    });
    return weights;
  }

  /** Counts the classes of {@code labelColumn} (driver) and adds their weight as {@code weightColumn}. */
  public static Dataset<Row> withWeights(Dataset<Row> records, String labelColumn, String weightColumn, Scheme scheme) {
    Map<Double, Long> counts = new LinkedHashMap<>();
    for (Row r : records.groupBy(labelColumn).count().collectAsList()) {
      counts.put(((Number) r.get(0)).doubleValue(), r.getLong(1));
    }
    return withWeights(records, labelColumn, weightColumn, of(counts, scheme));
  }

  /**
   * For a learner without {@code weightCol} (the multilayer perceptron): repeats each record in
   * proportion to its class weight, relative to the smallest weight, so that the resampled classes
   * have the weighted class totals. A fractional part f becomes one more copy with probability f
   * (seeded), so the expected counts match the weights exactly.
   */
  public static Dataset<Row> resample(Dataset<Row> records, String labelColumn, Map<Double, Double> weights,
      long seed) {
    double smallest = weights.values().stream().mapToDouble(Double::doubleValue).min().orElse(1.0);
    Map<Double, Double> copies = new TreeMap<>();
    weights.forEach((label, w) -> copies.put(label, w / smallest));
    Column factor = col("_copies");
    Column n = org.apache.spark.sql.functions.floor(factor).plus(
        org.apache.spark.sql.functions.when(org.apache.spark.sql.functions.rand(seed)
            .lt(factor.minus(org.apache.spark.sql.functions.floor(factor))), 1).otherwise(0)).cast("int");
    // the copy count (random) is a column of its own: Spark 3.3 allows no random expression in explode
    return withWeights(records, labelColumn, "_copies", copies)
        .withColumn("_n", org.apache.spark.sql.functions.greatest(n, lit(1)))
        .withColumn("_copy", org.apache.spark.sql.functions.explode(
            org.apache.spark.sql.functions.array_repeat(lit(1), col("_n"))))
        .drop("_copies", "_n", "_copy");
  }

  /** Adds the given per-class weights; a class without one (unseen in training) gets 1. */
  public static Dataset<Row> withWeights(Dataset<Row> records, String labelColumn, String weightColumn,
      Map<Double, Double> weights) {
    Column map = map_from_arrays(
        org.apache.spark.sql.functions.array(weights.keySet().stream().map(l -> lit(l)).toArray(Column[]::new)),
        org.apache.spark.sql.functions.array(weights.values().stream().map(w -> lit(w)).toArray(Column[]::new)));
    return records.withColumn(weightColumn,
        org.apache.spark.sql.functions.coalesce(element_at(map, col(labelColumn).cast("double")), lit(1.0)));
  }
}
