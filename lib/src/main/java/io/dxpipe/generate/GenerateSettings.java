package io.dxpipe.generate;

import io.dxpipe.config.Keys;
import io.dxpipe.config.PipelineConfig;
import io.dxpipe.ingest.SourceFormat;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;

/** Settings of the sample-data generator ({@code dxpipe.generate}); serializable for executors. */
public record GenerateSettings(
    GenerationMode mode,
    Output output,
    long records,
    long seed,
    LocalDate date,
    int historyYears,
    int recordsPerPartition,
    int recordsPerFile,
    Map<SourceFormat, Double> formatShares,
    double presentationMin,
    double presentationMax,
    double noiseSymptomsMean,
    double labelNoiseRate,
    int maxSymptoms,
    double missingVitalRate,
    double repeatVisitRate,
    boolean distinctNationalIds,
    DirtyRates dirty,
    Drift drift) implements Serializable {

  /** Labelled history for training, or one unlabelled day to score. */
  public enum GenerationMode {
    HISTORICAL,
    DAILY
  }

  /** Raw files into landing (the real path), or rows straight into bronze (benchmarks of later stages). */
  public enum Output {
    LANDING,
    BRONZE
  }

  /** Shares of records (files, for corrupt files) that get each kind of injected dirt. */
  public record DirtyRates(
      double corruptFile,
      double missingRequired,
      double typeMismatch,
      double impossibleValue,
      double duplicateSameSource,
      double duplicateCrossSource,
      double symptomVariant) implements Serializable {}

  /**
   * Deliberate changes against the training population, to exercise the monitor: an outbreak
   * multiplying one disease's prevalence, a source sending °F in its °C field, and a share of
   * records from an older population (a new hospital). The defaults change nothing.
   */
  public record Drift(String outbreakDisease, double outbreakFactor, String fahrenheitSource, double ageShiftShare,
      int ageShiftYears) implements Serializable {
    public static final Drift NONE = new Drift("", 1, "", 0, 0);

    public boolean any() {
      return !equals(NONE) && (!outbreakDisease.isEmpty() && outbreakFactor != 1 || !fahrenheitSource.isEmpty()
          || ageShiftShare > 0 && ageShiftYears != 0);
    }
  }

  /** Reads and checks {@code dxpipe.generate}, failing on the first bad key. */
  public static GenerateSettings from(PipelineConfig config) {
    Keys keys = new Keys(config.dxpipe(), "generate");
    GenerationMode mode = keys.enumValue("mode", GenerationMode.class);
    Map<SourceFormat, Double> shares = null;
    for (GenerationMode m : GenerationMode.values()) { // both validated, whichever runs now
      Map<SourceFormat, Double> modeShares = shares(keys, "format-shares." + m.name().toLowerCase());
      if (m == mode) {
        shares = modeShares;
      }
    }
    DirtyRates dirty = new DirtyRates(
        keys.rate("dirty.corrupt-file-rate"),
        keys.rate("dirty.missing-required-rate"),
        keys.rate("dirty.type-mismatch-rate"),
        keys.rate("dirty.impossible-value-rate"),
        keys.rate("dirty.duplicate-same-source-rate"),
        keys.rate("dirty.duplicate-cross-source-rate"),
        keys.rate("dirty.symptom-variant-rate"));
    double recordDefects = dirty.missingRequired() + dirty.typeMismatch() + dirty.impossibleValue();
    if (recordDefects > 1) {
      throw keys.invalid("dirty", "missing-required + type-mismatch + impossible-value rates add up to "
          + recordDefects + ", more than 1 (a record gets at most one defect)");
    }
    double presentationMax = keys.rate("presentation-max");
    if (presentationMax < keys.rate("presentation-min")) {
      throw keys.invalid("presentation-max", "must be at least presentation-min (" + keys.rate("presentation-min") + ")");
    }
    return new GenerateSettings(
        mode,
        keys.enumValue("output", Output.class),
        keys.longBetween("records", 1, RecordSynthesizer.MAX_RECORDS),
        keys.longAtLeast("seed", 0),
        keys.date("date"),
        keys.intAtLeast("history-years", 1),
        keys.intAtLeast("records-per-partition", 1),
        keys.intAtLeast("records-per-file", 1),
        Map.copyOf(shares),
        keys.rate("presentation-min"),
        presentationMax,
        keys.doubleBetween("noise-symptoms-mean", 0, 20),
        keys.rate("label-noise-rate"),
        keys.intAtLeast("max-symptoms", 1),
        keys.rate("missing-vital-rate"),
        keys.doubleBetween("repeat-visit-rate", 0, 0.9),
        keys.bool("distinct-national-ids"),
        dirty,
        new Drift(keys.string("drift.outbreak-disease").trim(), keys.doubleBetween("drift.outbreak-factor", 0, 1000),
            keys.string("drift.fahrenheit-source").trim(), keys.rate("drift.age-shift-share"),
            keys.intAtLeast("drift.age-shift-years", -99)));
  }

  private static Map<SourceFormat, Double> shares(Keys keys, String sharesKey) {
    Map<SourceFormat, Double> shares = new EnumMap<>(SourceFormat.class);
    double total = 0;
    for (SourceFormat format : SourceFormat.generated()) {
      double share = keys.doubleBetween(sharesKey + "." + format.key(), 0, 1e9);
      shares.put(format, share);
      total += share;
    }
    if (total <= 0) {
      throw keys.invalid(sharesKey, "must give at least one format a share above 0");
    }
    for (SourceFormat format : SourceFormat.generated()) {
      shares.put(format, shares.get(format) / total);
    }
    return shares;
  }

  /**
   * These settings for synthesised cases of given diseases ({@link RecordSynthesizer#synthesizeCase}):
   * daily mode, {@code records} records of {@code seed} on {@code date}, no misdiagnosis, repeat
   * visits or drift; the clinical realism (presentation, noise symptoms, missing vitals) kept, so the
   * cases look like the training sample's patients.
   */
  public GenerateSettings forCases(long caseSeed, LocalDate caseDate, long caseRecords) {
    return new GenerateSettings(GenerationMode.DAILY, Output.BRONZE, caseRecords, caseSeed, caseDate, historyYears,
        recordsPerPartition, recordsPerFile, formatShares, presentationMin, presentationMax, noiseSymptomsMean, 0,
        maxSymptoms, missingVitalRate, 0, distinctNationalIds, dirty, Drift.NONE);
  }

  /** Number of Spark partitions: fixed by the record count, so output never depends on cores. */
  public int partitions() {
    return (int) Math.max(1, (records + recordsPerPartition - 1) / recordsPerPartition);
  }
}
