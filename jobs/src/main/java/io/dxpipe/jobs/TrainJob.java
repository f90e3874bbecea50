package io.dxpipe.jobs;

import io.dxpipe.config.Settings;
import io.dxpipe.job.Job;
import io.dxpipe.job.JobRunner;
import io.dxpipe.job.JobSummary;
import org.apache.spark.sql.SparkSession;
import io.dxpipe.train.TrainStage;
import java.util.Locale;
import java.util.Map;

/** Trains and compares the candidate classifiers on gold, logs them to MLflow and registers the winner. */
public final class TrainJob implements Job<TrainStage.Options> {
  static final String DESCRIPTION = "Cross-validates the class-weighted candidate classifiers on the gold train split "
      + "(stratified k-fold), compares them on validation with and without class weights and against a majority "
      + "baseline, refits the winner and reports it on test, logs everything to MLflow and registers the winner "
      + "(feature stages + classifier as one PipelineModel) with the alias challenger.";

  private TrainJob() {}

  public static void main(String[] args) {
    JobRunner.main(new TrainJob(), args);
  }

  static int run(String[] args) {
    return JobRunner.run(new TrainJob(), args, System.out);
  }

  @Override
  public String name() {
    return TrainStage.JOB;
  }

  @Override
  public String description() {
    return DESCRIPTION;
  }

  /**
   * read: the gold snapshot's rows, counted on their own; written: the records the run used, per
   * split (train and validation to fit and select, test to report). Every gold record must be in
   * one of them: a record in no split (or another split) is unaccounted for and fails the job.
   */
  static JobSummary counts(long goldRows, Map<String, Long> perSplit) {
    return new JobSummary(TrainStage.JOB, goldRows, perSplit.values().stream().mapToLong(Long::longValue).sum(), 0,
        JobSummary.Balance.READ_EQUALS_WRITTEN_PLUS_REJECTED);
  }

  @Override
  public TrainStage.Options settings(Settings settings) {
    return TrainStage.Options.parse(settings);
  }

  @Override
  public JobSummary execute(TrainStage.Options settings, SparkSession spark) throws Exception {
    TrainStage.Totals t = new TrainStage(spark, settings, System.out).run();
    JobSummary summary = counts(t.goldRows(), t.perSplit());
    summary.detail("input", t.input() + " " + t.perSplit());
    for (TrainStage.CandidateResult c : t.candidates()) {
      summary.detail(c.learner().configName(), String.format(Locale.ROOT,
          "validation macro-F1 %.3f, orphan macro-recall %.3f, top-3 %.3f, %.1f s%s", c.validation().macroF1(),
          c.validation().orphan().macroRecall(), c.validation().top3Accuracy(), c.trainSeconds(),
          c.unweighted() == null ? "" : String.format(Locale.ROOT, " | unweighted %.3f, %.3f, %.3f, %.1f s",
              c.unweighted().macroF1(), c.unweighted().orphan().macroRecall(), c.unweighted().top3Accuracy(),
              c.unweightedTrainSeconds())));
    }
    summary.detail("majority baseline", String.format(Locale.ROOT, "validation macro-F1 %.3f, orphan macro-recall "
        + "%.3f, top-3 %.3f", t.baseline().macroF1(), t.baseline().orphan().macroRecall(),
        t.baseline().top3Accuracy()));
    long notInValidation = t.winner().validation().perClass().stream().filter(c -> c.support() == 0).count();
    long notInTest = t.test().perClass().stream().filter(c -> c.support() == 0).count();
    summary.detail("rare classes", String.format(Locale.ROOT, "%d of %d classes have no validation record, %d no "
        + "test record (too few cases to split: trained on, not measured there)", notInValidation,
        t.test().labels().size(), notInTest));
    summary.detail("winner", t.winner().learner().configName() + " " + t.winner().bestParams());
    summary.detail("test", t.test().toString());
    if (t.heldOut().skipped() != null) {
      summary.detail("held-out", "skipped: " + t.heldOut().skipped());
    }
    for (io.dxpipe.train.HeldOutEvaluation.Group g : t.heldOut().groups()) {
      summary.detail("held-out " + g.name(), String.format(Locale.ROOT,
          "%d patients of %d diseases: top-1 %.3f, top-3 %.3f, top-10 %.3f, macro recall %.3f", g.records(),
          g.diseases(), g.top1(), g.top3(), g.top10(), g.macroRecall()));
    }
    summary.detail("full model", String.format(Locale.ROOT, "reproduces the classifier on %d silver records "
        + "(%d mismatches), %.1f ms per 1,000 records, %,d bytes", t.silverChecked(), t.mismatches(),
        t.scoringMsPer1000(), t.modelBytes()));
    summary.detail("mlflow", t.tracking() + ", run " + t.mlflowRunId());
    summary.detail("registered", t.registeredModel() + " version " + t.registeredVersion() + " (alias challenger)");
    summary.detail("reports", t.reportDir());
    summary.detail("run id", t.runId());
    return summary;
  }
}
