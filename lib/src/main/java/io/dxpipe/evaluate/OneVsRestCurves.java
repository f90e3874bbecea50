package io.dxpipe.evaluate;

import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.storage.StorageLevel;

/**
 * One-vs-rest ROC AUC, PR AUC (average precision) and thinned ROC curves per class, computed in
 * Spark: scores are grouped per (class, distinct score) so ties are exact (a tied positive/negative
 * pair counts one half, as in the Mann-Whitney statistic), then running sums over each class's
 * scores give the areas. Only k summary rows and at most {@code POINTS} curve points per class reach
 * the driver.
 */
public final class OneVsRestCurves {
  static final int POINTS = 100;

  private OneVsRestCurves() {}

  /** Areas of one class; NaN when the class has no positive or no negative record. */
  public record ClassAreas(double rocAuc, double prAuc) {}

  /** The ROC curve of one class: false and true positive rates from the highest threshold down. */
  public record Curve(int label, double[] falsePositiveRate, double[] truePositiveRate) {}

  public record Result(Map<Integer, ClassAreas> areas, List<Curve> curves) {}

  /**
   * @param label the true class index
   * @param probabilities array of per-class scores indexed by class
   */
  public static Result of(Dataset<Row> scored, Column label, Column probabilities) {
    Dataset<Row> grouped = scored.select(label.cast("int").as("y"), posexplode(probabilities).as(new String[] {"c", "p"}))
        .groupBy("c", "p")
        .agg(sum(when(col("y").equalTo(col("c")), 1L).otherwise(0L)).as("pos"),
            sum(when(col("y").notEqual(col("c")), 1L).otherwise(0L)).as("neg"));
    WindowSpec ascending = Window.partitionBy("c").orderBy(col("p").asc());
    WindowSpec descending = Window.partitionBy("c").orderBy(col("p").desc());
    Dataset<Row> sums = grouped
        .withColumn("neg_below", coalesce(sum("neg").over(ascending.rowsBetween(Window.unboundedPreceding(), -1)), lit(0L)))
        .withColumn("tp", sum("pos").over(descending.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
        .withColumn("fp", sum("neg").over(descending.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
        .withColumn("rank", row_number().over(descending))
        .withColumn("points", count(lit(1)).over(Window.partitionBy("c")))
        .withColumn("P", sum("pos").over(Window.partitionBy("c")))
        .withColumn("N", sum("neg").over(Window.partitionBy("c")))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<Integer, ClassAreas> areas = new TreeMap<>();
      for (Row r : sums.groupBy("c").agg(
          sum(col("pos").multiply(col("neg_below").plus(col("neg").multiply(0.5)))).divide(
              sum("pos").multiply(sum("neg"))),
          sum(col("pos").multiply(col("tp")).divide(col("tp").plus(col("fp")))).divide(sum("pos")))
          .collectAsList()) {
        areas.put(r.getInt(0), new ClassAreas(r.isNullAt(1) ? Double.NaN : r.getDouble(1),
            r.isNullAt(2) ? Double.NaN : r.getDouble(2)));
      }
      Column step = ceil(col("points").divide(POINTS));
      Map<Integer, List<double[]>> points = new TreeMap<>();
      for (Row r : sums.filter(col("P").gt(0).and(col("N").gt(0)))
              .filter(col("rank").mod(step).equalTo(0).or(col("rank").equalTo(col("points"))))
              .select(col("c"), col("fp").divide(col("N")), col("tp").divide(col("P")))
              .collectAsList()) {
        points.computeIfAbsent(r.getInt(0), c -> new ArrayList<>()).add(new double[] {r.getDouble(1), r.getDouble(2)});
      }
      List<Curve> curves = new ArrayList<>();
      points.forEach((c, list) -> {
        list.sort(java.util.Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
        double[] fpr = new double[list.size() + 1];
        double[] tpr = new double[list.size() + 1];
        for (int i = 0; i < list.size(); i++) {
          fpr[i + 1] = list.get(i)[0];
          tpr[i + 1] = list.get(i)[1];
        }
        curves.add(new Curve(c, fpr, tpr));
      });
      return new Result(areas, curves);
    } finally {
      sums.unpersist();
    }
  }
}
