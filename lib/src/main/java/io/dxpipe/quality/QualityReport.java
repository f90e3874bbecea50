package io.dxpipe.quality;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The results of one table's checks on one input. */
public record QualityReport(String table, String input, List<CheckResult> results) {

  public List<CheckResult> failures(Severity severity) {
    return results.stream().filter(r -> !r.passed() && r.severity() == severity).collect(Collectors.toList());
  }

  public long passed() {
    return results.stream().filter(CheckResult::passed).count();
  }

  /** "silver: 14 checks, 13 passed, 0 errors, 1 warning". */
  public String summary() {
    return String.format(Locale.ROOT, "%s: %d checks, %d passed, %d failed errors, %d failed warnings", table,
        results.size(), passed(), failures(Severity.ERROR).size(), failures(Severity.WARNING).size());
  }

  /** Throws {@link DataQualityException} naming every failed error-severity check and its offending values. */
  public void enforce() {
    List<CheckResult> errors = failures(Severity.ERROR);
    if (!errors.isEmpty()) {
      throw new DataQualityException(table, input, errors);
    }
  }
}
