package io.dxpipe.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobSummaryTest {
  @Test
  void countsThatDoNotAddUpFailTheJob() {
    JobSummary s = new JobSummary("IngestJob", 100, 90, 9, JobSummary.Balance.READ_EQUALS_WRITTEN_PLUS_REJECTED);
    assertThatThrownBy(s::check).hasMessageContaining("read 100 != written 90 + rejected 9 (1 records unaccounted for)");
  }

  @Test
  void balancedCountsPrint() {
    JobSummary s = new JobSummary("IngestJob", 100, 90, 10, JobSummary.Balance.READ_EQUALS_WRITTEN_PLUS_REJECTED)
        .check().detail("files", 12);
    assertThat(s.lines()).first().isEqualTo("== IngestJob summary ==");
    assertThat(String.join("\n", s.lines())).containsPattern("read\\s+100").containsPattern("rejected\\s+10")
        .containsPattern("files\\s+12");
  }

  @Test
  void storageLocationsInTheSummaryHaveTheirCredentialsMasked() {
    JobSummary s = new JobSummary("CleanJob", 1, 1, 0, JobSummary.Balance.READ_EQUALS_WRITTEN_PLUS_REJECTED)
        .detail("silver table", "wasb://c@a.blob.core.windows.net/x?sv=2022&sig=SECRETSIG/silver/records");
    assertThat(String.join("\n", s.lines())).contains("wasb://c@a.blob.core.windows.net/x?sv=2022&sig=****")
        .doesNotContain("SECRETSIG");
  }

  @Test
  void aSummaryWithoutABalanceMustSayWhy() {
    assertThatThrownBy(() -> new JobSummary("ValidateJob", 1, 1, 0, JobSummary.Balance.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ValidateJob: a summary without a balance states why: use JobSummary.withoutBalance");
    assertThatThrownBy(() -> JobSummary.withoutBalance("ValidateJob", 1, 1, 0, " "))
        .hasMessageContaining("ValidateJob: a summary without a balance needs the reason why");
    JobSummary s = JobSummary.withoutBalance("ValidateJob", 1, 0, 0, "a gate decision").check();
    assertThat(s.lines()).contains("  balance   none: a gate decision");
  }
}
