package io.dxpipe.generate;

import io.dxpipe.job.JobSummary;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Turns generator counters into the job summary a user reads at the end of a run. */
public final class GenerationReport {
  private GenerationReport() {}

  public static JobSummary summary(GenerationStats s, GenerateSettings settings) {
    JobSummary summary = new JobSummary("GenerateJob", 0, s.deliveries(), 0, JobSummary.Balance.SOURCE);
    summary.detail("patients", s.patients);
    summary.detail("repeat visits", s.repeatVisits + " of those records are a later visit of a patient");
    summary.detail("labelled", s.labelled + (settings.mode() == GenerateSettings.GenerationMode.DAILY ? " (daily: none)" : ""));
    summary.detail("orphan patients", s.orphanPatients + " in " + orphanDiseaseSpread(s));
    summary.detail("deliveries", s.deliveries() + " = " + s.patients + " patients + " + s.duplicateSameSource
        + " resent by the same source + " + s.duplicateCrossSource + " sent by a second source");
    summary.detail("records per format", join(s.recordsPerFormat));
    summary.detail("files per format", join(s.filesPerFormat));
    summary.detail("corrupt files", s.corruptFiles + " holding " + s.recordsInCorruptFiles + " records");
    summary.detail("record defects", s.defects.isEmpty() ? "none" : join(s.defects));
    summary.detail("symptom variants", s.symptomVariants);
    if (settings.mode() == GenerateSettings.GenerationMode.DAILY) {
      summary.detail("delayed labels", s.delayedLabels + " confirmed diagnoses (for the monitor)");
    }
    summary.detail("bytes", String.format(Locale.ROOT, "%,d", s.bytes));
    return summary;
  }

  private static String orphanDiseaseSpread(GenerationStats s) {
    var counts = s.patientsPerOrphanDisease.values().stream().mapToLong(Long::longValue).summaryStatistics();
    return counts.getCount() == 0 ? "no orphan disease"
        : counts.getCount() + " orphan diseases, " + counts.getMin() + "-" + counts.getMax() + " patients each";
  }

  private static String join(Map<String, Long> counts) {
    return counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
  }
}
