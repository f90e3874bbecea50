package io.dxpipe.jobs;

import io.dxpipe.config.Settings;
import io.dxpipe.job.Job;
import io.dxpipe.job.JobRunner;
import io.dxpipe.job.JobSummary;
import org.apache.spark.sql.SparkSession;
import io.dxpipe.score.ScoreStage;
import java.util.Locale;

/** Daily batch scoring: one day's records, the champion model, the predictions table. */
public final class ScoreJob implements Job<ScoreStage.Options> {
  static final String DESCRIPTION = "Scores one day's records (dxpipe.score.date, from silver or bronze) with the "
      + "registered model (alias champion by default) into the predictions Delta table, replacing that date; "
      + "records that cannot be scored go to the scoring quarantine with the reason.";

  private ScoreJob() {}

  public static void main(String[] args) {
    JobRunner.main(new ScoreJob(), args);
  }

  static int run(String[] args) {
    return JobRunner.run(new ScoreJob(), args, System.out);
  }

  @Override
  public String name() {
    return ScoreStage.JOB;
  }

  @Override
  public String description() {
    return DESCRIPTION;
  }

  @Override
  public ScoreStage.Options settings(Settings settings) {
    return ScoreStage.Options.parse(settings);
  }

  @Override
  public JobSummary execute(ScoreStage.Options settings, SparkSession spark) throws Exception {
    ScoreStage.Totals t = new ScoreStage(spark, settings, System.out).run();
    JobSummary summary = new JobSummary(ScoreStage.JOB, t.read(), t.scored(), t.rejected(),
        JobSummary.Balance.READ_EQUALS_WRITTEN_PLUS_REJECTED);
    summary.detail("input", t.input());
    summary.detail("model", t.model().describe());
    summary.detail("model uri", t.model().uri());
    summary.detail("rejected per reason", t.rejectedPerReason().isEmpty() ? "none" : t.rejectedPerReason());
    summary.detail("orphan predicted", t.orphanPredicted() + " records (an orphan disease in the top 3: "
        + t.orphanInTop3() + ")");
    summary.detail("scoring", String.format(Locale.ROOT, "%.1f s in %d tasks, %,.0f records/s", t.scoringSeconds(),
        t.tasks(), t.scored() / Math.max(t.scoringSeconds(), 1e-9)));
    summary.detail("predictions", settings.storage().predictions() + " (scoring_date="
        + settings.score().date() + ")");
    summary.detail("rejected to", settings.storage().scoringQuarantine());
    summary.detail("score run", t.runId());
    return summary;
  }
}
