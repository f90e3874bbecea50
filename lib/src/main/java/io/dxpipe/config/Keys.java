package io.dxpipe.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.function.BiFunction;

/** Typed, validated reads of configuration keys; every failure names the full key. */
public final class Keys {
  private final Config config;
  private final String prefix;

  /** Keys of a section of {@code dxpipe} ({@code "generate"}), or of {@code dxpipe} itself ({@code ""}). */
  public Keys(Config dxpipe, String section) {
    this(section.isEmpty() ? PipelineConfig.ROOT : PipelineConfig.ROOT + "." + section,
        section.isEmpty() ? dxpipe : dxpipe.getConfig(section));
  }

  private Keys(String prefix, Config config) {
    this.config = config;
    this.prefix = prefix;
  }

  /** Keys of a nested object, e.g. one element of a list of objects ({@code dxpipe.quality.tables.silver[0]}). */
  public static Keys of(Config config, String prefix) {
    return new Keys(prefix, config);
  }

  public String prefix() {
    return prefix;
  }

  public boolean has(String key) {
    return config.hasPath(key);
  }

  /** Fails naming the first key of this object that is not among the allowed ones. */
  public void allowOnly(java.util.Collection<String> allowed) {
    for (String key : config.root().keySet()) {
      if (!allowed.contains(key)) {
        throw new ConfigurationException(prefix + "." + key + " is not a known key here (known: "
            + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
      }
    }
  }

  public double number(String key) {
    return read(key, Config::getDouble);
  }

  public java.util.List<String> strings(String key) {
    return read(key, Config::getStringList);
  }

  public java.util.List<Double> numbers(String key) {
    return read(key, Config::getDoubleList);
  }

  public java.util.List<? extends Config> objects(String key) {
    return read(key, Config::getConfigList);
  }

  /** A list of any values, unwrapped to Java lists, numbers and strings. */
  public java.util.List<Object> values(String key) {
    return read(key, (c, k) -> c.getList(k).unwrapped());
  }

  public boolean bool(String key) {
    return read(key, Config::getBoolean);
  }

  public String string(String key) {
    return read(key, Config::getString);
  }

  public String nonEmptyString(String key) {
    String value = string(key);
    if (value.isBlank()) {
      throw invalid(key, "must not be empty");
    }
    return value;
  }

  public int intAtLeast(String key, int min) {
    int value = read(key, Config::getInt);
    if (value < min) {
      throw invalid(key, "must be at least " + min + " but is " + value);
    }
    return value;
  }

  public long longAtLeast(String key, long min) {
    long value = read(key, Config::getLong);
    if (value < min) {
      throw invalid(key, "must be at least " + min + " but is " + value);
    }
    return value;
  }

  public long longBetween(String key, long min, long max) {
    long value = read(key, Config::getLong);
    if (value < min || value > max) {
      throw invalid(key, "must be between " + min + " and " + max + " but is " + value);
    }
    return value;
  }

  public double rate(String key) {
    return doubleBetween(key, 0, 1);
  }

  public double doubleBetween(String key, double min, double max) {
    double value = read(key, Config::getDouble);
    if (value < min || value > max || Double.isNaN(value)) {
      throw invalid(key, "must be between " + min + " and " + max + " but is " + value);
    }
    return value;
  }

  /** A date as yyyy-MM-dd, or "today" (UTC). */
  public LocalDate date(String key) {
    String value = string(key);
    if ("today".equalsIgnoreCase(value)) {
      return LocalDate.now(ZoneOffset.UTC);
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw invalid(key, "must be a date yyyy-MM-dd or 'today' but is '" + value + "'");
    }
  }

  public <E extends Enum<E>> E enumValue(String key, Class<E> type) {
    return EnumSetting.parse(prefix + "." + key, string(key), type);
  }


  public Config section(String key) {
    return read(key, Config::getConfig);
  }

  /** An error naming the key; credentials in the problem's text (a URI quoted in it) are masked. */
  public ConfigurationException invalid(String key, String problem) {
    return new ConfigurationException(prefix + "." + key + " " + Secrets.mask(problem));
  }

  private <T> T read(String key, BiFunction<Config, String, T> getter) {
    try {
      return getter.apply(config, key);
    } catch (ConfigException.Missing e) {
      throw new ConfigurationException(prefix + "." + key + " is not set (no default in reference.conf)", e);
    } catch (ConfigException e) {
      // the value is not shown for a secret key (Lightbend quotes it in some messages), masked for others
      com.typesafe.config.ConfigValue value = config.hasPath(key) ? config.getValue(key) : null;
      throw new ConfigurationException(ConfigErrors.describe(prefix + "." + key, e, value), e);
    }
  }
}
