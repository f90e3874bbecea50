package io.dxpipe.jobs;

import io.dxpipe.config.Settings;
import io.dxpipe.job.Job;
import io.dxpipe.job.JobRunner;
import io.dxpipe.job.JobSummary;
import org.apache.spark.sql.SparkSession;
import io.dxpipe.validate.GateSettings;
import io.dxpipe.validate.ValidateStage;

/** The validation gate: promotes the challenger to champion when it meets every threshold. */
public final class ValidateJob implements Job<ValidateStage.Options> {
  static final String DESCRIPTION = "Checks the registered challenger's test metrics against the absolute thresholds "
      + "and the current champion (dxpipe.validate), records the outcome in MLflow and, in mode enabled, moves the "
      + "alias champion to it. Exit code 3 when the model fails the gate.";

  private ValidateJob() {}

  public static void main(String[] args) {
    JobRunner.main(new ValidateJob(), args);
  }

  static int run(String[] args) {
    return JobRunner.run(new ValidateJob(), args, System.out);
  }

  @Override
  public String name() {
    return ValidateStage.JOB;
  }

  @Override
  public String description() {
    return DESCRIPTION;
  }

  /** A gate decision on one model version, not records: its counts have no balance to keep. */
  static JobSummary counts(ValidateStage.Outcome o) {
    if (o.mode() == GateSettings.Mode.DISABLED) {
      return JobSummary.withoutBalance(ValidateStage.JOB, 0, 0, 0, "the gate is disabled: no model read");
    }
    return JobSummary.withoutBalance(ValidateStage.JOB, 1, o.passed() ? 1 : 0, o.passed() ? 0 : 1,
        "a gate decision on one model version, not records: read is the candidate, written 1 if it passed, "
        + "rejected 1 if it failed");
  }

  @Override
  public ValidateStage.Options settings(Settings settings) {
    return ValidateStage.Options.parse(settings);
  }

  @Override
  public JobSummary execute(ValidateStage.Options settings, SparkSession spark) throws Exception {
    ValidateStage.Outcome o = new ValidateStage(settings, System.out).run(spark.sparkContext().hadoopConfiguration());
    if (o.mode() == GateSettings.Mode.DISABLED) {
      return counts(o).detail("mode", "disabled (dxpipe.validate.mode): nothing checked");
    }
    JobSummary summary = counts(o);
    summary.detail("candidate", o.model() + " version " + o.candidate());
    summary.detail("champion before", o.champion() == null ? "none" : "version " + o.champion());
    summary.detail("mode", o.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    summary.detail("outcome", (o.passed() ? "PASSED" : "FAILED") + (o.promoted() ? ", promoted to champion"
        : o.passed() ? ", not promoted (dry run)" : ", not promoted"));
    int failed = 0;
    for (var v : o.verdicts()) {
      if (!v.passed()) {
        summary.detail("failed " + ++failed, v.line());
      }
    }
    summary.detail("mlflow", o.tracking());
    if (!o.passed() && o.mode() == GateSettings.Mode.ENABLED) {
      summary.exitCode(JobRunner.REFUSED);
    }
    return summary;
  }
}
