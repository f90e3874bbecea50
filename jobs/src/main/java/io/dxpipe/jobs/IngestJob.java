package io.dxpipe.jobs;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.config.Secrets;
import io.dxpipe.ingest.IngestSettings;
import io.dxpipe.ingest.IngestTotals;
import io.dxpipe.ingest.LandingIngest;
import io.dxpipe.config.Settings;
import io.dxpipe.config.StorageSettings;
import io.dxpipe.job.Job;
import io.dxpipe.job.JobRunner;
import io.dxpipe.job.JobSummary;
import org.apache.spark.sql.SparkSession;
import java.util.Locale;

/** Ingests new landing files into the bronze Delta table; what cannot be used goes to quarantine. */
public final class IngestJob implements Job<IngestJob.Options> {
  static final String DESCRIPTION = "Ingests the landing files not yet ingested (any source of dxpipe.ingest.sources) "
      + "into the bronze Delta table, unusable files and records into quarantine with the reason; exactly once.";

  /** The ingest settings and where the tables are, read once before Spark starts. */
  record Options(StorageSettings storage, IngestSettings ingest) {}

  private IngestJob() {}

  public static void main(String[] args) {
    JobRunner.main(new IngestJob(), args);
  }

  static int run(String[] args) {
    return JobRunner.run(new IngestJob(), args, System.out);
  }

  @Override
  public String name() {
    return "IngestJob";
  }

  @Override
  public String description() {
    return DESCRIPTION;
  }

  @Override
  public Options settings(Settings settings) {
    return new Options(settings.storage(), IngestSettings.from(settings.config().dxpipe(), settings.environment()));
  }

  @Override
  public JobSummary execute(Options settings, SparkSession spark) throws Exception {
    IngestSettings ingest = settings.ingest();
    if (ingest.developmentKey()) {
      System.out.println("[dxpipe] WARNING: no dxpipe.ingest.patient-key (DXPIPE_PATIENT_KEY): using the DEVELOPMENT "
          + "key. Patient keys made with it are not secret; never ingest real patient data this way.");
    }
    var storage = settings.storage();
    System.out.printf("[dxpipe] ingesting new files of %s into %s (quarantine %s)%n", Secrets.mask(storage.landing()),
        Secrets.mask(storage.bronze()), Secrets.mask(storage.quarantine()));
    IngestTotals t = new LandingIngest(spark, ingest, DiseaseCatalogue.fromClasspath(), storage, System.out).run();
    JobSummary summary = new JobSummary("IngestJob", t.records() + t.unreadableFiles, t.bronze, t.quarantineRows(),
        JobSummary.Balance.READ_EQUALS_WRITTEN_PLUS_REJECTED);
    summary.detail("landing", String.format(Locale.ROOT, "%d entries = %d taken before + %d taken now + %d deferred "
        + "(modified within %d s, taken later) + %d skipped", t.listed, t.alreadyTaken, t.planned + t.replayed,
        t.deferred, ingest.settleTime().toSeconds(), t.skippedTotal()));
    summary.detail("files", String.format(Locale.ROOT, "%d = %d read + %d quarantined whole + %d unchanged", t.files,
        t.parsedFiles(), t.unreadableFiles, t.unchanged));
    summary.detail("records", String.format(Locale.ROOT, "%d = %d to bronze + %d quarantined", t.records(), t.bronze,
        t.quarantinedRecords));
    if (t.retaken > 0) {
      summary.detail("taken again", t.retaken + " files changed (size or time) since ingest last took them");
    }
    if (t.vanished > 0) {
      summary.detail("vanished", t.vanished + " files were gone when ingest came to read them");
    }
    if (!t.skipped.isEmpty()) {
      summary.detail("skipped", t.skippedSummary(5) + " (references: look them up in the ingest log)");
    }
    summary.detail("files per source", t.filesPerSource.isEmpty() ? "none new" : t.filesPerSource.toString());
    summary.detail("bronze per source", t.bronzePerSource.toString());
    summary.detail("quarantine reasons", t.quarantinedPerReason.toString());
    summary.detail("bronze table", storage.bronze());
    summary.detail("quarantine table", storage.quarantine() + " (raw payloads: restricted access)");
    summary.detail("ingest log", storage.ingestLog() + " (real file names: restricted access)");
    summary.detail("run id", t.runId);
    if (t.files == 0) {
      summary.detail("note", "no new files: everything in landing was ingested before (re-runs add nothing)");
    }
    return summary;
  }

}
