package io.dxpipe.jobs;

import io.dxpipe.features.FeatureStage;
import io.dxpipe.config.Settings;
import io.dxpipe.job.Job;
import io.dxpipe.job.JobRunner;
import io.dxpipe.job.JobSummary;
import org.apache.spark.sql.SparkSession;
import java.util.Locale;

/** Builds the gold feature table, the fitted feature pipeline, the PCA report and the aggregate tables. */
public final class FeaturesJob implements Job<FeatureStage.Options> {
  static final String DESCRIPTION = "Turns labelled silver records into the gold feature table (stratified "
      + "train/validation/test split, feature pipeline fitted on train: encodings, severity-weighted symptoms, "
      + "imputation, scaling, PCA), saves the fitted pipeline and the PCA report, and rebuilds the aggregate tables.";

  private FeaturesJob() {}

  public static void main(String[] args) {
    JobRunner.main(new FeaturesJob(), args);
  }

  static int run(String[] args) {
    return JobRunner.run(new FeaturesJob(), args, System.out);
  }

  @Override
  public String name() {
    return FeatureStage.JOB;
  }

  @Override
  public String description() {
    return DESCRIPTION;
  }

  @Override
  public FeatureStage.Options settings(Settings settings) {
    return FeatureStage.Options.parse(settings);
  }

  @Override
  public JobSummary execute(FeatureStage.Options settings, SparkSession spark) throws Exception {
    FeatureStage.Totals t = new FeatureStage(spark, settings, System.out).run();
    var storage = settings.storage();
    JobSummary summary = new JobSummary(FeatureStage.JOB, t.silver(), t.gold(), t.unlabelled() + t.notTrained(),
        JobSummary.Balance.READ_EQUALS_WRITTEN_PLUS_REJECTED);
    summary.detail("input", t.input());
    summary.detail("classes", String.format(Locale.ROOT, "%d, labels from the %s (dxpipe.labels.from)",
        t.labels().classes().size(), settings.labels().fromData() ? "data" : "catalogue"));
    summary.detail("not used", String.format(Locale.ROOT, "%,d unlabelled (no diagnosis: to be scored, not trained on); "
        + "%,d with a diagnosis not trained on: %s", t.unlabelled(), t.notTrained(), t.labels().describeNotTrained()));
    summary.detail("split", t.perSplit().toString());
    summary.detail("inputs left out", t.inputsDropped().isEmpty() ? "none (every input has values in the train split)"
        : t.inputsDropped().toString());
    summary.detail("small classes", t.smallClasses().isEmpty() ? "none (every class has >= 3 records)"
        : t.smallClasses() + " cannot fill train/validation/test");
    summary.detail("pca", String.format(Locale.ROOT, "%d features -> %d components, %.1f%% of the variance%s",
        t.pca().inputDimension(), t.pca().components(), 100 * t.pca().kept(),
        t.pca().targetReached() ? "" : " (target NOT reached)"));
    summary.detail("quality features", t.quality().summary());
    summary.detail("gold table", storage.features() + " (version " + t.goldVersion() + ")");
    summary.detail("feature pipeline", t.pipelinePath());
    summary.detail("reports", t.reportDir() + " (pca-report.json, pca-explained-variance.png)");
    summary.detail("aggregates", storage.aggregates() + "/{disease_summary,daily_summary}");
    summary.detail("run id", t.runId());
    return summary;
  }
}
