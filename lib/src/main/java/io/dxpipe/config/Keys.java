package io.dxpipe.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.function.BiFunction;

/** Typed, validated reads of configuration keys; every failure names the full key. */
final class Keys {
  private final Config config;
  private final String prefix;

  /** Keys of a section of {@code dxpipe} ({@code "generate"}), or of {@code dxpipe} itself ({@code ""}). */
  Keys(Config dxpipe, String section) {
    this.config = section.isEmpty() ? dxpipe : dxpipe.getConfig(section);
    this.prefix = section.isEmpty() ? PipelineConfig.ROOT : PipelineConfig.ROOT + "." + section;
  }

  String string(String key) {
    return read(key, Config::getString);
  }

  String nonEmptyString(String key) {
    String value = string(key);
    if (value.isBlank()) {
      throw invalid(key, "must not be empty");
    }
    return value;
  }

  int intAtLeast(String key, int min) {
    int value = read(key, Config::getInt);
    if (value < min) {
      throw invalid(key, "must be at least " + min + " but is " + value);
    }
    return value;
  }

  long longAtLeast(String key, long min) {
    long value = read(key, Config::getLong);
    if (value < min) {
      throw invalid(key, "must be at least " + min + " but is " + value);
    }
    return value;
  }

  long longBetween(String key, long min, long max) {
    long value = read(key, Config::getLong);
    if (value < min || value > max) {
      throw invalid(key, "must be between " + min + " and " + max + " but is " + value);
    }
    return value;
  }

  double rate(String key) {
    return doubleBetween(key, 0, 1);
  }

  double doubleBetween(String key, double min, double max) {
    double value = read(key, Config::getDouble);
    if (value < min || value > max || Double.isNaN(value)) {
      throw invalid(key, "must be between " + min + " and " + max + " but is " + value);
    }
    return value;
  }

  /** A date as yyyy-MM-dd, or "today" (UTC). */
  LocalDate date(String key) {
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

  <E extends Enum<E>> E enumValue(String key, Class<E> type) {
    return EnumSetting.parse(prefix + "." + key, string(key), type);
  }


  Config section(String key) {
    return read(key, Config::getConfig);
  }

  ConfigurationException invalid(String key, String problem) {
    return new ConfigurationException(prefix + "." + key + " " + problem);
  }

  private <T> T read(String key, BiFunction<Config, String, T> getter) {
    try {
      return getter.apply(config, key);
    } catch (ConfigException.Missing e) {
      throw new ConfigurationException(prefix + "." + key + " is not set (no default in reference.conf)", e);
    } catch (ConfigException e) {
      throw new ConfigurationException(prefix + "." + key + ": " + e.getMessage(), e);
    }
  }
}
