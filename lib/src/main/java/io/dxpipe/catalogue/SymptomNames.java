package io.dxpipe.catalogue;

import java.util.Locale;
import java.util.regex.Pattern;

/** Turns the symptom spellings found in sources into canonical codes. */
public final class SymptomNames {
  private SymptomNames() {}

  private static final Pattern NOT_ALNUM_RUN = Pattern.compile("[^a-z0-9]+");
  private static final Pattern UNDERSCORES = Pattern.compile("_+");
  private static final Pattern EDGE_UNDERSCORE = Pattern.compile("^_|_$");
  private static final Pattern NOT_ALNUM = Pattern.compile("[^a-z0-9]");

  /**
   * Canonical code: lower case, words joined by single underscores. Fixes the Kaggle quirks
   * " dischromic _patches" and "spotting_ urination"; maps HPO labels ("Muscle weakness").
   */
  public static String code(String raw) {
    String s = NOT_ALNUM_RUN.matcher(raw.trim().toLowerCase(Locale.ROOT)).replaceAll("_");
    s = UNDERSCORES.matcher(s).replaceAll("_");
    s = EDGE_UNDERSCORE.matcher(s).replaceAll("");
    if (s.isEmpty()) {
      throw new IllegalArgumentException("symptom name '" + raw + "' has no letters or digits");
    }
    return s;
  }

  /** A looser key that also matches names whose underscores were lost ("foul_smell_ofurine"). */
  public static String matchKey(String raw) {
    return NOT_ALNUM.matcher(raw.toLowerCase(Locale.ROOT)).replaceAll("");
  }

  /** Display label of a code: underscores become spaces. */
  public static String label(String code) {
    return code.replace('_', ' ');
  }
}
