package io.dxpipe.ingest;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Plain decimal numbers, and unit conversions to the canonical units (°C, kg). Text in, text out:
 * text that is not a plain decimal passes unchanged (the validator then rejects it, naming the field).
 */
public final class Units {
  /**
   * Optional sign, digits, optional fraction, optional exponent: what the sources write. Java's
   * {@link Double#parseDouble} also takes hex floats (0x1p6), type suffixes (98.6d, 98.6f), NaN and
   * Infinity, none of which is a measurement.
   */
  static final Pattern DECIMAL = Pattern.compile("[+-]?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?");

  private Units() {}

  /** The value of plain decimal text (trimmed) within the finite range of a double, or null. */
  public static Double decimal(String text) {
    if (text == null) {
      return null;
    }
    String s = text.trim();
    if (!isDecimal(s)) {
      return null;
    }
    double v = Double.parseDouble(s);
    return Double.isFinite(v) ? v : null; // 1e400
  }

  /** Whether text matches {@link #DECIMAL} (checked by hand: the regex was 6% of ingest's CPU). */
  static boolean isDecimal(String s) {
    int n = s.length();
    int i = 0;
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      i++;
    }
    int end = digits(s, i);
    if (end == i) {
      return false;
    }
    i = end;
    if (i < n && s.charAt(i) == '.') {
      end = digits(s, i + 1);
      if (end == i + 1) {
        return false;
      }
      i = end;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      end = digits(s, i);
      if (end == i) {
        return false;
      }
      i = end;
    }
    return i == n;
  }

  /** The index after the ASCII digits from {@code from}. */
  private static int digits(String s, int from) {
    int i = from;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i;
  }

  static double fahrenheitToCelsius(double f) {
    return (f - 32) * 5 / 9;
  }

  static double poundsToKg(double lb) {
    return lb * 0.45359237;
  }

  static String fahrenheitToCelsiusText(String value) {
    Double v = decimal(value);
    return v == null ? value : format(fahrenheitToCelsius(v));
  }

  static String poundsToKgText(String value) {
    Double v = decimal(value);
    return v == null ? value : format(poundsToKg(v));
  }

  static String gramsToKgText(String value) {
    Double v = decimal(value);
    return v == null ? value : format(v / 1000);
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
