package io.dxpipe.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/onboard.sh's exit codes: 0 usable, 1 not usable as configured, 2 bad arguments or configuration. */
class OnboardJobTest {
  @TempDir
  Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = OnboardJob.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aUsableFileExitsZeroAndOneWithTooFewClassesOne() throws Exception {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    Path conf = dir.resolve("t.conf");
    Files.writeString(conf, "include file(\"" + repo.resolve("conf/local.conf") + "\")\n"
        + "dxpipe.ingest.sources.t { format = csv, fields { record-id = \"#line\", diagnosis = D }, required = [record-id]"
        + ", symptom-flags.all-columns-except = [] }\n");
    Path landing = dir.resolve("landing/t/2026-11-25");
    Files.createDirectories(landing);
    Path file = Files.writeString(landing.resolve("t.csv"), "D,Chills,Coma\na,1,0\na,1,0\nb,0,1\nb,0,1\n");

    Run catalogue = run(file.toString(), "--conf", conf.toString());
    assertThat(catalogue.code()).as(catalogue.out() + catalogue.err()).isEqualTo(1);
    assertThat(catalogue.out()).contains("as source t (csv)").contains("NOT USABLE as configured");

    Run data = run(file.toString(), "--conf", conf.toString(), "labels.from=data", "labels.min-records=2");
    assertThat(data.code()).as(data.out() + data.err()).isZero();
    assertThat(data.out()).contains("train on 4 records of 2 classes: a, b").endsWith("onboarding check: USABLE\n");
  }

  @Test
  void badArgumentsExitTwoWithTheUsage() {
    assertThat(run().err()).contains("FILE is required").contains("Usage: scripts/onboard.sh FILE");
    assertThat(run().code()).isEqualTo(2);
    assertThat(run("x.csv", "--sample", "many").err()).contains("--sample needs a number of records, not 'many'");
    assertThat(run("no-such-file.csv").err()).contains("no such file: no-such-file.csv");
    assertThat(run("a.csv", "--what").err()).contains("unknown option '--what'");
    assertThat(run("--help").code()).isZero();
  }
}
