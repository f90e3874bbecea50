package io.dxpipe.clean;

import io.dxpipe.config.ConfResources;
import io.dxpipe.config.ConfigurationException;
import java.util.ArrayList;
import java.util.List;

/**
 * A small CSV mapping file of {@code conf/vocabulary}: a header line, then rows of plain
 * comma-separated values (no quoting); lines starting with {@code #} and blank lines are comments.
 */
final class MappingFile {
  private MappingFile() {}

  /** The data rows, each with exactly {@code columns} values (trailing empty values allowed). */
  static List<String[]> read(String key, String location, int columns) {
    String text = ConfResources.read(key, location);
    List<String[]> rows = new ArrayList<>();
    boolean header = true;
    int lineNo = 0;
    for (String line : text.split("\r?\n")) {
      lineNo++;
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      if (header) {
        header = false;
        continue;
      }
      String[] values = line.split(",", -1);
      if (values.length != columns) {
        throw new ConfigurationException(key + " (" + location + ") line " + lineNo + ": expected " + columns
            + " comma-separated values but found " + values.length + ": '" + line + "'");
      }
      for (int i = 0; i < values.length; i++) {
        values[i] = values[i].trim();
      }
      rows.add(values);
    }
    return rows;
  }
}
