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
import io.dxpipe.schema.DeclaredInputs;
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
    return baseline(records, predictedCodes, performance, DeclaredInputs.NONE);
  }

  /**
   * The baseline of a model that reads declared inputs too: a numeric one is profiled as a number
   * ({@code inputs.<name>}), an ordinal or categorical one by its values, beside the built-in columns.
   */
  public static Profile baseline(Dataset<Row> records, Dataset<Row> predictedCodes, Map<String, Double> performance,
      DeclaredInputs declared) {
    List<String> numericKeys = new ArrayList<>(NUMERIC);
    List<String> categoricalKeys = new ArrayList<>(CATEGORICAL);
    for (DeclaredInputs.Input in : declared.inputs()) {
      (in.type() == DeclaredInputs.Type.NUMERIC ? numericKeys : categoricalKeys).add(INPUT + in.name());
    }
    Dataset<Row> withInputs = DeclaredInputs.withColumn(records);
    // positional names: a declared input's key (inputs.x) has a dot, which a column name would read as a field
    String[] names = new String[numericKeys.size()];
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      names[i] = "c" + i;
      columns.add(value(numericKeys.get(i)).cast("double").as(names[i]));
    }
    double[][] quantiles = withInputs.select(columns.toArray(Column[]::new)).stat().approxQuantile(names, PERCENTILES,
        0.001);
    Map<String, double[]> edges = new LinkedHashMap<>();
    for (int i = 0; i < numericKeys.size(); i++) {
      // an all-null column has no quantiles: its edges stay empty and its drift is only its null share
      edges.put(numericKeys.get(i), quantiles[i].length == PERCENTILES.length ? quantiles[i] : new double[0]);
    }
    return profile(withInputs, predictedCodes, edges, categoricalKeys, performance);
  }

  /** A day measured at the baseline's edges, over the baseline's columns. */
  public static Profile at(Dataset<Row> records, Dataset<Row> predictedCodes, Profile baseline) {
    Map<String, double[]> edges = new LinkedHashMap<>();
    baseline.numeric().forEach((c, n) -> edges.put(c, n.edges()));
    List<String> categoricalKeys = new ArrayList<>(CATEGORICAL);
    baseline.categorical().keySet().stream().filter(k -> k.startsWith(INPUT)).forEach(categoricalKeys::add);
    return profile(DeclaredInputs.withColumn(records), predictedCodes, edges, categoricalKeys, Map.of());
  }

  /** The profile key of a declared input: {@code inputs.<name>}. */
  public static final String INPUT = DeclaredInputs.COLUMN + ".";

  /** A profiled column's values: a silver column, or a declared input's entry of the inputs map. */
  private static Column value(String key) {
    return key.startsWith(INPUT) ? col(DeclaredInputs.COLUMN).getItem(key.substring(INPUT.length())) : col(key);
  }

  private static Profile profile(Dataset<Row> records, Dataset<Row> predictedCodes, Map<String, double[]> edges,
      List<String> categoricalKeys, Map<String, Double> performance) {
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)));
    edges.forEach((c, e) -> {
      Column x = value(c).cast("double");
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
    for (String c : categoricalKeys) {
      values.add(struct(lit(c).as("feature"), coalesce(value(c), lit(MISSING)).as("value")));
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
