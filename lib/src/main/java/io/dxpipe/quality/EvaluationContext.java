package io.dxpipe.quality;

import java.time.LocalDate;

/**
 * What checks may need beyond the data: the date relative windows are counted from, and, for the
 * bronze table, how many records of the same deliveries were quarantined.
 */
public record EvaluationContext(LocalDate today, Long quarantinedRows) {

  public static EvaluationContext of(LocalDate today) {
    return new EvaluationContext(today, null);
  }

  public EvaluationContext withQuarantinedRows(long quarantined) {
    return new EvaluationContext(today, quarantined);
  }
}
