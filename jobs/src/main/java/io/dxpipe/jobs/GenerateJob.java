package io.dxpipe.jobs;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.config.Secrets;
import io.dxpipe.config.Settings;
import io.dxpipe.config.StorageSettings;
import io.dxpipe.generate.BronzeSynthesizer;
import io.dxpipe.generate.GenerateSettings;
import io.dxpipe.generate.GenerationReport;
import io.dxpipe.generate.GenerationStats;
import io.dxpipe.generate.LandingGenerator;
import io.dxpipe.ingest.IngestSettings;
import io.dxpipe.io.CommitMetadata;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.io.StorageFiles;
import io.dxpipe.job.Job;
import io.dxpipe.job.JobRunner;
import io.dxpipe.job.JobSummary;
import io.dxpipe.schema.Bronze;
import io.dxpipe.spark.TaskProgress;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/** Writes realistic raw sample files (JSON, JSON lines, XML, CSV, FHIR) into the landing zone. */
public final class GenerateJob implements Job<GenerateJob.Options> {
  static final String DESCRIPTION = "Generates sample patient records as raw source files in the landing zone "
      + "(settings: dxpipe.generate.*; mode=historical for labelled training data, daily for a day to score).";

  /**
   * The generator's settings and where the tables are, read once before Spark starts; with
   * {@code generate.output=bronze} also the ingest patient key (the records skip ingest, which would
   * pseudonymise them), null otherwise.
   */
  record Options(StorageSettings storage, GenerateSettings generate, byte[] patientKey) {}

  private GenerateJob() {}

  public static void main(String[] args) {
    JobRunner.main(new GenerateJob(), args);
  }

  static int run(String[] args) {
    return JobRunner.run(new GenerateJob(), args, System.out);
  }

  @Override
  public String name() {
    return "GenerateJob";
  }

  @Override
  public String description() {
    return DESCRIPTION;
  }

  /**
   * {@code generate.output=bronze}: the records straight into the bronze table (no files, no dirt, no
   * ingest), replacing that delivery date's partition; for benchmarks of the later stages.
   */
  private static JobSummary toBronze(Options settings, SparkSession spark) {
    GenerateSettings generate = settings.generate();
    String bronze = settings.storage().bronze();
    String runId = "generate-" + generate.date() + "-s" + generate.seed();
    System.out.printf("[dxpipe] synthesising %,d %s records for %s straight into bronze %s in %d tasks%n",
        generate.records(), generate.mode().name().toLowerCase(), generate.date(), Secrets.mask(bronze),
        generate.partitions());
    Dataset<Row> records = BronzeSynthesizer.records(spark, DiseaseCatalogue.fromClasspath(), generate,
        settings.patientKey(), runId);
    try (TaskProgress progress = new TaskProgress(spark, "generate", generate.partitions(), System.out)) {
      DeltaTables.replace(records, bronze, Bronze.PARTITION_BY, Bronze.DELIVERY_DATE + " = '" + generate.date() + "'",
          CommitMetadata.of("generate_run_id", runId));
    }
    long written = DeltaTables.read(spark, bronze, "the generator").filter(
        functions.col(Bronze.DELIVERY_DATE).equalTo(functions.lit(java.sql.Date.valueOf(generate.date())))).count();
    return new JobSummary("GenerateJob", 0, written, 0, JobSummary.Balance.SOURCE)
        .detail("output", "bronze (dxpipe.generate.output): " + bronze + ", delivery date " + generate.date());
  }

  @Override
  public Options settings(Settings settings) {
    GenerateSettings generate = GenerateSettings.from(settings.config());
    byte[] key = generate.output() == GenerateSettings.Output.BRONZE
        ? IngestSettings.from(settings.config().dxpipe(), settings.environment()).patientKey() : null;
    return new Options(settings.storage(), generate, key);
  }

  @Override
  public JobSummary execute(Options settings, SparkSession spark) throws Exception {
    GenerateSettings generate = settings.generate();
    if (generate.output() == GenerateSettings.Output.BRONZE) {
      return toBronze(settings, spark);
    }
    String landing = settings.storage().landing();
    System.out.printf("[dxpipe] generating %,d %s records for %s in %d tasks into %s%n", generate.records(),
        generate.mode().name().toLowerCase(), generate.date(), generate.partitions(), Secrets.mask(landing));
    GenerationStats stats = new LandingGenerator(spark, DiseaseCatalogue.fromClasspath(), generate, landing)
        .withLabels(settings.storage().labels()).run();
    String manifest = settings.storage().manifests() + "/" + LandingGenerator.manifestName(generate);
    new StorageFiles(manifest, spark.sparkContext().hadoopConfiguration())
        .writeString(manifest, LandingGenerator.manifestJson(generate, landing, stats));
    JobSummary summary = GenerationReport.summary(stats, generate);
    summary.detail("manifest", manifest);
    if (generate.mode() == GenerateSettings.GenerationMode.DAILY) {
      summary.detail("labels", settings.storage().labels() + "/" + generate.date());
    }
    if (generate.drift().any()) {
      summary.detail("drift", generate.drift().toString());
    }
    return summary;
  }
}
