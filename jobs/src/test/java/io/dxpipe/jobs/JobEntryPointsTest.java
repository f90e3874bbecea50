package io.dxpipe.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.job.JobRunner;
import io.dxpipe.testing.Repo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jobs' argument handling, without starting Spark. */
class JobEntryPointsTest {
  @Test
  void generateJobRejectsBadArgumentsBeforeStartingSpark() {
    assertThat(GenerateJob.run(new String[] {"--records", "5"})).isEqualTo(JobRunner.USAGE);
    assertThat(GenerateJob.run(new String[] {"generate.records=5"})).isEqualTo(JobRunner.USAGE); // no --conf
    assertThat(GenerateJob.run(new String[] {"--conf", "local", "generate.mode=weekly"})).isEqualTo(JobRunner.USAGE);
    assertThat(GenerateJob.run(new String[] {"--help"})).isEqualTo(JobRunner.OK);
  }

  @Test
  void cleanAndFeaturesJobsRejectBadSettingsBeforeStartingSpark() {
    assertThat(CleanJob.run(new String[] {"--conf", "local", "clean.delivery-date=yesterday"})).isEqualTo(JobRunner.USAGE);
    assertThat(CleanJob.run(new String[] {"--conf", "local", "clean.vocabulary.symptoms=no/such.csv"}))
        .isEqualTo(JobRunner.USAGE);
    assertThat(CleanJob.run(new String[] {"--conf", "local", "quality.tables.silver=[{group=g, severity=error, "
        + "checks=[{type=rang, column=age}]}]"})).isEqualTo(JobRunner.USAGE);
    assertThat(FeaturesJob.run(new String[] {"--conf", "local", "features.pca.variance-to-keep=1.5"}))
        .isEqualTo(JobRunner.USAGE);
    assertThat(FeaturesJob.run(new String[] {"--conf", "local", "features.age-bins=[30, 18]"})).isEqualTo(JobRunner.USAGE);
    assertThat(CleanJob.run(new String[] {"--help"})).isEqualTo(JobRunner.OK);
    assertThat(FeaturesJob.run(new String[] {"--help"})).isEqualTo(JobRunner.OK);
  }

  @Test
  void trainAndValidateJobsRejectBadSettingsBeforeStartingSpark() {
    assertThat(TrainJob.run(new String[] {"--conf", "local", "train.candidates=[xgboost]"})).isEqualTo(JobRunner.USAGE);
    assertThat(TrainJob.run(new String[] {"--conf", "local", "train.class-weights=inverse"})).isEqualTo(JobRunner.USAGE);
    assertThat(TrainJob.run(new String[] {"--conf", "local", "mlflow.tracking-uri=ftp"})).isEqualTo(JobRunner.USAGE);
    // MLflow's file store is gone (MLflow 3 refuses it); no URI at all is refused by the jobs that log to MLflow
    assertThat(TrainJob.run(new String[] {"--conf", "local", "mlflow.tracking-uri=\"file:./mlruns\""}))
        .isEqualTo(JobRunner.USAGE);
    assertThat(TrainJob.run(new String[] {"--conf", "local", "--check", "mlflow.tracking-uri=\"\""}))
        .isEqualTo(JobRunner.USAGE);
    assertThat(TrainJob.run(new String[] {"--conf", "local", "--check", "mlflow.tracking-uri=\"http://127.0.0.1:1\""}))
        .isEqualTo(JobRunner.OK);
    assertThat(ValidateJob.run(new String[] {"--conf", "local", "validate.max.latency=3"})).isEqualTo(JobRunner.USAGE);
    assertThat(ValidateJob.run(new String[] {"--conf", "local", "validate.mode=maybe"})).isEqualTo(JobRunner.USAGE);
    assertThat(TrainJob.run(new String[] {"--help"})).isEqualTo(JobRunner.OK);
    assertThat(ValidateJob.run(new String[] {"--help"})).isEqualTo(JobRunner.OK);
  }

  @Test
  void scoreAndMonitorJobsRejectBadSettingsBeforeStartingSpark() {
    assertThat(ScoreJob.run(new String[] {"--conf", "local", "score.input=gold"})).isEqualTo(JobRunner.USAGE);
    assertThat(ScoreJob.run(new String[] {"--conf", "local", "score.date=tomorrow"})).isEqualTo(JobRunner.USAGE);
    assertThat(ScoreJob.run(new String[] {"--conf", "local", "score.model.version=-1"})).isEqualTo(JobRunner.USAGE);
    assertThat(MonitorJob.run(new String[] {"--conf", "local", "monitor.thresholds.feature-ks=2"}))
        .isEqualTo(JobRunner.USAGE);
    assertThat(MonitorJob.run(new String[] {"--conf", "local", "monitor.signal.exit-code=3"})).isEqualTo(JobRunner.USAGE);
    assertThat(MonitorJob.run(new String[] {"--conf", "local", "monitor.thresholds.drift=0.1"}))
        .isEqualTo(JobRunner.USAGE); // unknown key
    assertThat(GenerateJob.run(new String[] {"--conf", "local", "generate.output=s3"})).isEqualTo(JobRunner.USAGE);
    assertThat(ScoreJob.run(new String[] {"--help"})).isEqualTo(JobRunner.OK);
    // --check: the job's own settings are checked, and nothing runs (no Spark here)
    assertThat(ScoreJob.run(new String[] {"--conf", "local", "--check"})).isEqualTo(JobRunner.OK);
    assertThat(ScoreJob.run(new String[] {"--conf", "local", "--check", "score.input=gold"})).isEqualTo(JobRunner.USAGE);
    assertThat(IngestJob.run(new String[] {"--conf", "databricks", "--check", "storage.root=abfss://c@a.dfs.core.windows.net/x"}))
        .as("outside local mode ingest needs the patient key").isEqualTo(JobRunner.USAGE);
    assertThat(MonitorJob.run(new String[] {"--conf", "local", "--check", "mlflow.tracking-uri=\"\""}))
        .isEqualTo(JobRunner.USAGE);
    assertThat(MonitorJob.run(new String[] {"--help"})).isEqualTo(JobRunner.OK);
  }

  @Test
  void settingsAStageReadsForItsInputAreCheckedBeforeSparkToo() {
    String noSuchFile = "clean.vocabulary.symptoms=no/such.csv";
    // bronze is cleaned with the clean job's vocabularies: read with the job's settings, before Spark starts
    assertThat(ScoreJob.run(new String[] {"--conf", "local", "--check", "score.input=bronze", noSuchFile}))
        .isEqualTo(JobRunner.USAGE);
    assertThat(ScoreJob.run(new String[] {"--conf", "local", "--check", "score.input=silver", noSuchFile}))
        .as("silver is clean already: no vocabulary is read").isEqualTo(JobRunner.OK);
    assertThat(MonitorJob.run(new String[] {"--conf", "local", "--check", "mlflow.tracking-uri=\"http://127.0.0.1:1\"",
        "monitor.input=bronze", noSuchFile})).isEqualTo(JobRunner.USAGE);
    String cluster = "storage.root=abfss://c@a.dfs.core.windows.net/x";
    assertThat(GenerateJob.run(new String[] {"--conf", "databricks", "--check", cluster, "generate.output=bronze"}))
        .as("records straight into bronze are pseudonymised with the patient key").isEqualTo(JobRunner.USAGE);
    assertThat(GenerateJob.run(new String[] {"--conf", "databricks", "--check", cluster}))
        .as("landing files need no patient key").isEqualTo(JobRunner.OK);
  }

  @Test
  void wrongTypedNumericSettingsAreBadSettingsNotJobFailures() {
    for (String bad : new String[] {"ingest.max-files-per-batch=abc", "ingest.max-files-per-batch=99999999999",
        "ingest.max-file-bytes=-5", "ingest.max-file-bytes=lots"}) {
      assertThat(IngestJob.run(new String[] {"--conf", "local", "--check", bad})).as(bad).isEqualTo(JobRunner.USAGE);
    }
    assertThat(IngestJob.run(new String[] {"--conf", "local", "--check", "ingest.max-file-bytes=4m"}))
        .isEqualTo(JobRunner.OK);
  }

  @Test
  void buildCatalogueJobRebuildsTheCheckedInCatalogue(@TempDir Path dir) {
    Path out = dir.resolve("catalogue.json");
    int code = BuildCatalogueJob.run(new String[] {"--shared", Repo.sharedData().toString(),
        "--curated", Repo.curated().toString(), "--out", out.toString()});
    assertThat(code).isEqualTo(JobRunner.OK);
    assertThat(DiseaseCatalogue.read(out)).isEqualTo(DiseaseCatalogue.fromClasspath());
  }

  @Test
  void buildCatalogueJobExplainsAMissingSource(@TempDir Path dir) {
    int code = BuildCatalogueJob.run(new String[] {"--shared", dir.toString(), "--out", dir.resolve("c.json").toString(),
        "--curated", Repo.curated().toString()});
    assertThat(code).isEqualTo(JobRunner.FAILED);
    assertThat(BuildCatalogueJob.run(new String[] {"--bogus"})).isEqualTo(JobRunner.USAGE);
    assertThat(BuildCatalogueJob.run(new String[] {"--help"})).isEqualTo(JobRunner.OK);
    assertThat(BuildCatalogueJob.run(new String[] {"--out"})).isEqualTo(JobRunner.USAGE);
  }
}
