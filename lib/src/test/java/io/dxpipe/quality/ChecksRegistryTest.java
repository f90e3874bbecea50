package io.dxpipe.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.dxpipe.config.ConfigurationException;
import io.dxpipe.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The registry of check types against their documentation: the types README.md's table and
 * reference.conf's comment list are exactly the registered ones, each name builds a check of that
 * type, and an unknown name is a configuration error listing the known ones.
 */
class ChecksRegistryTest {
  /** A smallest valid configuration per type. */
  private static final Map<String, String> EXAMPLES = Map.of(
      "completeness", "column = a, min = 1",
      "uniqueness", "columns = [a, b]",
      "values-in-set", "column = a, values = [x, y]",
      "range", "column = a, min = 0, max = 1",
      "date-window", "column = a, from = -1y, to = today",
      "row-count", "min = 1",
      "flag-share", "flag = \"unit:\", max = 0.1",
      "quarantine-share", "max = 0.1");

  private static Set<String> readmeTypes() throws IOException {
    String readme = Files.readString(Repo.root().resolve("README.md"));
    int table = readme.indexOf("| type | keys | metric and constraint |");
    assertThat(table).as("README's table of check types").isPositive();
    String rows = readme.substring(table, readme.indexOf("\n\n", table));
    Set<String> types = new LinkedHashSet<>();
    Matcher m = Pattern.compile("(?m)^\\| `([a-z-]+)` \\|").matcher(rows);
    while (m.find()) {
      types.add(m.group(1));
    }
    return types;
  }

  private static Set<String> referenceConfTypes() throws IOException {
    String conf = Files.readString(Repo.root().resolve("lib/src/main/resources/reference.conf"));
    int start = conf.indexOf("Check types and their keys:");
    assertThat(start).as("reference.conf's list of check types").isPositive();
    String list = conf.substring(conf.indexOf('\n', start) + 1, conf.indexOf("# A check may set", start));
    Set<String> types = new LinkedHashSet<>();
    Matcher m = Pattern.compile("(?m)^\\s*#\\s{3}([a-z-]+)\\s").matcher(list);
    while (m.find()) {
      types.add(m.group(1));
    }
    return types;
  }

  @Test
  void everyDocumentedTypeIsRegisteredAndNoOther() throws IOException {
    assertThat(readmeTypes()).as("README.md").containsExactlyElementsOf(Checks.types());
    assertThat(referenceConfTypes()).as("reference.conf").containsExactlyElementsOf(Checks.types());
    assertThat(Checks.types()).hasSize(8);
  }

  @Test
  void eachNameBuildsACheckOfThatType() {
    assertThat(EXAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(Checks.types());
    EXAMPLES.forEach((type, keys) -> {
      Check check = Checks.fromConfig(ConfigFactory.parseString("type = " + type + ", " + keys), "test");
      assertThat(check.type()).isEqualTo(type);
      Check named = Checks.fromConfig(ConfigFactory.parseString("type = " + type + ", name = mine, " + keys), "test");
      assertThat(named.name()).isEqualTo("mine");
    });
  }

  @Test
  void anUnknownTypeIsAConfigurationErrorNamingTheKnownOnes() {
    assertThatThrownBy(() -> Checks.fromConfig(ConfigFactory.parseString("type = not-null, column = a"),
        "dxpipe.quality.tables.bronze[1].checks[0]"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("dxpipe.quality.tables.bronze[1].checks[0].type 'not-null' is not a check type (completeness, "
            + "uniqueness, values-in-set, range, date-window, row-count, flag-share, quarantine-share)");
  }
}
