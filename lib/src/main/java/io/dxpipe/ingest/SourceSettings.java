package io.dxpipe.ingest;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import io.dxpipe.config.ConfigurationException;
import io.dxpipe.config.EnumSetting;
import io.dxpipe.schema.DeclaredInputs;
import java.io.Serializable;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How to read one source: its format and how its fields, units and codes map onto the canonical
 * record. Declared in {@code dxpipe.ingest.sources.<source>}, where {@code <source>} is the
 * source's folder under landing/. Onboarding a new JSON or CSV source needs only such a block.
 */
public record SourceSettings(
    String name,
    SourceFormat format,
    String patientIdSystem,
    Map<Field, String> fields,
    String symptomName,
    String symptomSeverity,
    String symptomSeparator,
    String symptomPattern,
    List<String> symptomColumns,
    int severityScale,
    Map<String, String> historyFlags,
    String listSeparator,
    TemperatureUnit temperatureUnit,
    WeightUnit weightUnit,
    Map<String, Map<String, String>> values,
    String dateFormat,
    List<Field> required,
    SymptomFlags symptomFlags,
    List<MappedInput> inputs) implements Serializable {

  /** A declared input ({@code dxpipe.inputs}) and where this source's files hold it: a CSV column or a JSON pointer. */
  public record MappedInput(DeclaredInputs.Input input, String location) implements Serializable {}

  /** Where the source's declared inputs sit (CSV columns or JSON pointers), in declaration order. */
  public List<String> inputLocations() {
    return inputs.stream().map(MappedInput::location).toList();
  }

  /** Value categories a source may map: raw text (case-insensitive) to canonical value. */
  public static final Set<String> VALUE_CATEGORIES =
      Set.of("gender", "ethnicity", "marital-status", "education", "severity", "diagnosis");

  /** Special field location: the record's 1-based position in its file. */
  public static final String LINE_NUMBER = "#line";

  public enum TemperatureUnit {
    CELSIUS,
    FAHRENHEIT
  }

  public enum WeightUnit {
    KG,
    LB,
    G
  }

  private static final Set<String> KEYS = Set.of("format", "patient-id-system", "fields", "symptom-name",
      "symptom-severity", "symptom-separator", "symptom-pattern", "symptom-columns", "severity-scale",
      "history-flags", "list-separator", "units", "values", "date-format", "required",
      "symptom-flags", "inputs");

  static SourceSettings from(String name, Config c) {
    return from(name, c, DeclaredInputs.NONE);
  }

  static SourceSettings from(String name, Config c, DeclaredInputs declared) {
    String where = "dxpipe.ingest.sources." + name;
    for (String key : c.root().keySet()) {
      if (!KEYS.contains(key)) {
        throw new ConfigurationException("unknown key '" + where + "." + key + "'; a source block takes: "
            + String.join(", ", new java.util.TreeSet<>(KEYS)));
      }
    }
    try {
      SourceFormat format = EnumSetting.parse(where + ".format", c.getString("format"), SourceFormat.class);
      Map<Field, String> fields = new EnumMap<>(Field.class);
      if (c.hasPath("fields")) {
        for (Map.Entry<String, ConfigValue> e : c.getConfig("fields").root().entrySet()) {
          Field f = Field.ofKey(e.getKey());
          if (f == null) {
            throw new ConfigurationException(where + ".fields." + e.getKey() + " is not a canonical field; fields are: "
                + String.join(", ", java.util.Arrays.stream(Field.values()).map(Field::key).toList()));
          }
          fields.put(f, String.valueOf(e.getValue().unwrapped()));
        }
      }
      if ((format == SourceFormat.JSON || format == SourceFormat.JSONL || format == SourceFormat.CSV)
          && !fields.containsKey(Field.RECORD_ID)) {
        throw new ConfigurationException(where + ".fields.record-id is required for a " + format.key()
            + " source (use \"" + LINE_NUMBER + "\" for the line number)");
      }
      String pattern = string(c, "symptom-pattern", "^(.*?)(?:\\s*\\((\\d+)\\))?$");
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        throw new ConfigurationException(where + ".symptom-pattern is not a regular expression: " + e.getMessage());
      }
      String dateFormat = string(c, "date-format", "yyyy-MM-dd");
      try {
        DateTimeFormatter.ofPattern(dateFormat);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(where + ".date-format '" + dateFormat + "' is not a date pattern: " + e.getMessage());
      }
      Map<String, Map<String, String>> values = new HashMap<>();
      if (c.hasPath("values")) {
        for (String category : c.getConfig("values").root().keySet()) {
          if (!VALUE_CATEGORIES.contains(category)) {
            throw new ConfigurationException(where + ".values." + category + " is not a value category; categories are: "
                + String.join(", ", new java.util.TreeSet<>(VALUE_CATEGORIES)));
          }
          values.put(category, lowerKeys(c.getConfig("values." + category)));
        }
      }
      List<Field> required = new ArrayList<>();
      // a case file (hpo-cases) has nothing but the phenotype: its record id is made by the parser
      for (String r : c.hasPath("required") ? c.getStringList("required")
          : format == SourceFormat.HPO_CASES ? List.of("record-id")
          : List.of("record-id", "patient-id", "gender", "age", "visit-date")) {
        Field f = Field.ofKey(r);
        if (f == null) {
          throw new ConfigurationException(where + ".required names '" + r + "', which is not a canonical field");
        }
        required.add(f);
      }
      SymptomFlags flags = c.hasPath("symptom-flags")
          ? SymptomFlags.from(where + ".symptom-flags", c.getConfig("symptom-flags"), format, fields) : SymptomFlags.NONE;
      List<MappedInput> inputs = new ArrayList<>();
      if (c.hasPath("inputs")) {
        if (format != SourceFormat.CSV && format != SourceFormat.JSON && format != SourceFormat.JSONL) {
          throw new ConfigurationException(where + ".inputs: declared inputs are read from CSV columns and JSON "
              + "pointers; a " + format.key() + " source cannot map them yet");
        }
        for (Map.Entry<String, ConfigValue> e : new java.util.TreeMap<>(c.getConfig("inputs").root()).entrySet()) {
          DeclaredInputs.Input input = declared.get(e.getKey());
          if (input == null) {
            throw new ConfigurationException(where + ".inputs." + e.getKey() + " is not a declared input; declare it in "
                + "dxpipe.inputs (e.g. dxpipe.inputs." + e.getKey() + " { type = numeric })"
                + (declared.isEmpty() ? ", none is declared" : "; declared: " + String.join(", ", declared.names())));
          }
          inputs.add(new MappedInput(input, String.valueOf(e.getValue().unwrapped())));
        }
      }
      int scale = c.hasPath("severity-scale") ? c.getInt("severity-scale") : 3;
      if (scale < 3) {
        throw new ConfigurationException(where + ".severity-scale must be at least 3 but is " + scale);
      }
      return new SourceSettings(name, format, string(c, "patient-id-system", name), Map.copyOf(fields),
          string(c, "symptom-name", "name"), string(c, "symptom-severity", "severity"),
          string(c, "symptom-separator", ";"), pattern,
          c.hasPath("symptom-columns") ? List.copyOf(c.getStringList("symptom-columns")) : List.of(), scale,
          c.hasPath("history-flags") ? stringMap(c.getConfig("history-flags")) : Map.of(),
          string(c, "list-separator", ";"),
          EnumSetting.parse(where + ".units.temperature", string(c, "units.temperature", "celsius"), TemperatureUnit.class),
          EnumSetting.parse(where + ".units.weight", string(c, "units.weight", "kg"), WeightUnit.class),
          Map.copyOf(values), dateFormat, List.copyOf(required), flags, List.copyOf(inputs));
    } catch (ConfigException e) {
      throw new ConfigurationException(where + ": " + e.getMessage(), e);
    }
  }

  private static String string(Config c, String key, String fallback) {
    return c.hasPath(key) ? c.getString(key) : fallback;
  }

  private static Map<String, String> stringMap(Config c) {
    Map<String, String> m = new HashMap<>();
    c.root().forEach((k, v) -> m.put(k, String.valueOf(v.unwrapped())));
    return Map.copyOf(m);
  }

  private static Map<String, String> lowerKeys(Config c) {
    Map<String, String> m = new HashMap<>();
    c.root().forEach((k, v) -> m.put(k.trim().toLowerCase(Locale.ROOT), String.valueOf(v.unwrapped())));
    return Map.copyOf(m);
  }


  /** The canonical value for a raw value of a category, or null when the source does not map it. */
  public String mapValue(String category, String raw) {
    Map<String, String> m = values.get(category);
    return m == null || raw == null ? null : m.get(raw.trim().toLowerCase(Locale.ROOT));
  }
}
