package io.dxpipe.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.typesafe.config.Config;
import io.dxpipe.config.ConfigurationException;
import io.dxpipe.config.Keys;
import io.dxpipe.schema.Silver;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The check types and how each is read from configuration. */
public final class Checks {
  private Checks() {}

  /** Reads one check object of a group ({@code { type = range, column = age, min = 0, max = 120 }}). */
  public static Check fromConfig(Config config, String prefix) {
    Keys keys = Keys.of(config, prefix);
    String type = keys.nonEmptyString("type");
    String name = keys.has("name") ? keys.nonEmptyString("name") : null;
    switch (type) {
      case "completeness" -> {
        keys.allowOnly(Set.of("type", "name", "column", "min"));
        return new Completeness(name, keys.nonEmptyString("column"), keys.doubleBetween("min", 0, 1));
      }
      case "uniqueness" -> {
        keys.allowOnly(Set.of("type", "name", "columns", "min"));
        List<String> columns = keys.strings("columns");
        if (columns.isEmpty()) {
          throw keys.invalid("columns", "must name at least one column");
        }
        return new Uniqueness(name, columns, keys.has("min") ? keys.doubleBetween("min", 0, 1) : 1.0);
      }
      case "values-in-set" -> {
        keys.allowOnly(Set.of("type", "name", "column", "values", "min"));
        return new ValuesInSet(name, keys.nonEmptyString("column"), keys.strings("values"),
            keys.has("min") ? keys.doubleBetween("min", 0, 1) : 1.0);
      }
      case "range" -> {
        keys.allowOnly(Set.of("type", "name", "column", "min", "max", "min-share"));
        double min = keys.number("min");
        double max = keys.number("max");
        if (min > max) {
          throw keys.invalid("min", "(" + min + ") is above max (" + max + ")");
        }
        return new Range(name, keys.nonEmptyString("column"), min, max,
            keys.has("min-share") ? keys.doubleBetween("min-share", 0, 1) : 1.0);
      }
      case "date-window" -> {
        keys.allowOnly(Set.of("type", "name", "column", "from", "to", "min-share"));
        String from = keys.nonEmptyString("from");
        String to = keys.nonEmptyString("to");
        try {
          resolveDate(from, LocalDate.now());
          resolveDate(to, LocalDate.now());
        } catch (IllegalArgumentException e) {
          throw keys.invalid("from", "/to: " + e.getMessage());
        }
        return new DateWindow(name, keys.nonEmptyString("column"), from, to,
            keys.has("min-share") ? keys.doubleBetween("min-share", 0, 1) : 1.0);
      }
      case "row-count" -> {
        keys.allowOnly(Set.of("type", "name", "min", "max"));
        long min = keys.longAtLeast("min", 0);
        Long max = keys.has("max") ? keys.longAtLeast("max", min) : null;
        return new RowCount(name, min, max);
      }
      case "flag-share" -> {
        keys.allowOnly(Set.of("type", "name", "flag", "max"));
        return new FlagShare(name, keys.nonEmptyString("flag"), keys.doubleBetween("max", 0, 1));
      }
      case "quarantine-share" -> {
        keys.allowOnly(Set.of("type", "name", "max"));
        return new QuarantineShare(name, keys.doubleBetween("max", 0, 1));
      }
      default -> throw new ConfigurationException(prefix + ".type '" + type + "' is not a check type (completeness, "
          + "uniqueness, values-in-set, range, date-window, row-count, flag-share, quarantine-share)");
    }
  }

  private static final Pattern RELATIVE = Pattern.compile("([+-]\\d+)([dy])");

  /** "today", yyyy-MM-dd, or an offset from today such as -30y or -7d. */
  static LocalDate resolveDate(String spec, LocalDate today) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("today")) {
      return today;
    }
    Matcher m = RELATIVE.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return m.group(2).equals("y") ? today.plusYears(n) : today.plusDays(n);
    }
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + spec + "' is not a date (yyyy-MM-dd, today, -<n>y, -<n>d)");
    }
  }

  private static String nameOr(String name, String type, String column) {
    return name != null ? name : type + "(" + column + ")";
  }

  private static String share(double value) {
    return String.format(Locale.ROOT, "%.4g", value);
  }

  /** Share of rows where the condition holds among rows where {@code of} holds (1 when none). */
  private static List<Column> shareAggregates(Column condition, Column of) {
    return List.of(sum(when(of.and(condition), 1).otherwise(0)), sum(when(of, 1).otherwise(0)));
  }

  private static double shareOf(Row values) {
    long hits = values.isNullAt(0) ? 0 : values.getLong(0);
    long total = values.isNullAt(1) ? 0 : values.getLong(1);
    return total == 0 ? 1.0 : (double) hits / total;
  }

  /** Distinct offending values with their counts, most frequent first. */
  private static List<String> valueCounts(Dataset<Row> offending, String column, int limit) {
    return offending.groupBy(col(column)).count().orderBy(col("count").desc(), col(column)).limit(limit)
        .collectAsList().stream().map(r -> r.get(0) + " (" + r.getLong(1) + ")").collect(Collectors.toList());
  }

  /**
   * A check whose metric is the share of non-null values of its column that satisfy a condition,
   * required to be at least a minimum; offending values are listed with their counts.
   */
  interface ShareOfValues extends Check {
    Column satisfied(EvaluationContext context);

    double minShare();

    default List<Column> aggregates(EvaluationContext context) {
      return shareAggregates(satisfied(context), col(column()).isNotNull());
    }

    default Verdict verdict(Row values, long rows, EvaluationContext context) {
      double metric = shareOf(values);
      return new Verdict(metric, metric >= minShare());
    }

    default List<String> examples(Dataset<Row> data, EvaluationContext context, int limit) {
      return valueCounts(data.filter(col(column()).isNotNull().and(satisfied(context).unary_$bang())), column(), limit);
    }
  }

  /** Share of non-null values. */
  public record Completeness(String configuredName, String column, double min) implements Check {
    public String type() {
      return "completeness";
    }

    public String name() {
      return nameOr(configuredName, type(), column);
    }

    public String constraint() {
      return "non-null share >= " + share(min);
    }

    public List<Column> aggregates(EvaluationContext context) {
      return shareAggregates(col(column).isNotNull(), lit(true));
    }

    public Verdict verdict(Row values, long rows, EvaluationContext context) {
      double metric = shareOf(values);
      return new Verdict(metric, metric >= min);
    }

    public List<String> examples(Dataset<Row> data, EvaluationContext context, int limit) {
      long missing = data.filter(col(column).isNull()).count();
      return List.of(missing + " rows with " + column + " null");
    }
  }

  /** Share of distinct keys among rows (1 = every key once). */
  public record Uniqueness(String configuredName, List<String> columns, double min) implements Check {
    public String type() {
      return "uniqueness";
    }

    public String column() {
      return String.join(",", columns);
    }

    public String name() {
      return nameOr(configuredName, type(), column());
    }

    public String constraint() {
      return "distinct share >= " + share(min);
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

  /** Share of non-null values that are in the allowed set. */
  public record ValuesInSet(String configuredName, String column, List<String> values, double minShare)
      implements ShareOfValues {
    public String type() {
      return "values-in-set";
    }

    public String name() {
      return nameOr(configuredName, type(), column);
    }

    public String constraint() {
      return "share in " + values + " >= " + share(minShare);
    }

    public Column satisfied(EvaluationContext context) {
      return col(column).cast("string").isin(values.toArray()); // values are text: booleans as [true]
    }
  }

  /** Share of non-null numeric values inside [min, max]. */
  public record Range(String configuredName, String column, double min, double max, double minShare)
      implements ShareOfValues {
    public String type() {
      return "range";
    }

    public String name() {
      return nameOr(configuredName, type(), column);
    }

    public String constraint() {
      return "share in [" + min + ", " + max + "] >= " + share(minShare);
    }

    public Column satisfied(EvaluationContext context) {
      return col(column).between(min, max);
    }
  }

  /** Share of non-null dates inside a window given absolutely or relative to today. */
  public record DateWindow(String configuredName, String column, String from, String to, double minShare)
      implements ShareOfValues {
    public String type() {
      return "date-window";
    }

    public String name() {
      return nameOr(configuredName, type(), column);
    }

    public String constraint() {
      return "share in [" + from + ", " + to + "] >= " + share(minShare);
    }

    public Column satisfied(EvaluationContext context) {
      return col(column).between(lit(java.sql.Date.valueOf(resolveDate(from, context.today()))),
          lit(java.sql.Date.valueOf(resolveDate(to, context.today()))));
    }
  }

  /** Number of rows within [min, max]. */
  public record RowCount(String configuredName, long min, Long max) implements Check {
    public String type() {
      return "row-count";
    }

    public String column() {
      return null;
    }

    public String name() {
      return configuredName != null ? configuredName : "row-count";
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

  /** Share of rows carrying a quality flag that starts with the given prefix, at most max. */
  public record FlagShare(String configuredName, String flag, double max) implements Check {
    public String type() {
      return "flag-share";
    }

    public String column() {
      return Silver.QUALITY_FLAGS;
    }

    public String name() {
      return configuredName != null ? configuredName : "flag-share(" + flag + ")";
    }

    public String constraint() {
      return "share flagged " + flag + "* <= " + share(max);
    }

    private Column flagged() {
      return exists(col(Silver.QUALITY_FLAGS), f -> f.startsWith(flag));
    }

    public List<Column> aggregates(EvaluationContext context) {
      return shareAggregates(flagged(), lit(true));
    }

    public Verdict verdict(Row v, long rows, EvaluationContext context) {
      double metric = rows == 0 ? 0.0 : shareOf(v); // no rows, no flagged rows
      return new Verdict(metric, metric <= max);
    }

    public List<String> examples(Dataset<Row> data, EvaluationContext context, int limit) {
      Dataset<Row> flags = data.select(org.apache.spark.sql.functions.explode(col(Silver.QUALITY_FLAGS)).as("flag"))
          .filter(col("flag").startsWith(flag));
      return valueCounts(flags, "flag", limit);
    }
  }

  /** Quarantined records of the evaluated deliveries over all their records, at most max. */
  public record QuarantineShare(String configuredName, double max) implements Check {
    public String type() {
      return "quarantine-share";
    }

    public String column() {
      return null;
    }

    public String name() {
      return configuredName != null ? configuredName : "quarantine-share";
    }

    public String constraint() {
      return "quarantined / (kept + quarantined) <= " + share(max);
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
}
