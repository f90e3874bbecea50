package io.dxpipe.monitor;

import io.dxpipe.schema.Monitoring;
import io.dxpipe.schema.Predictions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The figures of one scoring day against the training baseline: volume; data quality (the score
 * job's rejected share, each input's null share, each quality-flag kind's share); feature drift
 * (PSI, KS, Wasserstein distance and mean of each numeric input, PSI of each categorical input and
 * of the symptoms); and drift of the predicted classes. A day with fewer than
 * {@code dxpipe.monitor.min-records} records is reported but not judged. PSI is judged net of the
 * value sampling alone gives ({@link Drift#psiNoise}). Runs on the driver on two {@link Profile}s.
 */
final class DriftFindings {
  private final MonitorSettings.Thresholds t;
  private final long minRecords;

  DriftFindings(MonitorSettings monitor) {
    this.t = monitor.thresholds();
    this.minRecords = monitor.minRecords();
  }

  /**
   * @param scored the day's predictions
   * @param rejected the day's records the score job could not score
   */
  List<Finding> of(LocalDate date, Profile baseline, Profile current, long scored, long rejected) {
    boolean judged = current.records() >= minRecords;
    String small = judged ? null : "fewer than " + minRecords + " records: not judged";
    List<Finding> f = new ArrayList<>();
    long n = current.records();
    f.add(new Finding(date, Monitoring.VOLUME, null, "records", n, (double) baseline.records(), null, false, n,
        null));
    double rejectedShare = scored + rejected == 0 ? 0 : rejected / (double) (scored + rejected);
    f.add(new Finding(date, Monitoring.DATA_QUALITY, null, "rejected_share", rejectedShare, null, t.rejectedShare(),
        judged && rejectedShare > t.rejectedShare(), n, small));
    for (Map.Entry<String, Profile.Numeric> e : baseline.numeric().entrySet()) {
      Profile.Numeric b = e.getValue();
      Profile.Numeric c = current.numeric().get(e.getKey());
      if (c == null) {
        continue;
      }
      double nullIncrease = c.nullShare() - b.nullShare();
      f.add(new Finding(date, Monitoring.DATA_QUALITY, e.getKey(), "null_share", c.nullShare(), b.nullShare(),
          b.nullShare() + t.nullShareIncrease(), judged && nullIncrease > t.nullShareIncrease(), n, small));
      if (b.edges().length == 0 || c.nonNull() == 0) {
        continue;
      }
      double psi = Drift.numericPsi(b, c);
      double noise = Drift.psiNoise(Drift.numericBins(b), b.nonNull(), c.nonNull());
      f.add(new Finding(date, Monitoring.FEATURE_DRIFT, e.getKey(), "psi", psi, null, t.featurePsi(),
          judged && psi - noise > t.featurePsi(), c.nonNull(), noiseNote(noise, small)));
      double ks = Drift.ks(b, c);
      f.add(new Finding(date, Monitoring.FEATURE_DRIFT, e.getKey(), "ks", ks, null, t.featureKs(),
          judged && ks > t.featureKs(), c.nonNull(), small));
      f.add(new Finding(date, Monitoring.FEATURE_DRIFT, e.getKey(), "wasserstein", Drift.wasserstein(b, c), null,
          null, false, c.nonNull(), "in the column's unit"));
      f.add(new Finding(date, Monitoring.FEATURE_DRIFT, e.getKey(), "mean", c.mean(), b.mean(), null, false,
          c.nonNull(), null));
    }
    for (String feature : baseline.categorical().keySet()) {
      Map<String, Long> b = baseline.categorical().get(feature);
      Map<String, Long> c = current.categorical().getOrDefault(feature, Map.of());
      boolean prediction = feature.equals(Predictions.PREDICTED_CODE);
      boolean symptom = feature.equals(Profiler.SYMPTOM);
      double limit = prediction ? t.predictionPsi() : symptom ? t.symptomPsi() : t.featurePsi();
      double psi = Drift.psi(b, c);
      Set<String> bins = new HashSet<>(b.keySet());
      bins.addAll(c.keySet());
      long bn = b.values().stream().mapToLong(Long::longValue).sum();
      long cn = c.values().stream().mapToLong(Long::longValue).sum();
      double noise = Drift.psiNoise(bins.size(), bn, cn);
      f.add(new Finding(date, prediction ? Monitoring.PREDICTION_DRIFT : Monitoring.FEATURE_DRIFT, feature, "psi",
          psi, null, limit, judged && psi - noise > limit, cn, noiseNote(noise, small)));
    }
    Set<String> kinds = new TreeSet<>(baseline.flagRecords().keySet());
    kinds.addAll(current.flagRecords().keySet());
    for (String kind : kinds) {
      double b = baseline.records() == 0 ? 0
          : baseline.flagRecords().getOrDefault(kind, 0L) / (double) baseline.records();
      double c = n == 0 ? 0 : current.flagRecords().getOrDefault(kind, 0L) / (double) n;
      f.add(new Finding(date, Monitoring.DATA_QUALITY, Monitoring.FLAG_PREFIX + kind, "share", c, b,
          b + t.flagShareIncrease(), judged && c - b > t.flagShareIncrease(), n, small));
    }
    return f;
  }

  private static String noiseNote(double noise, String small) {
    String note = String.format(Locale.ROOT, "sampling alone gives about %.3f; judged on PSI minus that", noise);
    return small == null ? note : small + "; " + note;
  }
}
