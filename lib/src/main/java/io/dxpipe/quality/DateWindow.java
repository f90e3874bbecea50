package io.dxpipe.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.dxpipe.config.Keys;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;

/**
 * Share of non-null dates inside a window given absolutely or relative to the evaluation's today,
 * at least {@code minShare}.
 */
public record DateWindow(String configuredName, String column, String from, String to, double minShare)
    implements ShareOfValues {
  public static final String TYPE = "date-window";
  private static final Pattern RELATIVE = Pattern.compile("([+-]\\d+)([dy])");

  static DateWindow fromConfig(Keys keys, String name) {
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

  public String type() {
    return TYPE;
  }

  public String name() {
    return CheckFigures.nameOr(configuredName, type(), column);
  }

  public String constraint() {
    return "share in [" + from + ", " + to + "] >= " + CheckFigures.share(minShare);
  }

  public Column satisfied(EvaluationContext context) {
    return col(column).between(lit(java.sql.Date.valueOf(resolveDate(from, context.today()))),
        lit(java.sql.Date.valueOf(resolveDate(to, context.today()))));
  }
}
