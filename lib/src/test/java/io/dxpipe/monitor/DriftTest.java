package io.dxpipe.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DriftTest {

  /** A numeric profile of n values spread uniformly over [from, to), at the given percentile edges. */
  private static Profile.Numeric uniform(double from, double to, long n, double[] edges) {
    double[] cdf = new double[edges.length];
    for (int i = 0; i < edges.length; i++) {
      cdf[i] = Math.max(0, Math.min(1, (edges[i] - from) / (to - from)));
    }
    return new Profile.Numeric(n, 0, (from + to) / 2, 0, edges, cdf);
  }

  private static double[] percentiles(double from, double to) {
    double[] e = new double[99];
    for (int i = 0; i < 99; i++) {
      e[i] = from + (to - from) * (i + 1) / 100.0;
    }
    return e;
  }

  @Test
  void psiIsZeroForTheSameSharesAndMatchesTheFormulaOtherwise() {
    assertThat(Drift.psi(Map.of("a", 500L, "b", 500L), Map.of("a", 50L, "b", 50L))).isCloseTo(0, within(1e-12));
    // smoothed shares: (count + 0.5) / (n + 0.5 k)
    double b1 = 500.5 / 1001;
    double b2 = 500.5 / 1001;
    double c1 = 900.5 / 1001;
    double c2 = 100.5 / 1001;
    double expected = (c1 - b1) * Math.log(c1 / b1) + (c2 - b2) * Math.log(c2 / b2);
    assertThat(Drift.psi(Map.of("a", 500L, "b", 500L), Map.of("a", 900L, "b", 100L))).isCloseTo(expected,
        within(1e-12));
  }

  @Test
  void aCategoryMissingOnOneSideCountsFinitely() {
    double psi = Drift.psi(Map.of("a", 990L, "b", 10L), Map.of("a", 1000L));
    assertThat(psi).isFinite().isPositive().isLessThan(0.05);
  }

  @Test
  void psiNoiseGrowsWithBinsAndShrinksWithRecords() {
    assertThat(Drift.psiNoise(53, 1000, 1000)).isCloseTo(52 * 0.002, within(1e-12));
    assertThat(Drift.psiNoise(10, 1000, 1_000_000)).isLessThan(Drift.psiNoise(10, 1000, 1000));
  }

  @Test
  void ksAndWassersteinOfAShiftedUniformDistribution() {
    double[] edges = percentiles(0, 100);
    Profile.Numeric baseline = uniform(0, 100, 10_000, edges);
    Profile.Numeric same = uniform(0, 100, 2_000, edges);
    Profile.Numeric shifted = uniform(20, 120, 2_000, edges);
    assertThat(Drift.ks(baseline, same)).isCloseTo(0, within(1e-12));
    assertThat(Drift.wasserstein(baseline, same)).isCloseTo(0, within(1e-12));
    // F moves by 0.2 everywhere above 20 (by x/100 below): KS 0.2; area over the edges 1..99 = 1.9 + 79 x 0.2
    assertThat(Drift.ks(baseline, shifted)).isCloseTo(0.2, within(1e-9));
    assertThat(Drift.wasserstein(baseline, shifted)).isCloseTo(17.7, within(1e-9));
    assertThat(Drift.numericPsi(baseline, same)).isCloseTo(0, within(1e-3));
    assertThat(Drift.numericPsi(baseline, shifted)).isGreaterThan(0.2);
  }

  @Test
  void tiedBaselineDecilesLeaveOutEmptyBins() {
    // an integer column where 60 % of values are 1: deciles 10..60 coincide
    double[] edges = new double[99];
    double[] cdf = new double[99];
    for (int i = 0; i < 99; i++) {
      edges[i] = i < 60 ? 1 : 2 + (i - 60);
      cdf[i] = i < 60 ? 0.6 : 0.6 + 0.4 * (i - 59) / 40.0;
    }
    Profile.Numeric baseline = new Profile.Numeric(1000, 0, 0, 0, edges, cdf);
    assertThat(Drift.numericBins(baseline)).isLessThan(10);
    assertThat(Drift.numericPsi(baseline, baseline)).isCloseTo(0, within(1e-12));
  }

  @Test
  void dayPerformanceFromPerClassCounts() {
    // class a: 10 records, 8 correct, predicted 9 times; b: 5 records, 3 correct, predicted 6 times; orphan x: 2, 1, 1
    DayPerformance p = DayPerformance.of(Map.of("a", new long[] {10, 9, 8}, "b", new long[] {5, 6, 3},
        "x", new long[] {2, 2, 1}), Set.of("x"));
    assertThat(p.labelled()).isEqualTo(17);
    assertThat(p.orphanLabelled()).isEqualTo(2);
    assertThat(p.accuracy()).isCloseTo(12 / 17.0, within(1e-12));
    assertThat(p.macroF1()).isCloseTo((16 / 19.0 + 6 / 11.0 + 2 / 4.0) / 3, within(1e-12));
    assertThat(p.orphanRecall()).isCloseTo(0.5, within(1e-12));

    // a disease only predicted (no record of it that day) is no class of the mean, as in the test figure
    DayPerformance withOther = DayPerformance.of(Map.of("a", new long[] {10, 9, 8}, "b", new long[] {5, 6, 3},
        "x", new long[] {2, 2, 1}, "orpha_1", new long[] {0, 3, 0}), Set.of("x", "orpha_1"));
    assertThat(withOther.macroF1()).isCloseTo(p.macroF1(), within(1e-12));
    assertThat(withOther.orphanRecall()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void profileSurvivesItsJsonFile() {
    Profile p = new Profile(3, Map.of("age", new Profile.Numeric(3, 0.25, 40, 10, new double[] {1, 2},
        new double[] {0.5, 1})), Map.of("gender", Map.of("female", 2L, "male", 1L)), Map.of("unit", 1L),
        Map.of("macro_f1", 0.5));
    Profile back = Profile.fromJson(p.toJson());
    assertThat(back.records()).isEqualTo(3);
    assertThat(back.numeric().get("age").cdf()).containsExactly(0.5, 1.0);
    assertThat(back.categorical()).isEqualTo(p.categorical());
    assertThat(back.flagRecords()).isEqualTo(p.flagRecords());
    assertThat(back.performance()).isEqualTo(p.performance());
  }
}
