package io.dxpipe.features;

import com.typesafe.config.Config;
import io.dxpipe.config.Keys;
import java.io.Serializable;
import java.util.List;

/** Settings of the features job ({@code dxpipe.features}). Split shares are normalised to sum 1. */
public record FeatureSettings(
    double varianceToKeep,
    int maxComponents,
    List<Double> ageBins,
    int defaultSeverity,
    int minTermRecords,
    double trainShare,
    double validationShare,
    double testShare,
    long splitSeed,
    MissingInput missingInput,
    io.dxpipe.schema.DeclaredInputs inputs,
    List<String> excludeInputs) implements Serializable {

  /** An input without values in the train split (a source without vital signs): drop it, or fail. */
  public enum MissingInput {
    DROP,
    FAIL
  }

  /** These settings with other declared inputs ({@code dxpipe.inputs}). */
  public FeatureSettings withInputs(io.dxpipe.schema.DeclaredInputs declared) {
    return new FeatureSettings(varianceToKeep, maxComponents, ageBins, defaultSeverity, minTermRecords, trainShare,
        validationShare, testShare, splitSeed, missingInput, declared, excludeInputs);
  }

  public static FeatureSettings from(Config dxpipe) {
    Keys keys = new Keys(dxpipe, "features");
    Keys pca = new Keys(dxpipe, "features.pca");
    Keys split = new Keys(dxpipe, "features.split");
    List<Double> bins = keys.numbers("age-bins");
    for (int i = 1; i < bins.size(); i++) {
      if (bins.get(i) <= bins.get(i - 1)) {
        throw keys.invalid("age-bins", "must be increasing but is " + bins);
      }
    }
    double train = split.doubleBetween("train", 0, 1);
    double validation = split.doubleBetween("validation", 0, 1);
    double test = split.doubleBetween("test", 0, 1);
    double sum = train + validation + test;
    io.dxpipe.schema.DeclaredInputs declared = io.dxpipe.schema.DeclaredInputs.from(dxpipe);
    List<String> exclude = keys.strings("exclude-inputs");
    java.util.Set<String> excludable = new java.util.TreeSet<>(io.dxpipe.schema.Silver.NUMERIC_COLUMNS);
    excludable.addAll(io.dxpipe.schema.Silver.CATEGORICAL_COLUMNS);
    excludable.add(io.dxpipe.schema.Bronze.SYMPTOMS);
    excludable.add(io.dxpipe.schema.Bronze.PREVIOUS_DIAGNOSES);
    excludable.addAll(declared.names());
    for (String e : exclude) {
      if (!excludable.contains(e)) {
        throw keys.invalid("exclude-inputs", "names '" + e + "', which is not an input; inputs are " + excludable);
      }
    }
    if (train <= 0 || sum <= 0) {
      throw split.invalid("train", "must be above 0 (and the shares must not all be 0)");
    }
    return new FeatureSettings(pca.doubleBetween("variance-to-keep", 0.01, 1), (int) pca.longBetween("max-components",
        1, 2000), List.copyOf(bins), (int) keys.longBetween("default-severity", 1, 3),
        keys.intAtLeast("min-term-records", 1), train / sum, validation / sum, test / sum, split.longAtLeast("seed", 0),
        keys.enumValue("missing-input", MissingInput.class), declared, List.copyOf(exclude));
  }
}
