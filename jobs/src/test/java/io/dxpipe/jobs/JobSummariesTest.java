package io.dxpipe.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.job.JobSummary;
import io.dxpipe.monitor.MonitorStage;
import io.dxpipe.validate.GateSettings;
import io.dxpipe.validate.ValidateStage;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each job's summary either keeps a balance between independent counts, or says why it has none. */
class JobSummariesTest {
  @Test
  void theTrainJobFailsWhenAGoldRecordIsInNoSplit() {
    Map<String, Long> used = Map.of("train", 5L, "validation", 2L, "test", 2L);
    assertThatThrownBy(() -> TrainJob.counts(10, used).check())
        .hasMessage("TrainJob: counts do not add up: read 10 != written 9 + rejected 0 (1 records unaccounted for)");
    assertThat(TrainJob.counts(9, used).check().balance())
        .isEqualTo(JobSummary.Balance.READ_EQUALS_WRITTEN_PLUS_REJECTED);
  }

  @Test
  void theDeltaCopyReferenceFailsWhenItsCommitWroteOtherRowsThanItRead() {
    assertThatThrownBy(() -> DeltaCopyReference.counts(100, 98).check()).hasMessage(
        "DeltaCopyReference: counts do not add up: read 100 != written 98 + rejected 0 (2 records unaccounted for)");
    assertThat(String.join("\n", DeltaCopyReference.counts(100, 100).check().lines()))
        .containsPattern("balance +read = written \\+ rejected");
  }

  @Test
  void theValidateMonitorAndJsonReferenceJobsDeclareThatTheyKeepNoBalance() {
    JobSummary validate = ValidateJob.counts(new ValidateStage.Outcome(GateSettings.Mode.ENABLED, "m", 2, 1, List.of(),
        false, false, "", ""));
    assertThat(validate.check().balance()).isEqualTo(JobSummary.Balance.NONE);
    assertThat(String.join("\n", validate.lines())).containsPattern("rejected +1")
        .containsPattern("balance +none: a gate decision on one model version, not records");

    // the monitor's input may hold more records than the score job scored (bronze keeps duplicates)
    JobSummary monitor = MonitorJob.counts(new MonitorStage.Outcome("r", LocalDate.of(2026, 1, 2), 12, 9, 1, "m",
        List.of(), List.of(), null, "", ""));
    assertThat(monitor.check().balance()).isEqualTo(JobSummary.Balance.NONE);
    assertThat(String.join("\n", monitor.lines())).containsPattern("read +12").containsPattern("written +9")
        .containsPattern("balance +none: written and rejected are the score job's predictions");

    JobSummary json = JsonToDeltaReference.counts(40);
    assertThat(json.check().balance()).isEqualTo(JobSummary.Balance.NONE);
    assertThat(json.lines()).anyMatch(l -> l.matches("  read +not counted"))
        .anyMatch(l -> l.matches("  written +40")) // scripts/bench-ingest.sh reads this line
        .anyMatch(l -> l.matches("  balance +none: a benchmark reference: .*"));
  }
}
