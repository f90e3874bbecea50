package io.dxpipe.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** An enum-valued setting: case-insensitive, '-' for '_', and an error listing the allowed values. */
public final class EnumSetting {
  private EnumSetting() {}

  /**
   * @param key the full key, named in the error ({@code dxpipe.generate.mode})
   * @param value the configured text ({@code daily}, {@code registry-xml})
   */
  public static <E extends Enum<E>> E parse(String key, String value, Class<E> type) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value.replace('-', '_'))) {
        return e;
      }
    }
    String allowed = Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).collect(Collectors.joining(", "));
    throw new ConfigurationException(key + " must be one of " + allowed + " but is '" + value + "'");
  }
}
