package io.dxpipe.ingest;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The words a source writes for yes and no in a flag column ({@code symptom-flags},
 * {@code history-flags}): compared trimmed and case-insensitively, numbers by value ({@code 1.0}
 * is {@code 1}, as pandas writes a 0/1 column that has gaps). A value in neither list is no flag.
 */
public record FlagValues(Set<String> trueValues, Set<String> falseValues) implements Serializable {
  public static final List<String> DEFAULT_TRUE = List.of("1", "yes", "y", "true", "t", "present", "positive");
  public static final List<String> DEFAULT_FALSE = List.of("0", "no", "n", "false", "f", "absent", "negative", "");
  public static final FlagValues DEFAULT = of(DEFAULT_TRUE, DEFAULT_FALSE);

  /** Flag values from the words as configured; the caller checks that the lists do not overlap. */
  public static FlagValues of(List<String> trueValues, List<String> falseValues) {
    return new FlagValues(normalized(trueValues), normalized(falseValues));
  }

  private static Set<String> normalized(List<String> values) {
    Set<String> s = new LinkedHashSet<>();
    values.forEach(v -> s.add(normalize(v)));
    return java.util.Collections.unmodifiableSet(s);
  }

  /** Trimmed, lower-cased, a number in its shortest form; null is blank. */
  static String normalize(String raw) {
    String v = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
    if (!v.isEmpty() && (Character.isDigit(v.charAt(0)) || v.charAt(0) == '-' || v.charAt(0) == '.')) {
      try {
        BigDecimal n = new BigDecimal(v);
        return n.signum() == 0 ? "0" : n.stripTrailingZeros().toPlainString();
      } catch (NumberFormatException e) {
        return v;
      }
    }
    return v;
  }

  /** TRUE or FALSE, or null when the value is in neither list. */
  public Boolean parse(String raw) {
    String v = normalize(raw);
    return trueValues.contains(v) ? Boolean.TRUE : falseValues.contains(v) ? Boolean.FALSE : null;
  }

  public boolean isTrue(String raw) {
    return trueValues.contains(normalize(raw));
  }

  /** A non-blank value that is one of the flag words (true or false). */
  public boolean isFlagWord(String raw) {
    String v = normalize(raw);
    return !v.isEmpty() && (trueValues.contains(v) || falseValues.contains(v));
  }

  /** Both lists in words, for a reason: true [1, yes, ...], false [0, no, ..., ""]. */
  public String describe() {
    return "true " + words(trueValues) + ", false " + words(falseValues);
  }

  private static String words(Set<String> values) {
    return values.stream().map(v -> v.isEmpty() ? "\"\" (blank)" : v).toList().toString();
  }
}
