package io.dxpipe.ingest;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import io.dxpipe.config.ConfigurationException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A source's symptom flag columns ({@code symptom-flags}): one yes/no column per symptom, as in a
 * one-hot table. A true cell adds the column's symptom (no severity), a false or blank one nothing,
 * any other value makes the record malformed.
 *
 * @param columns column (CSV header name, or JSON pointer) = symptom name
 * @param allColumnsExcept when not null (CSV only): every header column not listed here, not mapped
 *     by {@code fields}, {@code symptom-columns}, {@code history-flags} or {@code columns}, is a
 *     symptom named by its header
 * @param values the source's true and false words (also read by {@code history-flags})
 */
public record SymptomFlags(Map<String, String> columns, List<String> allColumnsExcept, FlagValues values)
    implements Serializable {
  /** A source without flag columns: history-flags still read the default words. */
  public static final SymptomFlags NONE = new SymptomFlags(Map.of(), null, FlagValues.DEFAULT);

  static final Set<String> KEYS = Set.of("columns", "all-columns-except", "true", "false");

  public boolean any() {
    return !columns.isEmpty() || allColumnsExcept != null;
  }

  static SymptomFlags from(String where, Config c, SourceFormat format, Map<Field, String> fields) {
    for (String key : c.root().keySet()) {
      if (!KEYS.contains(key)) {
        throw new ConfigurationException("unknown key '" + where + "." + key + "'; symptom-flags takes: "
            + String.join(", ", new TreeSet<>(KEYS)));
      }
    }
    if (format != SourceFormat.CSV && format != SourceFormat.JSON && format != SourceFormat.JSONL) {
      throw new ConfigurationException(where + " is for csv, json and jsonl sources, not " + format.key());
    }
    Map<String, String> columns = new LinkedHashMap<>();
    if (c.hasPath("columns")) {
      if (c.getValue("columns").valueType() != ConfigValueType.OBJECT) {
        throw new ConfigurationException(where + ".columns must be a block: { column = symptom, ... }");
      }
      c.getObject("columns").forEach((column, symptom) -> {
        String name = symptom.valueType() == ConfigValueType.STRING ? ((String) symptom.unwrapped()).trim() : "";
        if (name.isEmpty()) {
          throw new ConfigurationException(where + ".columns.\"" + column + "\" must name a symptom (a non-blank string)");
        }
        columns.put(column.trim(), name);
      });
    }
    if (format != SourceFormat.CSV) {
      for (String pointer : columns.keySet()) {
        try {
          com.fasterxml.jackson.core.JsonPointer.compile(pointer);
        } catch (IllegalArgumentException e) {
          throw new ConfigurationException(where + ".columns.\"" + pointer + "\" is not a JSON pointer (\"/fever\")"
              + " for a " + format.key() + " source: " + e.getMessage());
        }
      }
    }
    List<String> except = c.hasPath("all-columns-except") ? words(c, "all-columns-except") : null;
    if (except != null && format != SourceFormat.CSV) {
      throw new ConfigurationException(where + ".all-columns-except is for csv sources; a " + format.key()
          + " source lists its flags in " + where + ".columns { \"/pointer\" = symptom }");
    }
    if (columns.isEmpty() && except == null) {
      throw new ConfigurationException(where + " needs columns { column = symptom } or all-columns-except = [...]");
    }
    Set<String> mapped = new TreeSet<>();
    fields.forEach((f, column) -> {
      if (columns.containsKey(column)) {
        mapped.add(column + " (fields." + f.key() + ")");
      }
    });
    if (!mapped.isEmpty()) {
      throw new ConfigurationException(where + ".columns names column(s) mapped to canonical fields: " + mapped);
    }
    List<String> yes = c.hasPath("true") ? words(c, "true") : FlagValues.DEFAULT_TRUE;
    List<String> no = c.hasPath("false") ? words(c, "false") : FlagValues.DEFAULT_FALSE;
    FlagValues values = FlagValues.of(yes, no);
    if (values.trueValues().isEmpty()) {
      throw new ConfigurationException(where + ".true must list at least one value");
    }
    Set<String> both = new TreeSet<>(values.trueValues());
    both.retainAll(values.falseValues());
    if (!both.isEmpty()) {
      throw new ConfigurationException(where + ".true and .false both list " + both);
    }
    return new SymptomFlags(Collections.unmodifiableMap(columns),
        except == null ? null : List.copyOf(except), values);
  }

  /** A list of words; numbers and booleans are taken as written ({@code [1, yes, true]}). */
  private static List<String> words(Config c, String key) {
    try {
      return c.getStringList(key).stream().map(String::trim).toList();
    } catch (com.typesafe.config.ConfigException.WrongType e) {
      throw new ConfigurationException(c.origin().description() + ": " + key + " must be a list of values: "
          + e.getMessage(), e);
    }
  }

  /**
   * The flag columns of a CSV file, in header order: the declared columns and (with
   * all-columns-except) every other unmapped column. Throws when a listed column is not in the
   * header or a column to take has no name.
   */
  Map<Integer, String> resolve(String[] header, Map<String, Integer> position, SourceSettings source)
      throws RecordParser.UnreadableFileException {
    List<String> missing = new ArrayList<>();
    columns.keySet().stream().filter(c -> !position.containsKey(c)).forEach(missing::add);
    if (allColumnsExcept != null) {
      allColumnsExcept.stream().filter(c -> !position.containsKey(c)).forEach(missing::add);
    }
    if (!missing.isEmpty()) {
      throw new RecordParser.UnreadableFileException("header lacks the symptom-flags column(s) " + missing
          + "; header is " + java.util.Arrays.toString(header));
    }
    Map<Integer, String> taken = new java.util.TreeMap<>();
    columns.forEach((column, symptom) -> taken.put(position.get(column), symptom));
    if (allColumnsExcept != null) {
      Set<String> skip = new LinkedHashSet<>(allColumnsExcept);
      skip.addAll(source.fields().values());
      skip.addAll(source.symptomColumns());
      skip.addAll(source.historyFlags().keySet());
      skip.addAll(source.inputLocations());
      skip.addAll(columns.keySet());
      List<Integer> unnamed = new ArrayList<>();
      for (int i = 0; i < header.length; i++) {
        String name = header[i] == null ? "" : header[i].trim();
        if (skip.contains(name)) {
          continue;
        }
        if (name.isEmpty()) {
          unnamed.add(i + 1);
        } else {
          taken.put(i, name);
        }
      }
      if (!unnamed.isEmpty()) {
        throw new RecordParser.UnreadableFileException("symptom-flags.all-columns-except would take column(s) "
            + unnamed + " (1-based), which have no name in the header; list \"\" in all-columns-except to leave them out");
      }
      if (taken.isEmpty()) {
        throw new RecordParser.UnreadableFileException("symptom-flags.all-columns-except leaves no column to read"
            + " symptoms from; header is " + java.util.Arrays.toString(header));
      }
    }
    return taken;
  }

  /**
   * Reads a record's flag cells (column i: {@code labels[i]} holding {@code cells[i]}, symptom
   * {@code symptoms[i]}): adds the symptoms of the true ones; returns null, or the reason the record
   * is malformed (the columns and values that are neither true nor false).
   */
  String read(List<String> labels, List<String> symptoms, List<String> cells, RawRecord r) {
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      Boolean flag = values.parse(cells.get(i));
      if (flag == null) {
        String v = cells.get(i) == null ? "" : cells.get(i).trim();
        bad.add(labels.get(i) + " = '" + (v.length() > 60 ? v.substring(0, 60) + "..." : v) + "'");
      } else if (flag) {
        r.symptoms.add(new String[] {symptoms.get(i), null});
      }
    }
    if (bad.isEmpty()) {
      return null;
    }
    List<String> shown = bad.size() > 5 ? bad.subList(0, 5) : bad;
    return "symptom-flags column(s) hold values that are neither true nor false: " + String.join(", ", shown)
        + (bad.size() > 5 ? " and " + (bad.size() - 5) + " more" : "") + "; accepted: " + values.describe();
  }
}
