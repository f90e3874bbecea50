package io.dxpipe.catalogue;

import java.util.Locale;

/** Turns the symptom spellings found in sources into canonical codes. */
public final class SymptomNames {
  private SymptomNames() {}

  /**
   * Canonical code: lower case, words joined by single underscores. Fixes the Kaggle quirks
   * " dischromic _patches" and "spotting_ urination"; maps HPO labels ("Muscle weakness").
   */
  public static String code(String raw) {
    String s = raw.trim().toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "_")
        .replaceAll("_+", "_");
    s = s.replaceAll("^_|_$", "");
    if (s.isEmpty()) {
      throw new IllegalArgumentException("symptom name '" + raw + "' has no letters or digits");
    }
    return s;
  }

  /** A looser key that also matches names whose underscores were lost ("foul_smell_ofurine"). */
  public static String matchKey(String raw) {
    return raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }

  /** Display label of a code: underscores become spaces. */
  public static String label(String code) {
    return code.replace('_', ' ');
  }
}
