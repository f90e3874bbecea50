package io.dxpipe.monitor;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Predictions;
import io.dxpipe.schema.Silver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Computes {@link Profile}s with Spark: one aggregation pass for the numeric columns (null share,
 * mean, spread and the distribution function at the edges), one grouped count for the categorical
 * values, symptoms and quality flags, and one for the predicted diseases. Only the aggregates reach
 * the driver.
 */
public final class Profiler {
  private Profiler() {}

  public static final String MISSING = "(missing)";
  public static final String SYMPTOM = "symptom";
  /** Columns whose drift is measured: the model's numeric and categorical inputs. */
  public static final List<String> NUMERIC = Silver.NUMERIC_COLUMNS;
  public static final List<String> CATEGORICAL = Silver.CATEGORICAL_COLUMNS;
  private static final double[] PERCENTILES = new double[99];

  static {
    for (int i = 0; i < 99; i++) {
      PERCENTILES[i] = (i + 1) / 100.0;
    }
  }

  /**
   * The baseline: the records' own percentiles 1..99 become the edges every later day is measured at.
   *
   * @param predictedCodes one row per record with column {@code predicted_code} (the model's output)
   * @param performance the model's test metrics, kept for the delayed-label comparison
   */
  public static Profile baseline(Dataset<Row> records, Dataset<Row> predictedCodes, Map<String, Double> performance) {
    Dataset<Row> numeric = records.select(NUMERIC.stream().map(c -> col(c).cast("double").as(c)).toArray(Column[]::new));
    double[][] quantiles = numeric.stat().approxQuantile(NUMERIC.toArray(String[]::new), PERCENTILES, 0.001);
    Map<String, double[]> edges = new LinkedHashMap<>();
    for (int i = 0; i < NUMERIC.size(); i++) {
      // an all-null column has no quantiles: its edges stay empty and its drift is only its null share
      edges.put(NUMERIC.get(i), quantiles[i].length == PERCENTILES.length ? quantiles[i] : new double[0]);
    }
    return profile(records, predictedCodes, edges, performance);
  }

  /** A day measured at the baseline's edges. */
  public static Profile at(Dataset<Row> records, Dataset<Row> predictedCodes, Profile baseline) {
    Map<String, double[]> edges = new LinkedHashMap<>();
    baseline.numeric().forEach((c, n) -> edges.put(c, n.edges()));
    return profile(records, predictedCodes, edges, Map.of());
  }

  private static Profile profile(Dataset<Row> records, Dataset<Row> predictedCodes, Map<String, double[]> edges,
      Map<String, Double> performance) {
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)));
    edges.forEach((c, e) -> {
      Column x = col(c).cast("double");
      aggregates.add(count(x));
      aggregates.add(avg(x));
      aggregates.add(stddev_pop(x));
      for (double edge : e) {
        aggregates.add(sum(when(x.leq(edge), 1L).otherwise(0L)));
      }
    });
    Row row = records.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new)).first();
    long n = row.getLong(0);
    Map<String, Profile.Numeric> numeric = new LinkedHashMap<>();
    int at = 1;
    for (Map.Entry<String, double[]> e : edges.entrySet()) {
      long nonNull = row.getLong(at++);
      double mean = row.isNullAt(at) ? Double.NaN : row.getDouble(at);
      at++;
      double std = row.isNullAt(at) ? Double.NaN : row.getDouble(at);
      at++;
      double[] cdf = new double[e.getValue().length];
      for (int i = 0; i < cdf.length; i++) {
        long le = row.isNullAt(at) ? 0 : row.getLong(at);
        at++;
        cdf[i] = nonNull == 0 ? 0 : le / (double) nonNull;
      }
      numeric.put(e.getKey(), new Profile.Numeric(nonNull, n == 0 ? 0 : 1 - nonNull / (double) n, mean, std,
          e.getValue(), cdf));
    }

    List<Column> values = new ArrayList<>();
    for (String c : CATEGORICAL) {
      values.add(struct(lit(c).as("feature"), coalesce(col(c), lit(MISSING)).as("value")));
    }
    Column symptoms = transform(coalesce(col(Bronze.SYMPTOMS), array()),
        s -> struct(lit(SYMPTOM).as("feature"), s.getField(Bronze.SYMPTOM_NAME).as("value")));
    Column flagKinds = transform(array_distinct(transform(coalesce(col(Silver.QUALITY_FLAGS), array()),
        f -> regexp_extract(f, "^([^:]+):", 1))), k -> struct(lit("flag").as("feature"), k.as("value")));
    Map<String, Map<String, Long>> categorical = new TreeMap<>();
    Map<String, Long> flags = new TreeMap<>();
    for (Row r : records.select(explode(concat(array(values.toArray(Column[]::new)), symptoms, flagKinds)).as("v"))
        .groupBy(col("v.feature"), col("v.value")).count().collectAsList()) {
      if ("flag".equals(r.getString(0))) {
        flags.put(r.getString(1), r.getLong(2));
      } else {
        categorical.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getString(1), r.getLong(2));
      }
    }
    Map<String, Long> predicted = new TreeMap<>();
    for (Row r : predictedCodes.groupBy(Predictions.PREDICTED_CODE).count().collectAsList()) {
      predicted.put(r.isNullAt(0) ? MISSING : r.getString(0), r.getLong(1));
    }
    categorical.put(Predictions.PREDICTED_CODE, predicted);
    return new Profile(n, numeric, categorical, flags, performance);
  }
}
