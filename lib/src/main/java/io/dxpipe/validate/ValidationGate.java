package io.dxpipe.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares a candidate model's logged metrics with the absolute thresholds and, when there is a
 * champion, with the champion's metrics (the candidate may be worse by at most the configured margin:
 * below it for most metrics, above it for the lower-is-better ones such as log loss and scoring time). Test metrics are logged as {@code test_<metric>}; scoring time and model size under their
 * own names. A metric the candidate's run did not log fails its threshold: the gate never passes by
 * omission. A metric the champion's run did not log fails a relative threshold unless
 * {@code dxpipe.validate.missing-champion-metric = pass} waives it.
 *
 * <p>A group metric ({@code orphan_*}, {@code common_*}) is not applicable when the run's test set
 * held no class of the group: the run logs {@code test_orphan_classes} / {@code test_common_classes}
 * as 0 and the threshold is skipped ("SKIP ... no orphan class in test"), not failed. A run that did
 * not log the class count still fails: only a logged 0 skips.
 */
public final class ValidationGate {
  private ValidationGate() {}

  /** One threshold's verdict with the figures behind it. */
  public record Verdict(GateSettings.Threshold threshold, double value, double championValue, boolean passed,
      String line) {}

  public static String runMetricKey(String metric) {
    return metric.equals("scoring_ms_per_1000") || metric.equals("model_size_bytes") ? metric : "test_" + metric;
  }

  /**
   * @param champion the champion's run metrics, or null when there is no champion (relative
   *     thresholds are then skipped and reported as such)
   * @param missingChampionMetric the verdict of a relative threshold whose metric the champion's run lacks
   */
  public static List<Verdict> evaluate(List<GateSettings.Threshold> thresholds, Map<String, Double> candidate,
      Map<String, Double> champion, GateSettings.MissingChampionMetric missingChampionMetric) {
    List<Verdict> verdicts = new ArrayList<>();
    for (GateSettings.Threshold t : thresholds) {
      String key = runMetricKey(t.metric());
      Double value = candidate.get(key);
      String group = group(t.metric());
      if (group != null && noClasses(candidate, group)) {
        verdicts.add(new Verdict(t, Double.NaN, Double.NaN, true, "SKIP " + GateSettings.describe(t)
            + ": no " + group + " class in test (n/a)"));
        continue;
      }
      if (value == null || value.isNaN()) {
        verdicts.add(new Verdict(t, Double.NaN, Double.NaN, false, "FAIL " + GateSettings.describe(t)
            + ": the candidate's run has no metric " + key));
        continue;
      }
      switch (t.kind()) {
        case MIN -> verdicts.add(verdict(t, value, Double.NaN, value >= t.limit(),
            String.format(Locale.ROOT, "%.4f %s %.4f", value, value >= t.limit() ? ">=" : "<", t.limit())));
        case MAX -> verdicts.add(verdict(t, value, Double.NaN, value <= t.limit(),
            String.format(Locale.ROOT, "%.4f %s %.4f", value, value <= t.limit() ? "<=" : ">", t.limit())));
        case MAX_DROP_VS_CHAMPION -> {
          Double best = champion == null ? null : champion.get(key);
          if (champion == null) {
            verdicts.add(new Verdict(t, value, Double.NaN, true, "SKIP " + GateSettings.describe(t)
                + ": no champion yet"));
          } else if (group != null && noClasses(champion, group)) {
            verdicts.add(new Verdict(t, value, Double.NaN, true, "SKIP " + GateSettings.describe(t)
                + ": the champion's test set had no " + group + " class (n/a)"));
          } else if (best == null || best.isNaN()) {
            boolean waived = missingChampionMetric == GateSettings.MissingChampionMetric.PASS;
            verdicts.add(new Verdict(t, value, Double.NaN, waived, (waived ? "SKIP " : "FAIL ")
                + GateSettings.describe(t) + ": the champion's run has no metric " + key
                + (waived ? " (waived: dxpipe.validate.missing-champion-metric = pass)"
                    : " (dxpipe.validate.missing-champion-metric = fail; set it to pass to waive this threshold)")));
          } else {
            boolean lower = GateSettings.LOWER_IS_BETTER.contains(t.metric());
            boolean ok = lower ? value <= best + t.limit() : value >= best - t.limit();
            verdicts.add(verdict(t, value, best, ok, lower
                ? String.format(Locale.ROOT, "%.4f %s champion %.4f + %.4f", value, ok ? "<=" : ">", best, t.limit())
                : String.format(Locale.ROOT, "%.4f %s champion %.4f - %.4f", value, ok ? ">=" : "<", best, t.limit())));
          }
        }
        default -> throw new IllegalStateException(t.kind().name());
      }
    }
    return verdicts;
  }

  /** "orphan" or "common" for a group metric, else null. */
  static String group(String metric) {
    return metric.startsWith("orphan_") ? "orphan" : metric.startsWith("common_") ? "common" : null;
  }

  private static boolean noClasses(Map<String, Double> run, String group) {
    Double classes = run.get("test_" + group + "_classes");
    return classes != null && classes == 0;
  }

  private static Verdict verdict(GateSettings.Threshold t, double value, double champion, boolean passed,
      String comparison) {
    return new Verdict(t, value, champion, passed, (passed ? "PASS " : "FAIL ") + GateSettings.describe(t) + ": "
        + comparison);
  }

  public static boolean passed(List<Verdict> verdicts) {
    return verdicts.stream().allMatch(Verdict::passed);
  }
}
