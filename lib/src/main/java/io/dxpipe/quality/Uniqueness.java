package io.dxpipe.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import io.dxpipe.config.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Share of distinct keys among rows (1 = every key once), at least {@code min}. */
public record Uniqueness(String configuredName, List<String> columns, double min) implements Check {
  public static final String TYPE = "uniqueness";

  static Uniqueness fromConfig(Keys keys, String name) {
    keys.allowOnly(Set.of("type", "name", "columns", "min"));
    List<String> columns = keys.strings("columns");
    if (columns.isEmpty()) {
      throw keys.invalid("columns", "must name at least one column");
    }
    return new Uniqueness(name, columns, keys.has("min") ? keys.doubleBetween("min", 0, 1) : 1.0);
  }

  public String type() {
    return TYPE;
  }

  public String column() {
    return String.join(",", columns);
  }

  public String name() {
    return CheckFigures.nameOr(configuredName, type(), column());
  }

  public String constraint() {
    return "distinct share >= " + CheckFigures.share(min);
  }

  public List<Column> aggregates(EvaluationContext context) {
    return List.of(countDistinct(key()), count(lit(1)));
  }

  private Column key() {
    return struct(columns.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
  }

  public Verdict verdict(Row values, long rows, EvaluationContext context) {
    long distinct = values.getLong(0);
    long total = values.getLong(1);
    double metric = total == 0 ? 1.0 : (double) distinct / total;
    return new Verdict(metric, metric >= min);
  }

  public List<String> examples(Dataset<Row> data, EvaluationContext context, int limit) {
    Column[] cols = columns.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    return data.groupBy(cols).count().filter(col("count").gt(1)).orderBy(col("count").desc()).limit(limit)
        .collectAsList().stream()
        .map(r -> {
          List<String> parts = new ArrayList<>();
          for (int i = 0; i < columns.size(); i++) {
            parts.add(String.valueOf(r.get(i)));
          }
          return String.join("/", parts) + " x" + r.getLong(columns.size());
        })
        .collect(Collectors.toList());
  }
}
