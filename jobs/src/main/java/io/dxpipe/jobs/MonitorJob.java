package io.dxpipe.jobs;

import io.dxpipe.config.Settings;
import io.dxpipe.job.Job;
import io.dxpipe.job.JobRunner;
import io.dxpipe.job.JobSummary;
import org.apache.spark.sql.SparkSession;
import io.dxpipe.monitor.Finding;
import io.dxpipe.monitor.MonitorStage;

/** Drift and data-quality monitoring of a scoring day; signals retraining. */
public final class MonitorJob implements Job<MonitorStage.Options> {
  static final String DESCRIPTION = "Compares a scoring day (dxpipe.monitor.date) with the model's training baseline "
      + "(feature and predicted-class drift, data quality) and, where delayed labels arrived, measures performance "
      + "per day; writes the monitoring table, MLflow metrics and plots. When a threshold is crossed it signals "
      + "retraining: flag file, Databricks task value, and exit code dxpipe.monitor.signal.exit-code (4).";

  private MonitorJob() {}

  public static void main(String[] args) {
    JobRunner.main(new MonitorJob(), args);
  }

  static int run(String[] args) {
    return JobRunner.run(new MonitorJob(), args, System.out);
  }

  @Override
  public String name() {
    return MonitorStage.JOB;
  }

  @Override
  public String description() {
    return DESCRIPTION;
  }

  /**
   * read: the day's records in dxpipe.monitor.input; written and rejected: the score job's
   * predictions and rejections of the day. They need not add up (the score job may have read another
   * input: bronze keeps duplicates, a landing run reads raw files), and the score job's own summary
   * keeps that balance, so this one declares none rather than repeat it as a tautology.
   */
  static JobSummary counts(MonitorStage.Outcome o) {
    return JobSummary.withoutBalance(MonitorStage.JOB, o.records(), o.scored(), o.rejected(),
        "written and rejected are the score job's predictions and rejections of the day (its summary balances "
        + "them); read is the day's records in dxpipe.monitor.input, which may differ from the score job's input");
  }

  @Override
  public MonitorStage.Options settings(Settings settings) {
    return MonitorStage.Options.parse(settings);
  }

  @Override
  public JobSummary execute(MonitorStage.Options settings, SparkSession spark) throws Exception {
    MonitorStage.Outcome o = new MonitorStage(spark, settings, System.out).run();
    System.out.println("[dxpipe] monitoring figures of " + o.date() + ":");
    o.findings().forEach(f -> System.out.println("  " + f.line()));
    JobSummary summary = counts(o);
    summary.detail("day", o.date() + ": " + o.records() + " input records");
    summary.detail("model", o.model());
    summary.detail("figures", o.findings().size() + " rows in " + settings.storage().monitoring());
    summary.detail("thresholds crossed", o.breaches().size());
    int n = 0;
    for (Finding b : o.breaches()) {
      summary.detail("crossed " + ++n, b.scoringDate() + " " + b.line().trim());
    }
    summary.detail("retrain", o.retrain() ? "YES: signal " + o.signalFile() : "no");
    summary.detail("plots", o.reportDir() + "/{drift,trend}.png");
    summary.detail("mlflow", o.tracking());
    int exitCode = settings.monitor().exitCode();
    if (o.retrain() && exitCode > 0) {
      summary.exitCode(exitCode);
    }
    return summary;
  }
}
