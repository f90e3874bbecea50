package io.dxpipe.jobs;

import io.dxpipe.job.JobRunner;
import io.dxpipe.job.JobSummary;
import io.dxpipe.validate.GateSettings;
import io.dxpipe.validate.ValidateStage;

/** The validation gate: promotes the challenger to champion when it meets every threshold. */
public final class ValidateJob {
  static final String DESCRIPTION = "Checks the registered challenger's test metrics against the absolute thresholds "
      + "and the current champion (dxpipe.validate), records the outcome in MLflow and, in mode enabled, moves the "
      + "alias champion to it. Exit code 3 when the model fails the gate.";

  private ValidateJob() {}

  public static void main(String[] args) {
    int code = run(args);
    if (code != JobRunner.OK) {
      System.exit(code);
    }
  }

  static int run(String[] args) {
    return new JobRunner(ValidateStage.JOB, DESCRIPTION, System.out).run(args, ValidateStage::validate,
        (settings, spark) -> {
      ValidateStage.Outcome o = new ValidateStage(settings, System.out).run(spark.sparkContext().hadoopConfiguration());
      if (o.mode() == GateSettings.Mode.DISABLED) {
        return new JobSummary(ValidateStage.JOB, 0, 0, 0, JobSummary.Balance.READ_EQUALS_WRITTEN_PLUS_REJECTED)
            .detail("mode", "disabled (dxpipe.validate.mode): nothing checked");
      }
      // read: the candidate; written: it passed; rejected: it failed
      JobSummary summary = new JobSummary(ValidateStage.JOB, 1, o.passed() ? 1 : 0, o.passed() ? 0 : 1,
          JobSummary.Balance.READ_EQUALS_WRITTEN_PLUS_REJECTED);
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
    });
  }
}
