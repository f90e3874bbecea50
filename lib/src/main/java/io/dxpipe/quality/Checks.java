package io.dxpipe.quality;

import com.typesafe.config.Config;
import io.dxpipe.config.ConfigurationException;
import io.dxpipe.config.Keys;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The check types by their configuration name, each with the factory that reads it, and how a
 * check object of a group is read. A new type is a {@link Check} in its own file with a static
 * {@code fromConfig(Keys, String)}, registered here and documented in README.md and reference.conf
 * ({@code ChecksRegistryTest} holds the three to agreement).
 */
public final class Checks {
  private Checks() {}

  private static final Map<String, CheckFactory> FACTORIES = new LinkedHashMap<>();

  static {
    FACTORIES.put(Completeness.TYPE, Completeness::fromConfig);
    FACTORIES.put(Uniqueness.TYPE, Uniqueness::fromConfig);
    FACTORIES.put(ValuesInSet.TYPE, ValuesInSet::fromConfig);
    FACTORIES.put(Range.TYPE, Range::fromConfig);
    FACTORIES.put(DateWindow.TYPE, DateWindow::fromConfig);
    FACTORIES.put(RowCount.TYPE, RowCount::fromConfig);
    FACTORIES.put(FlagShare.TYPE, FlagShare::fromConfig);
    FACTORIES.put(QuarantineShare.TYPE, QuarantineShare::fromConfig);
  }

  /** The registered type names, in the order of the documentation. */
  public static Set<String> types() {
    return java.util.Collections.unmodifiableSet(FACTORIES.keySet());
  }

  /** Reads one check object of a group ({@code { type = range, column = age, min = 0, max = 120 }}). */
  public static Check fromConfig(Config config, String prefix) {
    Keys keys = Keys.of(config, prefix);
    String type = keys.nonEmptyString("type");
    String name = keys.has("name") ? keys.nonEmptyString("name") : null;
    CheckFactory factory = FACTORIES.get(type);
    if (factory == null) {
      throw new ConfigurationException(prefix + ".type '" + type + "' is not a check type ("
          + String.join(", ", FACTORIES.keySet()) + ")");
    }
    return factory.fromConfig(keys, name);
  }
}
