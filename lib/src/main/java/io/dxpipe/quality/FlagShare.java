package io.dxpipe.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.lit;

import io.dxpipe.config.Keys;
import io.dxpipe.schema.Silver;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Share of rows carrying a quality flag that starts with the given prefix, at most {@code max}. */
public record FlagShare(String configuredName, String flag, double max) implements Check {
  public static final String TYPE = "flag-share";

  static FlagShare fromConfig(Keys keys, String name) {
    keys.allowOnly(Set.of("type", "name", "flag", "max"));
    return new FlagShare(name, keys.nonEmptyString("flag"), keys.doubleBetween("max", 0, 1));
  }

  public String type() {
    return TYPE;
  }

  public String column() {
    return Silver.QUALITY_FLAGS;
  }

  public String name() {
    return configuredName != null ? configuredName : TYPE + "(" + flag + ")";
  }

  public String constraint() {
    return "share flagged " + flag + "* <= " + CheckFigures.share(max);
  }

  private Column flagged() {
    return exists(col(Silver.QUALITY_FLAGS), f -> f.startsWith(flag));
  }

  public List<Column> aggregates(EvaluationContext context) {
    return CheckFigures.shareAggregates(flagged(), lit(true));
  }

  public Verdict verdict(Row v, long rows, EvaluationContext context) {
    double metric = rows == 0 ? 0.0 : CheckFigures.shareOf(v); // no rows, no flagged rows
    return new Verdict(metric, metric <= max);
  }

  public List<String> examples(Dataset<Row> data, EvaluationContext context, int limit) {
    Dataset<Row> flags = data.select(org.apache.spark.sql.functions.explode(col(Silver.QUALITY_FLAGS)).as("flag"))
        .filter(col("flag").startsWith(flag));
    return CheckFigures.valueCounts(flags, "flag", limit);
  }
}
