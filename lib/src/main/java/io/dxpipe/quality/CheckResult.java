package io.dxpipe.quality;

import java.util.List;
import java.util.Locale;

/** The outcome of one check on one input. */
public record CheckResult(
    String group,
    Severity severity,
    Check check,
    Double metric,
    boolean passed,
    long rows,
    List<String> examples) {

  public String status() {
    return passed ? "PASS" : "FAIL";
  }

  /** One line for logs and failure messages. */
  public String describe() {
    String metricText = metric == null ? "n/a" : String.format(Locale.ROOT, "%.4f", metric);
    String line = String.format(Locale.ROOT, "%s %s/%s [%s]: metric %s, required %s", status(), group, check.name(),
        severity.name().toLowerCase(Locale.ROOT), metricText, check.constraint());
    if (!passed && !examples.isEmpty()) {
      line += "; offending: " + String.join(", ", examples);
    }
    return line;
  }
}
