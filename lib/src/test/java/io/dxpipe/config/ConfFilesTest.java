package io.dxpipe.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.clean.CleanStage;
import io.dxpipe.features.FeatureStage;
import io.dxpipe.generate.GenerateSettings;
import io.dxpipe.score.ScoreStage;
import io.dxpipe.testing.Repo;
import io.dxpipe.validate.ValidateStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
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
      // cluster files take the root from the deployment (DXPIPE_STORAGE_ROOT or an argument)
      Settings settings = Settings.load(file.toString(), List.of("storage.root=abfss://c@a.dfs.core.windows.net/x"));
      assertThat(settings.storage().landing()).as(file.toString()).isEqualTo("abfss://c@a.dfs.core.windows.net/x/landing");
      // the settings each job reads for itself (ingest, train and monitor need the deployment's key and MLflow)
      GenerateSettings.from(settings.config());
      CleanStage.Options.parse(settings);
      FeatureStage.Options.parse(settings);
      ValidateStage.Options.parse(settings);
      ScoreStage.Options.parse(settings);
    }
  }

  @Test
  void noSecretIsWrittenInAConfFile() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (Path file : confFiles()) {
      offenders.addAll(literalSecrets(file.getFileName().toString(), Files.readString(file)));
    }
    assertThat(offenders).as("secret values must come from the environment (${?VAR}) or a secret scope").isEmpty();
  }

  @Test
  void theSecretScanFindsLiteralSecretsInAnyLayout() {
    assertThat(literalSecrets("t", "dxpipe { secrets { hmac-key = \"x\" } }")).hasSize(1);
    assertThat(literalSecrets("t", "dxpipe.spark.conf { \"spark.hadoop.fs.azure.account.key.a.blob.core.windows.net\" = abc }"))
        .hasSize(1);
    assertThat(literalSecrets("t", "dxpipe.secrets.hmac-key = ${?DXPIPE_HMAC_KEY}")).isEmpty();
  }

  /** Secret-named keys whose value is a literal (not a ${?VAR} substitution), walking the parsed HOCON tree. */
  static List<String> literalSecrets(String name, String hocon) {
    List<String> found = new ArrayList<>();
    walk(name, "", ConfigFactory.parseString(hocon).root(), found);
    return found;
  }

  private static void walk(String file, String path, ConfigObject object, List<String> found) {
    for (var e : object.entrySet()) {
      String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      ConfigValue v = e.getValue();
      if (v instanceof ConfigObject child) {
        walk(file, key, child, found);
        continue;
      }
      boolean literal;
      try {
        literal = v.valueType() != ConfigValueType.NULL;
      } catch (ConfigException.NotResolved substitution) {
        literal = false;
      }
      if (literal && PipelineConfig.isSecret(key)) {
        found.add(file + ": " + key);
      }
    }
  }
}
