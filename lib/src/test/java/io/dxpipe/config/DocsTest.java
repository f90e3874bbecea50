package io.dxpipe.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import io.dxpipe.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What of the README can be checked mechanically: its configuration table names every key of
 * reference.conf, every file of the repository it names in backticks exists, and it mentions every
 * script, so docs and code agree.
 */
class DocsTest {
  /** The repository's top-level folders a backticked README path can start with. */
  private static final List<String> ROOTS = List.of("lib/", "jobs/", "conf/", "scripts/", "databricks/",
      "notebooks/", "notebooks-export/", ".ci/", ".github/");

  @Test
  void everyRepositoryPathTheReadmeNamesExists() throws IOException {
    String readme = Files.readString(Repo.root().resolve("README.md"));
    // inline code only: fenced blocks hold commands and their output; the layout table's paths are
    // relative to their row's folder, and checked so below
    String layout = section(readme, "## Project layout");
    String prose = readme.replaceAll("(?s)```.*?```", "").replace(layout, "");
    TreeSet<String> named = new TreeSet<>();
    Matcher code = Pattern.compile("`([^`\n]+)`").matcher(prose);
    while (code.find()) {
      // a command names several paths (`scripts/mlflow-server.sh start`, `scripts/a.sh b/c.py`)
      for (String word : code.group(1).trim().split("\\s+")) {
        // placeholders (<version>, *, {a,b}, ...) and build output are not files of the repository
        if (ROOTS.stream().anyMatch(word::startsWith) && !word.matches(".*[<>*{}$].*") && !word.contains("...")
            && !word.matches(".*/target(-[a-z]+)?/.*")) {
          named.add(word.replaceAll("[,.;:)]+$", ""));
        }
      }
    }
    assertThat(named).as("paths the README names").contains("scripts/test.sh", "conf/local.conf");
    List<String> missing = named.stream().filter(path -> !Files.exists(Repo.root().resolve(path))).toList();
    assertThat(missing).as("paths README.md names in backticks that are not in the repository").isEmpty();

    // | `scripts/` | `run-local.sh`, `python/` ... |: files (a name with an extension) and folders of the row's folder
    TreeSet<String> inLayout = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| `([^`]+/)` \\|(.*)\\|$").matcher(layout);
    while (row.find()) {
      Matcher entry = Pattern.compile("`([^`\\s]+)`").matcher(row.group(2));
      while (entry.find()) {
        if (entry.group(1).endsWith("/") || entry.group(1).matches(".*\\.[a-z]+")) {
          inLayout.add(row.group(1) + entry.group(1));
        }
      }
    }
    assertThat(inLayout).as("paths of the layout table").contains("scripts/run-local.sh", "notebooks-export/eda.py");
    List<String> missingInLayout = inLayout.stream().filter(path -> !Files.exists(Repo.root().resolve(path))).toList();
    assertThat(missingInLayout).as("paths README.md's project layout names that are not in the repository").isEmpty();
  }

  /** From the heading to the next heading of the same level. */
  private static String section(String readme, String heading) {
    int start = readme.indexOf("\n" + heading + "\n");
    assertThat(start).as("README.md section " + heading).isNotNegative();
    int end = readme.indexOf("\n## ", start + heading.length() + 2);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  @Test
  void theReadmeMentionsEveryScriptAndItsLayoutListsEveryScriptAndNotebook() throws IOException {
    String readme = Files.readString(Repo.root().resolve("README.md"));
    List<String> scripts = filesOf("scripts", ".sh");
    assertThat(scripts).as("scripts/*.sh").contains("test.sh", "run-local.sh");
    // named by its path, in prose or in a command block (the layout table's bare names do not count)
    List<String> unmentioned = scripts.stream().filter(n -> !readme.contains("scripts/" + n)).toList();
    assertThat(unmentioned).as("scripts/*.sh that README.md never names as scripts/<name>").isEmpty();

    String layout = section(readme, "## Project layout");
    for (String folder : List.of("scripts", "notebooks-export")) {
      String row = layout.lines().filter(l -> l.startsWith("| `" + folder + "/` |")).findFirst()
          .orElseThrow(() -> new AssertionError("README.md's project layout has no row for " + folder + "/"));
      List<String> unlisted = filesOf(folder, folder.equals("scripts") ? ".sh" : ".py").stream()
          .filter(n -> !row.contains("`" + n + "`")).toList();
      assertThat(unlisted).as("files of " + folder + "/ missing from README.md's project layout").isEmpty();
    }
  }

  private static List<String> filesOf(String folder, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(Repo.root().resolve(folder))) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
    }
  }

  @Test
  void readmeDocumentsEveryConfigurationKey() throws IOException {
    String readme = Files.readString(Repo.root().resolve("README.md"));
    TreeSet<String> leaves = new TreeSet<>();
    collectLeaves("dxpipe", ConfigFactory.parseResources("reference.conf").root().toConfig().getObject("dxpipe"), leaves);
    assertThat(leaves).contains("dxpipe.generate.records", "dxpipe.storage.root", "dxpipe.generate.dirty.corrupt-file-rate");
    // documented when the key, or a section it belongs to, is a `code` entry of the README (e.g. format-shares)
    List<String> undocumented = leaves.stream().filter(key -> !documented(readme, key)).toList();
    assertThat(undocumented).as("keys of reference.conf missing from README.md's configuration table").isEmpty();
  }

  private static boolean documented(String readme, String key) {
    for (String k = key; k.indexOf('.') > 0 && !k.equals("dxpipe"); k = k.substring(0, k.lastIndexOf('.'))) {
      if (readme.contains("`" + k + "`")) {
        return true;
      }
    }
    return false;
  }

  private static void collectLeaves(String path, ConfigObject object, TreeSet<String> leaves) {
    if (object.isEmpty()) {
      leaves.add(path); // an open map such as spark.conf
    }
    for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
      if (e.getValue() instanceof ConfigObject child) {
        collectLeaves(path + "." + e.getKey(), child, leaves);
      } else {
        leaves.add(path + "." + e.getKey());
      }
    }
  }
}
