package io.dxpipe.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import io.dxpipe.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The README's configuration table names every key of reference.conf, so docs and code agree. */
class DocsTest {
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
