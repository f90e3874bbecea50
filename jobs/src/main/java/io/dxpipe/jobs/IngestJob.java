package io.dxpipe.jobs;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.ingest.IngestSettings;
import io.dxpipe.ingest.IngestTotals;
import io.dxpipe.ingest.LandingIngest;
import io.dxpipe.job.JobRunner;
import io.dxpipe.job.JobSummary;
import java.util.Locale;

/** Ingests new landing files into the bronze Delta table; what cannot be used goes to quarantine. */
public final class IngestJob {
  static final String DESCRIPTION = "Ingests the landing files not yet ingested (any source of dxpipe.ingest.sources) "
      + "into the bronze Delta table, unusable files and records into quarantine with the reason; exactly once.";

  private IngestJob() {}

  public static void main(String[] args) {
    int code = run(args);
    if (code != JobRunner.OK) {
      System.exit(code);
    }
  }

  static int run(String[] args) {
    return new JobRunner("IngestJob", DESCRIPTION, System.out).run(args,
        settings -> IngestSettings.from(settings.config().dxpipe(), settings.environment()), (settings, spark) -> {
      IngestSettings ingest = IngestSettings.from(settings.config().dxpipe(), settings.environment());
      if (ingest.developmentKey()) {
        System.out.println("[dxpipe] WARNING: no dxpipe.ingest.patient-key (DXPIPE_PATIENT_KEY): using the DEVELOPMENT "
            + "key. Patient keys made with it are not secret; never ingest real patient data this way.");
      }
      var storage = settings.storage();
      System.out.printf("[dxpipe] ingesting new files of %s into %s (quarantine %s)%n", storage.landing(),
          storage.bronze(), storage.quarantine());
      IngestTotals t = new LandingIngest(spark, ingest, DiseaseCatalogue.fromClasspath(), storage.landing(),
          storage.bronze(), storage.quarantine(), storage.checkpoints() + "/ingest", System.out).run();
      JobSummary summary = new JobSummary("IngestJob", t.records() + t.unreadableFiles, t.bronze, t.quarantineRows(),
          JobSummary.Balance.READ_EQUALS_WRITTEN_PLUS_REJECTED);
      summary.detail("files", String.format(Locale.ROOT, "%d = %d read + %d unreadable (quarantined whole)", t.files,
          t.files - t.unreadableFiles, t.unreadableFiles));
      summary.detail("records", String.format(Locale.ROOT, "%d = %d to bronze + %d quarantined", t.records(), t.bronze,
          t.quarantinedRecords));
      summary.detail("files per source", t.filesPerSource.isEmpty() ? "none new" : t.filesPerSource.toString());
      summary.detail("bronze per source", t.bronzePerSource.toString());
      summary.detail("quarantine reasons", t.quarantinedPerReason.toString());
      summary.detail("bronze table", storage.bronze());
      summary.detail("quarantine table", storage.quarantine() + " (raw payloads: restricted access)");
      summary.detail("run id", t.runId);
      if (t.files == 0) {
        summary.detail("note", "no new files: everything in landing was ingested before (re-runs add nothing)");
      }
      return summary;
    });
  }

}
