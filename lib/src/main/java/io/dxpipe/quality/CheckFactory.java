package io.dxpipe.quality;

import io.dxpipe.config.Keys;

/**
 * Builds a check of one type from its configuration object; {@link Checks} holds one per type. The
 * factory names the keys its type allows and fails with a {@link io.dxpipe.config.ConfigurationException}
 * naming the key when a value is missing or invalid.
 */
@FunctionalInterface
interface CheckFactory {
  /**
   * @param keys the check's configuration object ({@code type} already read)
   * @param name the configured {@code name}, or null for the type's default name
   */
  Check fromConfig(Keys keys, String name);
}
