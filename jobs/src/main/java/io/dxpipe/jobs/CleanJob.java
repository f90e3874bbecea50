package io.dxpipe.jobs;

import io.dxpipe.clean.CleanStage;
import io.dxpipe.config.Settings;
import io.dxpipe.job.Job;
import io.dxpipe.job.JobRunner;
import io.dxpipe.job.JobSummary;
import org.apache.spark.sql.SparkSession;

/** Cleans bronze into silver (vocabularies, units, outliers, duplicates) behind data-quality checks. */
public final class CleanJob implements Job<CleanStage.Options> {
  static final String DESCRIPTION = "Cleans the bronze records (all, or one delivery date: clean.delivery-date) into "
      + "the silver Delta table: canonical vocabularies and units, impossible values nulled and flagged, duplicates "
      + "removed and recorded. Data-quality checks (dxpipe.quality.tables) run on bronze and silver; their results are "
      + "stored, and a failed error-severity check stops the job before silver is written.";

  private CleanJob() {}

  public static void main(String[] args) {
    JobRunner.main(new CleanJob(), args);
  }

  static int run(String[] args) {
    return JobRunner.run(new CleanJob(), args, System.out);
  }

  @Override
  public String name() {
    return CleanStage.JOB;
  }

  @Override
  public String description() {
    return DESCRIPTION;
  }

  @Override
  public CleanStage.Options settings(Settings settings) {
    return CleanStage.Options.parse(settings);
  }

  @Override
  public JobSummary execute(CleanStage.Options settings, SparkSession spark) throws Exception {
    CleanStage.Totals t = new CleanStage(spark, settings, System.out).run();
    var storage = settings.storage();
    JobSummary summary = new JobSummary(CleanStage.JOB, t.bronze(), t.silver(), t.duplicates(),
        JobSummary.Balance.READ_EQUALS_WRITTEN_PLUS_REJECTED);
    summary.detail("input", t.input());
    summary.detail("duplicates", t.duplicatesPerRule().isEmpty() ? "none" : t.duplicatesPerRule().toString());
    summary.detail("flagged records", t.flaggedRecords() + " (flags by kind " + t.flags() + ")");
    t.quality().forEach(r -> summary.detail("quality " + r.table(), r.summary()));
    summary.detail("silver table", storage.silver());
    summary.detail("duplicates table", storage.duplicates());
    summary.detail("quality table", storage.quality());
    summary.detail("run id", t.runId());
    return summary;
  }
}
