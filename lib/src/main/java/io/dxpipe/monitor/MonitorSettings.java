package io.dxpipe.monitor;

import com.typesafe.config.Config;
import io.dxpipe.config.Keys;
import io.dxpipe.score.ScoreSettings;
import java.time.LocalDate;

/**
 * Settings of the monitor job ({@code dxpipe.monitor}): the day, the thresholds that signal
 * retraining, and how the signal is given.
 *
 * @param minRecords a day with fewer scored records is reported but not judged on drift
 * @param performanceDays how many scoring days back delayed labels are matched to predictions
 * @param minLabelled a day's performance is judged only with at least this many labelled predictions
 * @param minOrphanLabelled orphan recall is judged only with at least this many labelled orphan records
 * @param exitCode exit code of a run that signals retraining (0: signal by flag file and task value only)
 */
public record MonitorSettings(LocalDate date, ScoreSettings.Input input, long minRecords, Thresholds thresholds,
    int performanceDays, long minLabelled, long minOrphanLabelled, int exitCode) {

  /** Crossing any of these signals retraining. */
  public record Thresholds(double featurePsi, double featureKs, double symptomPsi, double predictionPsi,
      double flagShareIncrease, double nullShareIncrease, double rejectedShare, double macroF1Drop,
      double orphanRecallDrop) {}

  public static MonitorSettings from(Config dxpipe) {
    Keys keys = new Keys(dxpipe, "monitor");
    Thresholds t = new Thresholds(
        keys.doubleBetween("thresholds.feature-psi", 0, 100),
        keys.doubleBetween("thresholds.feature-ks", 0, 1),
        keys.doubleBetween("thresholds.symptom-psi", 0, 100),
        keys.doubleBetween("thresholds.prediction-psi", 0, 100),
        keys.doubleBetween("thresholds.flag-share-increase", 0, 1),
        keys.doubleBetween("thresholds.null-share-increase", 0, 1),
        keys.doubleBetween("thresholds.rejected-share", 0, 1),
        keys.doubleBetween("thresholds.macro-f1-drop", 0, 1),
        keys.doubleBetween("thresholds.orphan-recall-drop", 0, 1));
    int exitCode = keys.intAtLeast("signal.exit-code", 0);
    if (exitCode > 0 && exitCode <= 3) {
      throw keys.invalid("signal.exit-code", "must be 0 or above 3 (1-3 mean failed, usage and refused)");
    }
    ScoreSettings.Input input = keys.enumValue("input", ScoreSettings.Input.class);
    if (input == ScoreSettings.Input.LANDING) {
      throw keys.invalid("input", "must be silver or bronze: the monitor profiles a day's stored records");
    }
    return new MonitorSettings(keys.date("date"), input,
        keys.longAtLeast("min-records", 0), t, keys.intAtLeast("performance.days", 1),
        keys.longAtLeast("performance.min-labelled", 1), keys.longAtLeast("performance.min-orphan-labelled", 1),
        exitCode);
  }
}
