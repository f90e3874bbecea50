package io.dxpipe.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A summary of a population of records, small enough for the driver and a JSON file: what the
 * monitor compares a scoring day against. Training writes one for the records the model learnt
 * from (the baseline, beside the model); the monitor computes one per day at the baseline's edges.
 *
 * @param records number of records summarised
 * @param numeric per numeric input column: its null share and its distribution at fixed edges
 * @param categorical per categorical feature (gender, ethnicity, marital_status, education, symptom,
 *     predicted_code): count of each value ({@code (missing)} for null); a symptom counts once per
 *     mention
 * @param flagRecords per quality-flag kind (outlier, unit, unmapped, ...): records carrying one
 * @param performance the model's test metrics at training (baseline only; empty for a day)
 */
public record Profile(long records, Map<String, Numeric> numeric, Map<String, Map<String, Long>> categorical,
    Map<String, Long> flagRecords, Map<String, Double> performance) {

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One numeric column. {@code edges} are the baseline's percentiles 1..99 (repeated values kept, so
   * position i is always percentile i+1); {@code cdf[i]} is the share of the non-null values at or
   * below {@code edges[i]}.
   */
  public record Numeric(long nonNull, double nullShare, double mean, double std, double[] edges, double[] cdf) {}

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Profile fromJson(String json) {
    try {
      return JSON.readValue(json, Profile.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
