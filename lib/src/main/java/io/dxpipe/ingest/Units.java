package io.dxpipe.ingest;

import java.util.Locale;

/** Unit conversions to the canonical units (°C, kg). Text in, text out: unparseable text passes unchanged. */
final class Units {
  private Units() {}

  static double fahrenheitToCelsius(double f) {
    return (f - 32) * 5 / 9;
  }

  static double poundsToKg(double lb) {
    return lb * 0.45359237;
  }

  static String fahrenheitToCelsiusText(String value) {
    try {
      return format(fahrenheitToCelsius(Double.parseDouble(value.trim())));
    } catch (NumberFormatException e) {
      return value;
    }
  }

  static String poundsToKgText(String value) {
    try {
      return format(poundsToKg(Double.parseDouble(value.trim())));
    } catch (NumberFormatException e) {
      return value;
    }
  }

  static String gramsToKgText(String value) {
    try {
      return format(Double.parseDouble(value.trim()) / 1000);
    } catch (NumberFormatException e) {
      return value;
    }
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
