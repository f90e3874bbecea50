package io.dxpipe.quality;

import io.dxpipe.config.Keys;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Number of rows within [min, max] ({@code max} optional). */
public record RowCount(String configuredName, long min, Long max) implements Check {
  public static final String TYPE = "row-count";

  static RowCount fromConfig(Keys keys, String name) {
    keys.allowOnly(Set.of("type", "name", "min", "max"));
    long min = keys.longAtLeast("min", 0);
    Long max = keys.has("max") ? keys.longAtLeast("max", min) : null;
    return new RowCount(name, min, max);
  }

  public String type() {
    return TYPE;
  }

  public String column() {
    return null;
  }

  public String name() {
    return configuredName != null ? configuredName : TYPE;
  }

  public String constraint() {
    return max == null ? "rows >= " + min : "rows in [" + min + ", " + max + "]";
  }

  public List<Column> aggregates(EvaluationContext context) {
    return List.of();
  }

  public Verdict verdict(Row v, long rows, EvaluationContext context) {
    return new Verdict((double) rows, rows >= min && (max == null || rows <= max));
  }

  public List<String> examples(Dataset<Row> data, EvaluationContext context, int limit) {
    return List.of(data.count() + " rows");
  }
}
