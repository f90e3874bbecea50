package io.dxpipe.generate;

import io.dxpipe.ingest.SourceFormat;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a generator run (or one of its tasks) wrote; tasks' stats are merged on the driver. The
 * counts reconcile: {@code patients + duplicates = deliveries = sum of records per format}.
 */
public final class GenerationStats implements Serializable {
  /** Synthesised records (visits), repeat visits included. */
  public long patients;
  /** Of {@link #patients}, the later visits of a patient already counted (generate.repeat-visit-rate). */
  public long repeatVisits;
  public long labelled;
  public long orphanPatients;
  public long duplicateSameSource;
  public long duplicateCrossSource;
  public long symptomVariants;
  public long corruptFiles;
  public long recordsInCorruptFiles;
  public long bytes;
  /** Daily mode: confirmed diagnoses written to the labels folder (delayed labels for the monitor). */
  public long delayedLabels;
  public final Map<String, Long> filesPerFormat = new TreeMap<>();
  public final Map<String, Long> recordsPerFormat = new TreeMap<>();
  public final Map<String, Long> defects = new TreeMap<>();
  public final Map<String, Long> patientsPerDisease = new TreeMap<>();
  public final Map<String, Long> patientsPerOrphanDisease = new TreeMap<>();

  void file(SourceFormat format, int records, int bytes, boolean corrupt) {
    filesPerFormat.merge(format.key(), 1L, Long::sum);
    recordsPerFormat.merge(format.key(), (long) records, Long::sum);
    this.bytes += bytes;
    if (corrupt) {
      corruptFiles++;
      recordsInCorruptFiles += records;
    }
  }

  public long deliveries() {
    return recordsPerFormat.values().stream().mapToLong(Long::longValue).sum();
  }

  public long files() {
    return filesPerFormat.values().stream().mapToLong(Long::longValue).sum();
  }

  public GenerationStats merge(GenerationStats o) {
    patients += o.patients;
    repeatVisits += o.repeatVisits;
    labelled += o.labelled;
    orphanPatients += o.orphanPatients;
    duplicateSameSource += o.duplicateSameSource;
    duplicateCrossSource += o.duplicateCrossSource;
    symptomVariants += o.symptomVariants;
    corruptFiles += o.corruptFiles;
    recordsInCorruptFiles += o.recordsInCorruptFiles;
    bytes += o.bytes;
    delayedLabels += o.delayedLabels;
    o.filesPerFormat.forEach((k, v) -> filesPerFormat.merge(k, v, Long::sum));
    o.recordsPerFormat.forEach((k, v) -> recordsPerFormat.merge(k, v, Long::sum));
    o.defects.forEach((k, v) -> defects.merge(k, v, Long::sum));
    o.patientsPerDisease.forEach((k, v) -> patientsPerDisease.merge(k, v, Long::sum));
    o.patientsPerOrphanDisease.forEach((k, v) -> patientsPerOrphanDisease.merge(k, v, Long::sum));
    return this;
  }
}
