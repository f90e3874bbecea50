package io.dxpipe.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.dxpipe.config.Keys;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Share of non-null values, at least {@code min}. */
public record Completeness(String configuredName, String column, double min) implements Check {
  public static final String TYPE = "completeness";

  static Completeness fromConfig(Keys keys, String name) {
    keys.allowOnly(Set.of("type", "name", "column", "min"));
    return new Completeness(name, keys.nonEmptyString("column"), keys.doubleBetween("min", 0, 1));
  }

  public String type() {
    return TYPE;
  }

  public String name() {
    return CheckFigures.nameOr(configuredName, type(), column);
  }

  public String constraint() {
    return "non-null share >= " + CheckFigures.share(min);
  }

  public List<Column> aggregates(EvaluationContext context) {
    return CheckFigures.shareAggregates(col(column).isNotNull(), lit(true));
  }

  public Verdict verdict(Row values, long rows, EvaluationContext context) {
    double metric = CheckFigures.shareOf(values);
    return new Verdict(metric, metric >= min);
  }

  public List<String> examples(Dataset<Row> data, EvaluationContext context, int limit) {
    long missing = data.filter(col(column).isNull()).count();
    return List.of(missing + " rows with " + column + " null");
  }
}
