package io.dxpipe.quality;

import static org.apache.spark.sql.functions.col;

import io.dxpipe.config.Keys;
import java.util.Set;
import org.apache.spark.sql.Column;

/** Share of non-null numeric values inside [min, max], at least {@code minShare}. */
public record Range(String configuredName, String column, double min, double max, double minShare)
    implements ShareOfValues {
  public static final String TYPE = "range";

  static Range fromConfig(Keys keys, String name) {
    keys.allowOnly(Set.of("type", "name", "column", "min", "max", "min-share"));
    double min = keys.number("min");
    double max = keys.number("max");
    if (min > max) {
      throw keys.invalid("min", "(" + min + ") is above max (" + max + ")");
    }
    return new Range(name, keys.nonEmptyString("column"), min, max,
        keys.has("min-share") ? keys.doubleBetween("min-share", 0, 1) : 1.0);
  }

  public String type() {
    return TYPE;
  }

  public String name() {
    return CheckFigures.nameOr(configuredName, type(), column);
  }

  public String constraint() {
    return "share in [" + min + ", " + max + "] >= " + CheckFigures.share(minShare);
  }

  public Column satisfied(EvaluationContext context) {
    return col(column).between(min, max);
  }
}
