package io.dxpipe.monitor;

import java.util.Map;
import java.util.TreeSet;

/**
 * Drift statistics between a baseline and a current {@link Profile}, on the driver from the
 * profiles alone.
 *
 * <p>PSI (population stability index) = sum over bins of (c - b) ln(c / b), with b and c the
 * baseline and current shares. Shares are smoothed as (count + 0.5) / (n + 0.5 k), so a bin empty on
 * one side contributes a finite amount. PSI has a sampling bias of about (k - 1)(1/n_b + 1/n_c) even
 * without drift; {@link #psiNoise} gives it, and the monitor judges a PSI on its excess over it, so
 * small days and many bins (53 predicted diseases) do not raise false alarms. Numeric columns use
 * ten bins at the baseline's deciles. KS is the largest gap between the two distribution functions
 * at the baseline's percentiles; Wasserstein-1 is the area between them over the baseline's 1st to
 * 99th percentile, in the column's unit.
 */
public final class Drift {
  private Drift() {}

  /** Positions of the deciles 10..90 among the percentile edges 1..99. */
  static final int[] DECILES = {9, 19, 29, 39, 49, 59, 69, 79, 89};

  public static double psi(Map<String, Long> baseline, Map<String, Long> current) {
    TreeSet<String> keys = new TreeSet<>(baseline.keySet());
    keys.addAll(current.keySet());
    long[] b = new long[keys.size()];
    long[] c = new long[keys.size()];
    int i = 0;
    for (String k : keys) {
      b[i] = baseline.getOrDefault(k, 0L);
      c[i] = current.getOrDefault(k, 0L);
      i++;
    }
    return psi(b, c);
  }

  /** PSI of two histograms over the same bins (counts). */
  public static double psi(long[] baseline, long[] current) {
    int k = baseline.length;
    double nb = 0;
    double nc = 0;
    for (int i = 0; i < k; i++) {
      nb += baseline[i];
      nc += current[i];
    }
    if (nb == 0 || nc == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (int i = 0; i < k; i++) {
      double b = (baseline[i] + 0.5) / (nb + 0.5 * k);
      double c = (current[i] + 0.5) / (nc + 0.5 * k);
      sum += (c - b) * Math.log(c / b);
    }
    return sum;
  }

  /** The PSI expected from sampling alone for k bins and these sample sizes. */
  public static double psiNoise(int bins, long baselineRecords, long currentRecords) {
    if (baselineRecords <= 0 || currentRecords <= 0) {
      return Double.NaN;
    }
    return (bins - 1) * (1.0 / baselineRecords + 1.0 / currentRecords);
  }

  /** Counts per decile bin (10 bins) from a numeric profile's distribution function. */
  static long[] decileCounts(Profile.Numeric p) {
    long[] counts = new long[DECILES.length + 1];
    double previous = 0;
    for (int i = 0; i <= DECILES.length; i++) {
      double upTo = i == DECILES.length ? 1 : p.cdf()[DECILES[i]];
      counts[i] = Math.round((upTo - previous) * p.nonNull());
      previous = upTo;
    }
    return counts;
  }

  /** PSI over the baseline's deciles; bins empty on both sides (ties in the baseline) are left out. */
  public static double numericPsi(Profile.Numeric baseline, Profile.Numeric current) {
    long[] b = decileCounts(baseline);
    long[] c = decileCounts(current);
    int used = 0;
    for (int i = 0; i < b.length; i++) {
      if (b[i] > 0 || c[i] > 0) {
        b[used] = b[i];
        c[used] = c[i];
        used++;
      }
    }
    return psi(java.util.Arrays.copyOf(b, used), java.util.Arrays.copyOf(c, used));
  }

  /** Number of decile bins the numeric PSI uses (for its noise level). */
  public static int numericBins(Profile.Numeric baseline) {
    long[] b = decileCounts(baseline);
    return (int) java.util.Arrays.stream(b).filter(n -> n > 0).count();
  }

  public static double ks(Profile.Numeric baseline, Profile.Numeric current) {
    double max = 0;
    for (int i = 0; i < baseline.cdf().length; i++) {
      max = Math.max(max, Math.abs(current.cdf()[i] - baseline.cdf()[i]));
    }
    return max;
  }

  public static double wasserstein(Profile.Numeric baseline, Profile.Numeric current) {
    double[] e = baseline.edges();
    double area = 0;
    for (int i = 0; i + 1 < e.length; i++) {
      area += Math.abs(current.cdf()[i] - baseline.cdf()[i]) * (e[i + 1] - e[i]);
    }
    return area;
  }
}
