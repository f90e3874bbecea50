package io.dxpipe.monitor;

import java.util.Map;
import java.util.Set;

/**
 * A day's performance from per-class counts: accuracy, macro-F1 over the classes that occur as
 * truth, and macro-recall over the orphan classes that occur as truth. Macro-F1 is defined as the
 * training job's test figure it is judged against ({@code ClassificationMetrics}: the classes
 * present in the evaluation set): a disease only predicted (the phenotype model ranks 4,138, the
 * day's diagnoses name a few dozen) costs its records' true classes their recall, and does not add
 * a class of F1 0 of its own, which would make the two figures incomparable.
 *
 * @param labelled predictions with a confirmed diagnosis
 * @param orphanLabelled of those, with an orphan diagnosis
 */
public record DayPerformance(long labelled, long orphanLabelled, double accuracy, double macroF1,
    double orphanRecall) {

  /** @param classes per class: {records of the class, records predicted as it, correct} */
  public static DayPerformance of(Map<String, long[]> classes, Set<String> orphans) {
    long labelled = 0;
    long correct = 0;
    long orphanLabelled = 0;
    double f1 = 0;
    int f1Classes = 0;
    double orphanRecall = 0;
    int orphanClasses = 0;
    for (Map.Entry<String, long[]> e : classes.entrySet()) {
      long truth = e.getValue()[0];
      long predicted = e.getValue()[1];
      long tp = e.getValue()[2];
      labelled += truth;
      correct += tp;
      if (truth > 0) {
        f1 += 2.0 * tp / (truth + predicted);
        f1Classes++;
      }
      if (orphans.contains(e.getKey()) && truth > 0) {
        orphanLabelled += truth;
        orphanRecall += tp / (double) truth;
        orphanClasses++;
      }
    }
    return new DayPerformance(labelled, orphanLabelled, labelled == 0 ? Double.NaN : correct / (double) labelled,
        f1Classes == 0 ? Double.NaN : f1 / f1Classes, orphanClasses == 0 ? Double.NaN : orphanRecall / orphanClasses);
  }
}
