package io.dxpipe.catalogue;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the frequency column of an HPO annotation file into a probability. The column holds
 * one of: a fraction of patients ({@code 7/8}), a percentage ({@code 45%}), an HPO frequency term
 * ({@code HP:0040281} = very frequent) or nothing. Frequency terms map to the midpoint of their
 * range; a missing frequency is left to the caller's documented default.
 */
public final class HpoFrequency {
  private static final Pattern FRACTION = Pattern.compile("(\\d+)\\s*/\\s*(\\d+)");
  private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%");

  /** HPO frequency subontology (HP:0040279) and the midpoints of the ranges it defines. */
  static final Map<String, Double> TERMS = Map.of(
      "HP:0040280", 1.0,      // Obligate (100%)
      "HP:0040281", 0.895,    // Very frequent (80-99%)
      "HP:0040282", 0.545,    // Frequent (30-79%)
      "HP:0040283", 0.17,     // Occasional (5-29%)
      "HP:0040284", 0.025,    // Very rare (1-4%)
      "HP:0040285", 0.0);     // Excluded (0%)

  private HpoFrequency() {}

  public static OptionalDouble parse(String raw) {
    if (raw == null || raw.isBlank()) {
      return OptionalDouble.empty();
    }
    String value = raw.trim();
    Double term = TERMS.get(value);
    if (term != null) {
      return OptionalDouble.of(term);
    }
    Matcher fraction = FRACTION.matcher(value);
    if (fraction.matches()) {
      double denominator = Double.parseDouble(fraction.group(2));
      if (denominator == 0) {
        throw new IllegalArgumentException("HPO frequency with a zero denominator: " + raw);
      }
      return OptionalDouble.of(Math.min(1.0, Double.parseDouble(fraction.group(1)) / denominator));
    }
    Matcher percent = PERCENT.matcher(value);
    if (percent.matches()) {
      return OptionalDouble.of(Math.min(1.0, Double.parseDouble(percent.group(1)) / 100.0));
    }
    throw new IllegalArgumentException("unrecognised HPO frequency '" + raw + "' (expected n/m, n%, or an HP:00402xx term)");
  }

  /** Orphanet product-4 frequency classes, e.g. "Very frequent (99-80%)". */
  public static OptionalDouble parseOrphanetClass(String name) {
    if (name == null || name.isBlank()) {
      return OptionalDouble.empty();
    }
    String n = name.toLowerCase();
    if (n.startsWith("obligate")) {
      return OptionalDouble.of(1.0);
    } else if (n.startsWith("very frequent")) {
      return OptionalDouble.of(0.895);
    } else if (n.startsWith("frequent")) {
      return OptionalDouble.of(0.545);
    } else if (n.startsWith("occasional")) {
      return OptionalDouble.of(0.17);
    } else if (n.startsWith("very rare")) {
      return OptionalDouble.of(0.025);
    } else if (n.startsWith("excluded")) {
      return OptionalDouble.of(0.0);
    }
    throw new IllegalArgumentException("unrecognised Orphanet frequency class '" + name + "'");
  }
}
