package io.dxpipe.clean;

import io.dxpipe.config.ConfResources;
import io.dxpipe.config.ConfigurationException;
import io.dxpipe.io.CsvText;
import java.util.ArrayList;
import java.util.List;

/**
 * A small CSV mapping file of {@code conf/vocabulary}: a header line, then rows of comma-separated
 * values (quoted where a value holds a comma: {@code "pain, chest",chest_pain}); lines starting with
 * {@code #} and blank lines are comments.
 */
final class MappingFile {
  private MappingFile() {}

  /** The data rows, each with exactly {@code columns} values (trailing empty values allowed). */
  static List<String[]> read(String key, String location, int columns) {
    String text = ConfResources.read(key, location);
    List<String[]> rows = new ArrayList<>();
    List<CsvText.Line> all = CsvText.lines(text, CsvText.Comments.SKIPPED);
    for (CsvText.Line line : all.subList(Math.min(1, all.size()), all.size())) {
      String[] values = line.values();
      if (values.length != columns) {
        throw new ConfigurationException(key + " (" + location + ") line " + line.number() + ": expected " + columns
            + " comma-separated values but found " + values.length + ": '" + String.join(",", values) + "'");
      }
      for (int i = 0; i < values.length; i++) {
        values[i] = values[i].trim();
      }
      rows.add(values);
    }
    return rows;
  }
}
