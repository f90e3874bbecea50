package io.dxpipe.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.testing.Repo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import io.dxpipe.config.Settings;
import io.dxpipe.ingest.IngestSettings;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** What a job prints and returns before its body runs (--check: no Spark). */
class JobRunnerTest {
  private static final String SAS_ROOT = "storage.root=wasb://c@a.blob.core.windows.net/x?sv=2022&sig=SECRETSIG";
  private static final String MLFLOW = "mlflow.tracking-uri=https://user:SECRETPW@host";

  private record Run(int code, String output) {}

  private static Run check(Consumer<Settings> validate, String... overrides) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    List<String> args = new ArrayList<>(List.of("--conf", Repo.root().resolve("conf/local.conf").toString(), "--check"));
    args.addAll(List.of(overrides));
    Job<Settings> job = new Job<>() {
      @Override
      public String name() {
        return "TestJob";
      }

      @Override
      public String description() {
        return "a test";
      }

      @Override
      public Settings settings(Settings settings) {
        validate.accept(settings);
        return settings;
      }

      @Override
      public JobSummary execute(Settings settings, SparkSession spark) {
        throw new AssertionError("--check runs no body");
      }
    };
    int code = JobRunner.run(job, args.toArray(String[]::new), out);
    return new Run(code, bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theEffectiveConfigurationIsPrintedWithCredentialsMasked() {
    Run run = check(s -> { }, SAS_ROOT, MLFLOW);
    assertThat(run.code()).isEqualTo(JobRunner.OK);
    assertThat(run.output()).contains("dxpipe.storage.root = \"wasb://c@a.blob.core.windows.net/x?sv=2022&sig=****\"")
        .contains("dxpipe.mlflow.tracking-uri = \"https://user:****@host\"")
        .doesNotContain("SECRETSIG").doesNotContain("SECRETPW");
  }

  @Test
  void anUnknownKeyFailsWithUsageAndNoSecretInTheOutput() {
    Run run = check(s -> { }, SAS_ROOT, MLFLOW, "ingest.patient-kye=SECRETVALUE");
    assertThat(run.code()).isEqualTo(JobRunner.USAGE);
    assertThat(run.output()).contains("unknown configuration key 'dxpipe.ingest.patient-kye'")
        .doesNotContain("SECRETVALUE").doesNotContain("SECRETSIG").doesNotContain("SECRETPW");
  }

  @Test
  void aFailingJobsMessageAndStackTraceAreMasked() {
    Run run = check(s -> {
      throw new IllegalStateException("cannot list " + s.storage().landing());
    }, SAS_ROOT);
    assertThat(run.code()).isEqualTo(JobRunner.FAILED);
    assertThat(run.output()).contains("cannot list wasb://c@a.blob.core.windows.net/x?sv=2022&sig=****")
        .doesNotContain("SECRETSIG");
  }

  @Test
  void wrongTypedSettingsReadByAJobAreBadSettingsNamingTheKey() {
    Consumer<Settings> ingest = s -> IngestSettings.from(s.config().dxpipe(), s.environment());
    Run tooBig = check(ingest, "ingest.max-files-per-batch=99999999999");
    assertThat(tooBig.code()).isEqualTo(JobRunner.USAGE);
    assertThat(tooBig.output()).contains("TestJob: dxpipe.ingest.max-files-per-batch must be a whole number up to 2147483647")
        .doesNotContain("at io.dxpipe"); // no stack trace
    Run notANumber = check(ingest, "ingest.max-files-per-batch=abc");
    assertThat(notANumber.code()).isEqualTo(JobRunner.USAGE);
    assertThat(notANumber.output()).contains("dxpipe.ingest.max-files-per-batch must be a number but is \"abc\"");
    Run negative = check(ingest, "ingest.max-file-bytes=-5");
    assertThat(negative.code()).isEqualTo(JobRunner.USAGE);
    assertThat(negative.output()).contains("dxpipe.ingest.max-file-bytes must be a size in bytes of at least 0");
  }
}
