package io.dxpipe.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobArgumentsTest {
  @Test
  void confAndOverrides() {
    JobArguments a = JobArguments.parse("--conf", "conf/local.conf", "generate.records=10", "generate.mode=daily");
    assertThat(a.confFile()).isEqualTo("conf/local.conf");
    assertThat(a.overrides()).containsExactly("generate.records=10", "generate.mode=daily");
    assertThat(a.help()).isFalse();
  }

  @Test
  void confIsRequiredAndMayNameABundledConfiguration() {
    assertThatThrownBy(() -> JobArguments.parse("generate.records=1")).hasMessageContaining("--conf is required");
    assertThat(JobArguments.parse("--conf=databricks").confFile()).isEqualTo("databricks");
  }

  @Test
  void badArgumentsAreExplained() {
    assertThatThrownBy(() -> JobArguments.parse("--conf")).hasMessageContaining("--conf needs a file");
    assertThatThrownBy(() -> JobArguments.parse("--records", "5")).hasMessageContaining("unknown option '--records'");
    assertThatThrownBy(() -> JobArguments.parse("generate")).hasMessageContaining("settings are given as key=value");
    assertThatThrownBy(() -> JobArguments.parse("--conf", "a", "--conf", "b")).hasMessageContaining("--conf given twice");
  }

  @Test
  void anUnknownOptionIsNamedWithoutItsValue() {
    assertThatThrownBy(() -> JobArguments.parse("--conf", "local", "--patient-key=SECRETVALUE"))
        .hasMessageContaining("unknown option '--patient-key'").message().doesNotContain("SECRETVALUE");
  }

  @Test
  void check() {
    assertThat(JobArguments.parse("--conf", "local", "--check").check()).isTrue();
    assertThat(JobArguments.parse("--conf", "local").check()).isFalse();
  }

  @Test
  void help() {
    assertThat(JobArguments.parse("--help").help()).isTrue();
    assertThat(JobArguments.usage("io.dxpipe.jobs.X", "Does X")).contains("--class io.dxpipe.jobs.X").contains("Exit codes");
  }
}
