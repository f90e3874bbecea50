package io.dxpipe.jobs;

import io.dxpipe.catalogue.CatalogueBuilder;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.job.JobRunner;
import io.dxpipe.job.JobSummary;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Rebuilds the checked-in disease catalogue from the shared public data and the curated files.
 * Runs without Spark. Arguments: {@code --shared DIR --curated DIR --out FILE --min-annotations N}.
 */
public final class BuildCatalogueJob {
  private BuildCatalogueJob() {}

  public static void main(String[] args) {
    JobRunner.exit(run(args));
  }

  static int run(String[] args) {
    Path shared = Paths.get("../shared/data/external");
    Path curated = Paths.get("conf/catalogue");
    Path out = Paths.get("lib/src/main/resources/" + DiseaseCatalogue.RESOURCE);
    int minAnnotations = CatalogueBuilder.DEFAULT_MIN_ANNOTATIONS;
    for (int i = 0; i < args.length; i++) {
      boolean help = args[i].equals("--help") || args[i].equals("-h");
      if (!help && i + 1 >= args.length && args[i].startsWith("--")) {
        System.out.println("BuildCatalogueJob: " + args[i] + " needs a value");
        return JobRunner.USAGE;
      }
      switch (args[i]) {
        case "--shared" -> shared = Paths.get(args[++i]);
        case "--curated" -> curated = Paths.get(args[++i]);
        case "--out" -> out = Paths.get(args[++i]);
        case "--min-annotations" -> {
          String value = args[++i];
          try {
            minAnnotations = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            minAnnotations = 0;
          }
          if (minAnnotations < 1) {
            System.out.println("BuildCatalogueJob: --min-annotations takes a whole number of at least 1, not '" + value + "'");
            return JobRunner.USAGE;
          }
        }
        case "--help", "-h" -> {
          System.out.println("Usage: BuildCatalogueJob [--shared DIR] [--curated DIR] [--out FILE] [--min-annotations N]\n"
              + "Defaults: ../shared/data/external, conf/catalogue, lib/src/main/resources/" + DiseaseCatalogue.RESOURCE
              + ", " + CatalogueBuilder.DEFAULT_MIN_ANNOTATIONS + " (distinct phenotypes an Orphanet disease needs to enter the catalogue)");
          return JobRunner.OK;
        }
        default -> {
          System.out.println("BuildCatalogueJob: unknown argument '" + args[i] + "'");
          return JobRunner.USAGE;
        }
      }
    }
    CatalogueBuilder builder = new CatalogueBuilder(shared, curated, minAnnotations);
    DiseaseCatalogue catalogue;
    try {
      catalogue = builder.build();
      catalogue.write(out);
    } catch (RuntimeException e) {
      System.out.println("[dxpipe] BuildCatalogueJob FAILED: " + e.getMessage());
      return JobRunner.FAILED;
    }
    builder.report().forEach(line -> System.out.println("  note: " + line));
    JobSummary summary = new JobSummary("BuildCatalogueJob", 0, catalogue.diseases().size(), 0, JobSummary.Balance.SOURCE);
    CatalogueBuilder.summary(catalogue).forEach(summary::detail);
    summary.detail("catalogue", out.toAbsolutePath());
    summary.lines().forEach(System.out::println);
    return JobRunner.OK;
  }
}
