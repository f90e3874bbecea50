package io.dxpipe.io;

import java.util.List;

/** Writes RFC 4180 CSV lines (quoted fields, doubled quotes); {@link CsvText} reads them. */
public final class CsvLine {
  private CsvLine() {}

  /** Quotes a field when it holds a comma, quote or line break. Null becomes an empty field. */
  public static String escape(String value) {
    if (value == null) {
      return "";
    }
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }

  public static String join(List<String> values) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        line.append(',');
      }
      line.append(escape(values.get(i)));
    }
    return line.toString();
  }
}
