package io.dxpipe.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ModelLayoutTest {
  @Test
  void theModelAndItsBaselineLieInOneFolderPerTrainRun() {
    String folder = ModelLayout.folder("abfss://lake@acct.dfs.core.windows.net/dxpipe/models", "20260101-120000-abc123");
    assertThat(folder).isEqualTo("abfss://lake@acct.dfs.core.windows.net/dxpipe/models/classifier/20260101-120000-abc123");
    assertThat(ModelLayout.sparkModel(folder)).isEqualTo(folder + "/sparkml");
    assertThat(ModelLayout.baseline(folder)).isEqualTo(folder + "/baseline-profile.json");
  }

  @Test
  void theBaselineOfAModelIsFoundFromTheModelsPathWithOrWithoutATrailingSlash() {
    String model = ModelLayout.sparkModel(ModelLayout.folder("file:/data/models", "r1"));
    assertThat(ModelLayout.baselineUri(model)).isEqualTo("file:/data/models/classifier/r1/baseline-profile.json");
    assertThat(ModelLayout.baselineUri(model + "/")).isEqualTo(ModelLayout.baselineUri(model));
  }

  /**
   * The stages that write a model (train) and read it (score, monitor) share its layout through
   * this package, not through each other: no cycle among their packages (imports or qualified names).
   */
  @Test
  void trainScoreAndMonitorDoNotDependOnEachOtherInACycle() throws IOException {
    List<String> packages = List.of("train", "score", "monitor", "model");
    Path main = Repo.root().resolve("lib/src/main/java/io/dxpipe");
    Pattern reference = Pattern.compile("io\\.dxpipe\\.(" + String.join("|", packages) + ")\\.");
    Map<String, Set<String>> uses = new TreeMap<>();
    for (String p : packages) {
      Set<String> used = new TreeSet<>();
      try (Stream<Path> files = Files.list(main.resolve(p))) {
        for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          Matcher m = reference.matcher(Files.readString(f));
          while (m.find()) {
            if (!m.group(1).equals(p)) {
              used.add(m.group(1));
            }
          }
        }
      }
      uses.put(p, used);
    }
    assertThat(uses.get("model")).as("the layout depends on none of them").isEmpty();
    assertThat(uses.get("score")).as("score uses").doesNotContain("train", "monitor");
    for (String from : packages) {
      assertThat(reachable(from, uses)).as("packages reachable from " + from + " in " + uses).doesNotContain(from);
    }
  }

  private static Set<String> reachable(String from, Map<String, Set<String>> uses) {
    Set<String> seen = new TreeSet<>();
    List<String> todo = new java.util.ArrayList<>(uses.get(from));
    while (!todo.isEmpty()) {
      String p = todo.remove(todo.size() - 1);
      if (seen.add(p)) {
        todo.addAll(uses.getOrDefault(p, Set.of()));
      }
    }
    return seen;
  }
}
