package io.dxpipe.quality;

import java.util.List;
import java.util.stream.Collectors;

/** An error-severity data-quality check failed: the job stops and names each check and offending values. */
public final class DataQualityException extends RuntimeException {
  private final transient List<CheckResult> failures;

  public DataQualityException(String table, String input, List<CheckResult> failures) {
    super("data-quality checks with severity error failed on " + table + " (" + input + "); nothing was written to the "
        + "output table. Failed:\n" + failures.stream().map(r -> "  - " + r.describe()).collect(Collectors.joining("\n"))
        + "\nFix the input or the check (dxpipe.quality.tables." + table + "); all results are in the quality table.");
    this.failures = failures;
  }

  public List<CheckResult> failures() {
    return failures;
  }
}
