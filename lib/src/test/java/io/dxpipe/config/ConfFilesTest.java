package io.dxpipe.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The environment files in conf/ load, validate, and hold no secret values. */
class ConfFilesTest {
  private static List<Path> confFiles() throws IOException {
    try (Stream<Path> files = Files.list(Repo.root().resolve("conf"))) {
      return files.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
    }
  }

  @Test
  void everyEnvironmentFileLoadsAndValidates() throws IOException {
    List<Path> files = confFiles();
    assertThat(files).extracting(p -> p.getFileName().toString())
        .contains("local.conf", "databricks.conf", "hdinsight.conf");
    for (Path file : files) {
      Settings settings = Settings.load(file.toString(), List.of());
      assertThat(settings.storage().root()).as(file.toString()).isNotBlank();
    }
  }

  @Test
  void noSecretIsWrittenInAConfFile() throws IOException {
    Pattern assignment = Pattern.compile("^\\s*(\"?[\\w.\\-\"]+\"?)\\s*[=:]\\s*(.+)$");
    List<String> offenders = new ArrayList<>();
    for (Path file : confFiles()) {
      for (String line : Files.readAllLines(file)) {
        Matcher m = assignment.matcher(line);
        // A secret may only be a ${?ENV} substitution, never a literal value.
        if (!line.trim().startsWith("#") && m.matches() && PipelineConfig.isSecret(m.group(1))
            && !m.group(2).trim().startsWith("${")) {
          offenders.add(file.getFileName() + ": " + line.trim());
        }
      }
    }
    assertThat(offenders).as("secret values must come from the environment (${?VAR}) or a secret scope").isEmpty();
  }

  @Test
  void theSecretScanFindsALiteralSecret() {
    Pattern assignment = Pattern.compile("^\\s*(\"?[\\w.\\-\"]+\"?)\\s*[=:]\\s*(.+)$");
    Matcher m = assignment.matcher("  \"spark.hadoop.fs.azure.account.key.x.blob.core.windows.net\" = \"abc\"");
    assertThat(m.matches()).isTrue();
    assertThat(PipelineConfig.isSecret(m.group(1))).isTrue();
  }
}
