package io.dxpipe.quality;

import static org.apache.spark.sql.functions.col;

import io.dxpipe.config.Keys;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;

/** Share of non-null values that are in the allowed set, at least {@code minShare}. */
public record ValuesInSet(String configuredName, String column, List<String> values, double minShare)
    implements ShareOfValues {
  public static final String TYPE = "values-in-set";

  static ValuesInSet fromConfig(Keys keys, String name) {
    keys.allowOnly(Set.of("type", "name", "column", "values", "min"));
    return new ValuesInSet(name, keys.nonEmptyString("column"), keys.strings("values"),
        keys.has("min") ? keys.doubleBetween("min", 0, 1) : 1.0);
  }

  public String type() {
    return TYPE;
  }

  public String name() {
    return CheckFigures.nameOr(configuredName, type(), column);
  }

  public String constraint() {
    return "share in " + values + " >= " + CheckFigures.share(minShare);
  }

  public Column satisfied(EvaluationContext context) {
    return col(column).cast("string").isin(values.toArray()); // values are text: booleans as [true]
  }
}
