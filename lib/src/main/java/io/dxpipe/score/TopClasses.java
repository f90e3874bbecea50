package io.dxpipe.score;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import io.dxpipe.schema.Predictions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.StructType;

/**
 * The k most probable classes of a model's output vector, best first, as
 * {@code array<struct<code, probability, is_orphan>>}: one pass over the vector (O(classes)), where
 * sorting all classes in SQL costs a sort per record. For a model with margins only (one-vs-rest)
 * the probabilities are the softmax of the margins, as in {@code ClassificationMetrics.probabilities}.
 * Ties go to the lower class index, as Spark's own prediction does.
 */
public final class TopClasses {
  private TopClasses() {}

  public static final StructType ENTRY = createStructType(List.of(
      createStructField(Predictions.TOP_CODE, StringType, false),
      createStructField(Predictions.PROBABILITY, DoubleType, false),
      createStructField(Predictions.IS_ORPHAN, BooleanType, false)));

  public static UserDefinedFunction udf(List<String> labels, Set<String> orphanCodes, int k, boolean margins) {
    String[] codes = labels.toArray(String[]::new);
    boolean[] orphan = new boolean[codes.length];
    for (int i = 0; i < codes.length; i++) {
      orphan[i] = orphanCodes.contains(codes[i]);
    }
    return org.apache.spark.sql.functions.udf((UDF1<Vector, List<Row>>) v -> top(v, codes, orphan, k, margins),
        createArrayType(ENTRY, false)).asNonNullable();
  }

  static List<Row> top(Vector v, String[] codes, boolean[] orphan, int k, boolean margins) {
    double[] p = v.toArray();
    double max = margins ? max(p) : Double.NEGATIVE_INFINITY;
    double norm = margins ? softmaxNorm(p, max) : 1;
    int[] best = best(p, k);
    List<Row> out = new ArrayList<>(best.length);
    for (int c : best) {
      double probability = margins ? Math.exp(p[c] - max) / norm : p[c];
      out.add(RowFactory.create(codes[c], probability, orphan[c]));
    }
    return out;
  }

  /**
   * The indices of the k largest values, best first, in one pass (O(values x k)); strictly greater
   * moves up, so ties keep the lower index first.
   */
  public static int[] best(double[] p, int k) {
    int n = Math.min(k, p.length);
    int[] best = new int[n];
    int found = 0;
    for (int i = 0; i < p.length; i++) {
      int at = found;
      while (at > 0 && p[i] > p[best[at - 1]]) {
        at--;
      }
      if (at < n) {
        for (int j = Math.min(found, n - 1); j > at; j--) {
          best[j] = best[j - 1];
        }
        best[at] = i;
        found = Math.min(found + 1, n);
      }
    }
    return found == n ? best : java.util.Arrays.copyOf(best, found);
  }

  /** The largest margin: the softmax of margins is shifted by it. */
  public static double max(double[] margins) {
    double max = Double.NEGATIVE_INFINITY;
    for (double x : margins) {
      max = Math.max(max, x);
    }
    return max;
  }

  /** The softmax's denominator, summed in index order: class i's probability is exp(m[i] - max) / norm. */
  public static double softmaxNorm(double[] margins, double max) {
    double norm = 0;
    for (double x : margins) {
      norm += Math.exp(x - max);
    }
    return norm;
  }
}
