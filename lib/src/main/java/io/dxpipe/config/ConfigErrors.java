package io.dxpipe.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lightbend's exceptions about a value (wrong type, bad value, out of range) in the words of this
 * project's errors: the full key, what was expected, the value (unless the key is secret; masked
 * otherwise) and where it was set.
 */
final class ConfigErrors {
  private static final Pattern WRONG_TYPE = Pattern.compile("has type (.+) rather than (.+)$");
  private static final Pattern BAD_VALUE = Pattern.compile("Invalid value at '[^']*': (.+)$", Pattern.DOTALL);

  private ConfigErrors() {}

  /**
   * @param value the offending value as configured, or null when it is not known
   */
  static String describe(String fullKey, ConfigException e, ConfigValue value) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    String where = value != null ? " (" + value.origin().description() + ")"
        : e.origin() != null ? " (" + e.origin().description() + ")" : "";
    boolean secret = Secrets.isSecretKey(fullKey);
    Matcher wrongType = WRONG_TYPE.matcher(message);
    Matcher badValue = BAD_VALUE.matcher(message);
    String shown = secret ? "a value that is not shown (a secret key)"
        : value != null ? Secrets.mask(value.render(ConfigRenderOptions.concise())) : null;
    if (wrongType.find()) {
      return fullKey + " must be " + expected(wrongType.group(2)) + " but is "
          + (shown != null ? shown : wrongType.group(1).toLowerCase(java.util.Locale.ROOT)) + where;
    }
    if (badValue.find()) {
      return fullKey + " has an invalid value" + where + ": "
          + (secret ? "(not shown: a secret key)" : Secrets.mask(badValue.group(1)));
    }
    return fullKey + where + ": " + (secret ? "invalid value (not shown: a secret key)" : Secrets.mask(message));
  }

  /** Lightbend's name of a type (NUMBER, 32-bit integer, ...) as words. */
  static String expected(String lightbend) {
    String t = lightbend.trim();
    if (t.contains("32-bit")) {
      return "a whole number up to " + Integer.MAX_VALUE;
    }
    if (t.contains("64-bit")) {
      return "a whole number up to " + Long.MAX_VALUE;
    }
    return switch (t) {
      case "NUMBER" -> "a number";
      case "BOOLEAN" -> "true or false";
      case "STRING" -> "a string";
      case "LIST" -> "a list [...]";
      case "OBJECT" -> "an object {...}";
      default -> t.toLowerCase(java.util.Locale.ROOT);
    };
  }
}
