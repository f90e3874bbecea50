package io.dxpipe.quality;

import io.dxpipe.config.Keys;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Quarantined records of the evaluated deliveries over all their records, at most {@code max}.
 * Needs the quarantine count in the {@link EvaluationContext}: bronze only.
 */
public record QuarantineShare(String configuredName, double max) implements Check {
  public static final String TYPE = "quarantine-share";

  static QuarantineShare fromConfig(Keys keys, String name) {
    keys.allowOnly(Set.of("type", "name", "max"));
    return new QuarantineShare(name, keys.doubleBetween("max", 0, 1));
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
    return "quarantined / (kept + quarantined) <= " + CheckFigures.share(max);
  }

  public List<Column> aggregates(EvaluationContext context) {
    if (context.quarantinedRows() == null) {
      throw new IllegalStateException("check " + name() + " needs the quarantine count: it applies to the bronze "
          + "table only (dxpipe.quality.tables.bronze)");
    }
    return List.of();
  }

  public Verdict verdict(Row v, long rows, EvaluationContext context) {
    long q = context.quarantinedRows();
    double metric = rows + q == 0 ? 0.0 : (double) q / (rows + q);
    return new Verdict(metric, metric <= max);
  }

  public List<String> examples(Dataset<Row> data, EvaluationContext context, int limit) {
    return List.of(context.quarantinedRows() + " quarantined vs " + data.count() + " kept");
  }
}
