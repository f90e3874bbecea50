package io.dxpipe.clean;

import io.dxpipe.config.ConfigurationException;
import io.dxpipe.schema.Silver;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Canonical values of the categorical columns: per column, variant (lower case) to canonical value,
 * where an empty canonical value means "not recorded" (null). The file declares each canonical value
 * with a row mapping it to itself; a variant must map to a declared value.
 */
public record CategoryVocabulary(Map<String, Map<String, String>> byColumn) implements Serializable {

  public static CategoryVocabulary load(String location) {
    Map<String, Map<String, String>> byColumn = new TreeMap<>();
    for (String[] row : MappingFile.read("dxpipe.clean.vocabulary.categories", location, 3)) {
      String column = row[0];
      if (!Silver.CATEGORICAL_COLUMNS.contains(column)) {
        throw new ConfigurationException("dxpipe.clean.vocabulary.categories (" + location + "): field '" + column
            + "' is not a categorical column (" + String.join(", ", Silver.CATEGORICAL_COLUMNS) + ")");
      }
      Map<String, String> values = byColumn.computeIfAbsent(column, c -> new HashMap<>());
      values.put(row[1].toLowerCase(Locale.ROOT), row[2].toLowerCase(Locale.ROOT));
    }
    byColumn.forEach((column, values) -> values.forEach((variant, canonical) -> {
      if (!canonical.isEmpty() && !canonical.equals(values.get(canonical))) {
        throw new ConfigurationException("dxpipe.clean.vocabulary.categories (" + location + "): " + column + " '"
            + variant + "' maps to '" + canonical + "', which is not declared (add the row " + column + ","
            + canonical + "," + canonical + ")");
      }
    }));
    byColumn.replaceAll((c, m) -> Map.copyOf(m));
    return new CategoryVocabulary(Map.copyOf(byColumn));
  }

  public Map<String, String> of(String column) {
    return byColumn.getOrDefault(column, Map.of());
  }
}
