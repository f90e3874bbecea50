package io.dxpipe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.generate.GenerateSettings;
import io.dxpipe.generate.GenerateSettings.GenerationMode;
import io.dxpipe.ingest.SourceFormat;
import io.dxpipe.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigTest {
  @TempDir
  Path dir;

  @AfterEach
  void clearProperties() {
    System.clearProperty("dxpipe.generate.records");
    System.clearProperty("dxpipe.generate.seed");
  }

  private String conf(String body) throws IOException {
    Path file = dir.resolve("test.conf");
    Files.writeString(file, body);
    return file.toString();
  }

  @Test
  void localConfHasDefaultsForEverything() {
    Settings s = Settings.load(Repo.root().resolve("conf/local.conf").toString(), List.of());
    assertThat(s.environment()).isEqualTo(Environment.LOCAL);
    assertThat(s.storage().root()).startsWith("file:/").endsWith("/data");
    assertThat(s.storage().landing()).isEqualTo(s.storage().root() + "/landing");
    assertThat(s.spark().master()).isEqualTo("local[*]");
    GenerateSettings generate = GenerateSettings.from(s.config());
    assertThat(generate.records()).isEqualTo(1500);
    assertThat(generate.mode()).isEqualTo(GenerationMode.HISTORICAL);
    assertThat(generate.formatShares().values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void argumentsBeatSystemPropertiesWhichBeatTheFile() throws IOException {
    String file = conf("dxpipe { storage.root = \"file:/tmp/x\", generate { records = 10, seed = 5 } }");
    System.setProperty("dxpipe.generate.records", "20");
    System.setProperty("dxpipe.generate.seed", "6");
    Settings s = Settings.load(file, List.of("generate.records=30"));
    assertThat(GenerateSettings.from(s.config()).records()).isEqualTo(30);
    assertThat(GenerateSettings.from(s.config()).seed()).isEqualTo(6);
    Settings withPrefix = Settings.load(file, List.of("dxpipe.generate.records=31"));
    assertThat(GenerateSettings.from(withPrefix.config()).records()).isEqualTo(31);
  }

  @Test
  void substitutionsFollowAnOverriddenRoot() throws IOException {
    Settings s = Settings.load(conf("dxpipe.storage.root = \"wasb://lake@devstoreaccount1/dx\""), List.of());
    assertThat(s.storage().landing()).isEqualTo("wasb://lake@devstoreaccount1/dx/landing");
    assertThat(s.storage().manifests()).isEqualTo("wasb://lake@devstoreaccount1/dx/_manifests");
  }

  @Test
  void relativeFileRootBecomesAbsolute() throws IOException {
    Settings s = Settings.load(conf("dxpipe.storage.root = \"file:./some/data\""), List.of());
    assertThat(s.storage().root()).isEqualTo(Path.of("some/data").toAbsolutePath().normalize().toUri().toString()
        .replaceAll("/$", ""));
  }

  @Test
  void unknownKeyIsRejectedWithItsSiblings() throws IOException {
    String file = conf("dxpipe { storage.root = \"file:/tmp/x\", generate.recrods = 10 }");
    assertThatThrownBy(() -> Settings.load(file, List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unknown configuration key 'dxpipe.generate.recrods'")
        .hasMessageContaining("test.conf")
        .hasMessageContaining("records");
  }

  @Test
  void unknownOverrideIsRejected() throws IOException {
    String file = conf("dxpipe.storage.root = \"file:/tmp/x\"");
    assertThatThrownBy(() -> Settings.load(file, List.of("generate.colour=blue")))
        .hasMessageContaining("unknown configuration key 'dxpipe.generate.colour'");
  }

  @Test
  void missingStorageRootNamesTheKeyAndTheVariable() throws IOException {
    String file = conf("dxpipe.environment = cluster");
    assertThatThrownBy(() -> Settings.load(file, List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dxpipe.storage.root is not set")
        .hasMessageContaining("DXPIPE_STORAGE_ROOT");
  }

  private static GenerateSettings generate(String file, String override) {
    return GenerateSettings.from(Settings.load(file, List.of(override)).config());
  }

  @Test
  void invalidValuesNameTheKey() throws IOException {
    // the generator's settings are read by the generator (GenerateSettings), the others by every job (Settings)
    String file = conf("dxpipe.storage.root = \"file:/tmp/x\"");
    assertThatThrownBy(() -> generate(file, "generate.records=0"))
        .hasMessageContaining("dxpipe.generate.records must be between 1");
    assertThatThrownBy(() -> generate(file, "generate.mode=weekly"))
        .hasMessageContaining("dxpipe.generate.mode must be one of historical, daily but is 'weekly'");
    assertThatThrownBy(() -> generate(file, "generate.dirty.duplicate-same-source-rate=1.5"))
        .hasMessageContaining("dxpipe.generate.dirty.duplicate-same-source-rate must be between 0.0 and 1.0");
    assertThatThrownBy(() -> generate(file, "generate.records=many"))
        .hasMessageContaining("dxpipe.generate.records");
    assertThatThrownBy(() -> generate(file, "generate.date=25/11/2026"))
        .hasMessageContaining("dxpipe.generate.date must be a date yyyy-MM-dd or 'today'");
    assertThatThrownBy(() -> Settings.load(file, List.of("spark.conf.foo=1")))
        .hasMessageContaining("dxpipe.spark.conf holds 'foo', which is not a Spark setting");
  }

  @Test
  void malformedFileNamesTheFile() throws IOException {
    String file = conf("dxpipe { storage.root = ");
    assertThatThrownBy(() -> Settings.load(file, List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cannot parse configuration " + file);
  }

  @Test
  void missingConfFileIsExplained() {
    assertThatThrownBy(() -> Settings.load("conf/nope.conf", List.of()))
        .hasMessageContaining("--conf conf/nope.conf: no such file")
        .hasMessageContaining("bundled: local, databricks, hdinsight");
  }

  @Test
  void bundledConfigurationsLoadByName() {
    assertThat(Settings.load("local", List.of()).environment()).isEqualTo(Environment.LOCAL);
    String root = "storage.root=abfss://lake@acct.dfs.core.windows.net/dx";
    Settings databricks = Settings.load("databricks", List.of(root));
    assertThat(databricks.environment()).isEqualTo(Environment.DATABRICKS);
    assertThat(databricks.storage().landing()).isEqualTo("abfss://lake@acct.dfs.core.windows.net/dx/landing");
    assertThat(Settings.load("hdinsight", List.of(root)).environment()).isEqualTo(Environment.HDINSIGHT);
    // cluster configurations have no storage root of their own: the deployment must give it
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("DXPIPE_STORAGE_ROOT") == null);
    assertThatThrownBy(() -> Settings.load("databricks", List.of())).hasMessageContaining("dxpipe.storage.root is not set");
  }

  @Test
  void sparkConfKeysArePassedWhole() throws IOException {
    Settings s = Settings.load(conf("dxpipe { storage.root = \"file:/tmp/x\"\n"
        + " spark.conf { \"spark.sql.shuffle.partitions\" = 64, \"spark.hadoop.fs.azure.account.key.acct.blob.core.windows.net\" = abc } }"),
        List.of());
    assertThat(s.spark().conf()).containsEntry("spark.sql.shuffle.partitions", "64");
  }

  @Test
  void sparkSettingsCanBeOverriddenInEitherForm() throws IOException {
    String file = conf("dxpipe { storage.root = \"file:/tmp/x\"\n spark.conf { \"spark.sql.shuffle.partitions\" = 8 } }");
    assertThat(Settings.load(file, List.of()).spark().conf()).containsEntry("spark.sql.shuffle.partitions", "8");
    assertThat(Settings.load(file, List.of("spark.conf.spark.sql.shuffle.partitions=4")).spark().conf())
        .containsEntry("spark.sql.shuffle.partitions", "4").hasSize(1);
    System.setProperty("dxpipe.spark.conf.spark.sql.shuffle.partitions", "6");
    try {
      assertThat(Settings.load(file, List.of()).spark().conf()).containsEntry("spark.sql.shuffle.partitions", "6");
    } finally {
      System.clearProperty("dxpipe.spark.conf.spark.sql.shuffle.partitions");
    }
  }

  @Test
  void invalidEnvironmentNamesTheKey() throws IOException {
    String file = conf("dxpipe.storage.root = \"file:/tmp/x\"");
    assertThatThrownBy(() -> Settings.load(file, List.of("environment=prod")))
        .hasMessageContaining("dxpipe.environment must be one of local, cluster, databricks, hdinsight but is 'prod'");
  }

  @Test
  void secretsAreMaskedWhenPrinted() throws IOException {
    Settings s = Settings.load(conf("dxpipe { storage.root = \"file:/tmp/x\"\n"
        + " spark.conf { \"spark.hadoop.fs.azure.account.key.acct.blob.core.windows.net\" = \"s3cr3t-value\"\n"
        + "  \"spark.hadoop.fs.azure.account.oauth2.client.secret\" = \"other-s3cr3t\" } }"), List.of());
    List<String> printed = s.config().render();
    assertThat(String.join("\n", printed)).doesNotContain("s3cr3t").contains("****** (set)")
        .contains("dxpipe.generate.records = 1500");
  }

  private static final String SAS_ROOT = "wasb://c@a.blob.core.windows.net/x?sv=2022&sig=SECRETSIG";
  private static final String MLFLOW_WITH_PASSWORD = "https://user:SECRETPW@host";

  @Test
  void credentialsInUrisAreMaskedWhenPrinted() throws IOException {
    Settings s = Settings.load(conf("dxpipe { storage.root = \"" + SAS_ROOT + "\"\n"
        + " mlflow.tracking-uri = \"" + MLFLOW_WITH_PASSWORD + "\" }"), List.of());
    assertThat(s.storage().root()).isEqualTo(SAS_ROOT); // masked when printed, not when used
    String printed = String.join("\n", s.config().render());
    assertThat(printed).doesNotContain("SECRETSIG").doesNotContain("SECRETPW")
        .contains("dxpipe.storage.root = \"wasb://c@a.blob.core.windows.net/x?sv=2022&sig=****\"")
        .contains("dxpipe.mlflow.tracking-uri = \"https://user:****@host\"")
        .contains("dxpipe.storage.landing = \"wasb://c@a.blob.core.windows.net/x?sv=2022&sig=****");
  }

  @Test
  void anUnknownKeyIsNamedButItsValueNeverShown() throws IOException {
    String file = conf("dxpipe.storage.root = \"file:/tmp/x\"");
    assertThatThrownBy(() -> Settings.load(file, List.of("ingest.patient-kye=SECRETVALUE")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unknown configuration key 'dxpipe.ingest.patient-kye' (argument ingest.patient-kye")
        .hasMessageContaining("patient-key")
        .message().doesNotContain("SECRETVALUE");
    String inFile = conf("dxpipe { storage.root = \"file:/tmp/x\", ingest.patient-kye = SECRETVALUE }");
    assertThatThrownBy(() -> Settings.load(inFile, List.of()))
        .hasMessageContaining("unknown configuration key 'dxpipe.ingest.patient-kye'")
        .message().doesNotContain("SECRETVALUE");
  }

  @Test
  void anUnparsableValueOfASecretKeyIsNotEchoed() throws IOException {
    String file = conf("dxpipe.storage.root = \"file:/tmp/x\"");
    assertThatThrownBy(() -> Settings.load(file, List.of("ingest.patient-key=[SECRETVALUE")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cannot parse the value of dxpipe.ingest.patient-key")
        .message().doesNotContain("SECRETVALUE");
    // other keys still show what is wrong
    assertThatThrownBy(() -> Settings.load(file, List.of("generate.records=[12")))
        .hasMessageContaining("cannot parse the value of dxpipe.generate.records (argument generate.records=[12)");
  }

  @Test
  void storageErrorsMaskTheSasSignature() throws IOException {
    assertThatThrownBy(() -> Settings.load(conf("dxpipe.storage.root = \"wasb://c@a/x y?sig=SECRETSIG\""), List.of()))
        .hasMessageContaining("dxpipe.storage.root is not a storage URI")
        .hasMessageContaining("sig=****")
        .message().doesNotContain("SECRETSIG");
  }

  @Test
  void wrongTypedValuesFailAtLoadNamingTheKeyAndWhatIsExpected() throws IOException {
    String file = conf("dxpipe.storage.root = \"file:/tmp/x\"");
    assertThatThrownBy(() -> Settings.load(file, List.of("ingest.max-files-per-batch=abc")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dxpipe.ingest.max-files-per-batch must be a number but is \"abc\"")
        .hasMessageContaining("argument ingest.max-files-per-batch");
    assertThatThrownBy(() -> Settings.load(file, List.of("ingest.max-file-bytes=-5")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dxpipe.ingest.max-file-bytes must be a size in bytes of at least 0 but is -5");
    assertThatThrownBy(() -> Settings.load(file, List.of("ingest.max-file-bytes=lots")))
        .hasMessageContaining("dxpipe.ingest.max-file-bytes must be a size in bytes (a number, or with a unit: 16k, 4m)");
    assertThatThrownBy(() -> Settings.load(file, List.of("train.compare-unweighted=maybe")))
        .hasMessageContaining("dxpipe.train.compare-unweighted must be true or false but is \"maybe\"");
    // strings that are numbers (environment variables, system properties) and byte units still load
    System.setProperty("dxpipe.generate.seed", "6");
    assertThat(Settings.load(file, List.of("ingest.max-file-bytes=4m")).config().dxpipe()
        .getBytes("ingest.max-file-bytes")).isEqualTo(4L << 20);
  }

  @Test
  void aWrongTypeMetWhileReadingSettingsIsExplainedByItsFullKey() throws IOException {
    PipelineConfig c = Settings.load(conf("dxpipe.storage.root = \"file:/tmp/x\""),
        List.of("ingest.max-files-per-batch=99999999999")).config();
    com.typesafe.config.ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(
        com.typesafe.config.ConfigException.class, () -> c.dxpipe().getConfig("ingest").getInt("max-files-per-batch"));
    assertThat(c.explain(e)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dxpipe.ingest.max-files-per-batch must be a whole number up to 2147483647")
        .hasMessageContaining("argument ingest.max-files-per-batch");
  }

  @Test
  void secretKeyDetection() {
    assertThat(PipelineConfig.isSecret("secrets.patient-key-hmac")).isTrue();
    assertThat(PipelineConfig.isSecret("spark.conf.\"spark.hadoop.fs.azure.sas.token\"")).isTrue();
    assertThat(PipelineConfig.isSecret("generate.records-per-file")).isFalse();
    assertThat(PipelineConfig.isSecret("storage.landing")).isFalse();
  }

  @Test
  void formatSharesAreNormalisedAndAFormatCanBeSwitchedOff() throws IOException {
    Settings s = Settings.load(conf("dxpipe { storage.root = \"file:/tmp/x\"\n"
        + " generate.format-shares.historical { json = 2, jsonl = 2, registry-xml = 0, csv = 0, fhir = 0 } }"), List.of());
    assertThat(GenerateSettings.from(s.config()).formatShares()).containsEntry(SourceFormat.JSON, 0.5)
        .containsEntry(SourceFormat.REGISTRY_XML, 0.0);
  }

  @Test
  void todayIsTheUtcDate() throws IOException {
    Settings s = Settings.load(conf("dxpipe.storage.root = \"file:/tmp/x\""), List.of("generate.date=today"));
    assertThat(GenerateSettings.from(s.config()).date()).isEqualTo(LocalDate.now(java.time.ZoneOffset.UTC));
  }
}
