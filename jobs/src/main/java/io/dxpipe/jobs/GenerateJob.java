package io.dxpipe.jobs;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.config.GenerateSettings;
import io.dxpipe.generate.GenerationReport;
import io.dxpipe.generate.GenerationStats;
import io.dxpipe.generate.LandingGenerator;
import io.dxpipe.io.StorageFiles;
import io.dxpipe.job.JobRunner;
import io.dxpipe.job.JobSummary;

/** Writes realistic raw sample files (JSON, JSON lines, XML, CSV, FHIR) into the landing zone. */
public final class GenerateJob {
  static final String DESCRIPTION = "Generates sample patient records as raw source files in the landing zone "
      + "(settings: dxpipe.generate.*; mode=historical for labelled training data, daily for a day to score).";

  private GenerateJob() {}

  public static void main(String[] args) {
    int code = run(args);
    if (code != JobRunner.OK) {
      System.exit(code);
    }
  }

  static int run(String[] args) {
    return new JobRunner("GenerateJob", DESCRIPTION, System.out).run(args, (settings, spark) -> {
      GenerateSettings generate = settings.generate();
      String landing = settings.storage().landing();
      System.out.printf("[dxpipe] generating %,d %s records for %s in %d tasks into %s%n", generate.records(),
          generate.mode().name().toLowerCase(), generate.date(), generate.partitions(), landing);
      GenerationStats stats = new LandingGenerator(spark, DiseaseCatalogue.fromClasspath(), generate, landing).run();
      String manifest = settings.storage().manifests() + "/" + LandingGenerator.manifestName(generate);
      new StorageFiles(manifest, spark.sparkContext().hadoopConfiguration())
          .writeString(manifest, LandingGenerator.manifestJson(generate, landing, stats));
      JobSummary summary = GenerationReport.summary(stats, generate);
      summary.detail("manifest", manifest);
      return summary;
    });
  }
}
