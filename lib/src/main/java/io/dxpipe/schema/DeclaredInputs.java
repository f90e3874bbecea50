package io.dxpipe.schema;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.dxpipe.config.ConfigurationException;
import io.dxpipe.config.EnumSetting;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Inputs beyond the built-in ones (age, duration, vital signs, the four categories, symptoms,
 * previous diagnoses), declared in {@code dxpipe.inputs}: a cholesterol level, blood pressure
 * given as low/normal/high, a smoking status. A source maps any of its columns to a declared input
 * ({@code dxpipe.ingest.sources.<s>.inputs { name = column }}); ingest checks and normalises the
 * value (a number, one of the levels, a lower-case category) into bronze's {@code inputs} map, clean
 * keeps it, and the feature pipeline turns it into features: a numeric input and an ordinal one (its
 * level's position, 0 for the first) are imputed and scaled like the vital signs, with a missing
 * indicator; a categorical one is indexed and one-hot encoded like gender.
 *
 * <p>With nothing declared (the default) every stage does exactly what it did before inputs could
 * be declared, so existing tables and models are unchanged.
 */
public record DeclaredInputs(List<Input> inputs) implements Serializable {

  /** The bronze and silver column holding a record's declared inputs, by name; null when it has none. */
  public static final String COLUMN = "inputs";

  public static final DeclaredInputs NONE = new DeclaredInputs(List.of());

  /** How an input's values are read and encoded. */
  public enum Type {
    NUMERIC,
    CATEGORICAL,
    ORDINAL
  }

  /**
   * One declared input.
   *
   * @param levels for an ordinal input, its levels from lowest to highest (lower case); empty otherwise
   */
  public record Input(String name, Type type, List<String> levels) implements Serializable {
    /** The level's position (0 for the first), ignoring case and surrounding spaces, or -1. */
    public int level(String value) {
      return value == null ? -1 : levels.indexOf(value.trim().toLowerCase(Locale.ROOT));
    }

    public String describe() {
      return type.name().toLowerCase(Locale.ROOT) + (type == Type.ORDINAL ? " " + levels : "");
    }
  }

  /**
   * An input's name: it becomes part of SQL column names, so lower-case letters, digits and
   * underscores. The one rule for declarations, the SQL stage's statement and service requests.
   */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  /** A level is written into the feature pipeline's SQL as a literal: no quotes or backslashes. */
  private static final Pattern LEVEL = Pattern.compile("[a-z0-9][a-z0-9 _+<>=./-]{0,62}");

  public static DeclaredInputs from(Config dxpipe) {
    if (!dxpipe.hasPath(COLUMN)) {
      return NONE;
    }
    Set<String> builtIn = new TreeSet<>(List.of(Bronze.SCHEMA.fieldNames()));
    builtIn.addAll(List.of(Silver.SCHEMA.fieldNames()));
    List<Input> inputs = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : new java.util.TreeMap<>(dxpipe.getConfig(COLUMN).root()).entrySet()) {
      String name = e.getKey();
      String where = "dxpipe.inputs." + name;
      if (!NAME.matcher(name).matches()) {
        throw new ConfigurationException(where + ": an input's name must be lower-case letters, digits and underscores, "
            + "starting with a letter (it becomes a feature column name), e.g. cholesterol_level");
      }
      if (builtIn.contains(name)) {
        throw new ConfigurationException(where + ": '" + name + "' is a built-in column; map the source's column to it "
            + "in the source's fields block instead of declaring it");
      }
      if (!(e.getValue().unwrapped() instanceof Map)) {
        throw new ConfigurationException(where + " must be an object like { type = numeric } but is "
            + e.getValue().render());
      }
      Config c = dxpipe.getConfig(COLUMN).getConfig("\"" + name + "\"");
      for (String key : c.root().keySet()) {
        if (!Set.of("type", "levels").contains(key)) {
          throw new ConfigurationException(where + "." + key + " is not a known key here (known: levels, type)");
        }
      }
      if (!c.hasPath("type")) {
        throw new ConfigurationException(where + ".type is missing: numeric, categorical or ordinal");
      }
      Type type = EnumSetting.parse(where + ".type", c.getString("type"), Type.class);
      List<String> levels = List.of();
      if (type == Type.ORDINAL) {
        if (!c.hasPath("levels") || c.getStringList("levels").size() < 2) {
          throw new ConfigurationException(where + ".levels must list at least two levels, lowest first, e.g. "
              + "[low, normal, high]");
        }
        List<String> l = new ArrayList<>();
        for (String level : c.getStringList("levels")) {
          String v = level.trim().toLowerCase(Locale.ROOT);
          if (!LEVEL.matcher(v).matches()) {
            throw new ConfigurationException(where + ".levels: '" + level + "' is not a level name (letters, digits, "
                + "spaces and _ + < > = . / -)");
          }
          if (l.contains(v)) {
            throw new ConfigurationException(where + ".levels names '" + v + "' twice (levels ignore case)");
          }
          l.add(v);
        }
        levels = List.copyOf(l);
      } else if (c.hasPath("levels")) {
        throw new ConfigurationException(where + ".levels is only for an ordinal input (type = ordinal)");
      }
      inputs.add(new Input(name, type, levels));
    }
    return new DeclaredInputs(List.copyOf(inputs));
  }

  /**
   * The rows with the {@code inputs} column, added as null when a table written before inputs could be
   * declared lacks it (the next write adds it to the table: bronze appends and silver writes merge the
   * schema).
   */
  public static org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> withColumn(
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows) {
    return java.util.Arrays.asList(rows.columns()).contains(COLUMN) ? rows
        : rows.withColumn(COLUMN, org.apache.spark.sql.functions.lit(null).cast(Bronze.SCHEMA.apply(COLUMN).dataType()));
  }

  public boolean isEmpty() {
    return inputs.isEmpty();
  }

  public Input get(String name) {
    for (Input i : inputs) {
      if (i.name().equals(name)) {
        return i;
      }
    }
    return null;
  }

  public List<String> names() {
    return inputs.stream().map(Input::name).toList();
  }

  /** The inputs imputed and scaled as numbers: the numeric and the ordinal ones. */
  public List<Input> numeric() {
    return inputs.stream().filter(i -> i.type() != Type.CATEGORICAL).toList();
  }

  public List<Input> categorical() {
    return inputs.stream().filter(i -> i.type() == Type.CATEGORICAL).toList();
  }

  /**
   * A source's value for the input, normalised as bronze keeps it: a number in Java's shortest form,
   * the level in lower case, or the category in lower case.
   *
   * @throws IllegalArgumentException naming the input, the value and what it expects
   */
  public static String normalise(Input input, String value) {
    String v = value.trim();
    switch (input.type()) {
      case NUMERIC -> {
        Double d = io.dxpipe.ingest.Units.decimal(v);
        if (d == null) {
          throw new IllegalArgumentException("input " + input.name() + " '" + value + "' is not a number");
        }
        return Double.toString(d);
      }
      case ORDINAL -> {
        int level = input.level(v);
        if (level < 0) {
          throw new IllegalArgumentException("input " + input.name() + " '" + value + "' is not one of its levels "
              + input.levels());
        }
        return input.levels().get(level);
      }
      default -> {
        return v.toLowerCase(Locale.ROOT);
      }
    }
  }
}
