package io.dxpipe.ingest;

import java.util.Map;
import java.util.TreeMap;

/**
 * What an ingest run saw and where it went. Files: every file is either parsed or unreadable.
 * Records: every record of a parsed file goes to bronze or to quarantine. Unreadable files go to
 * quarantine whole (one row each), so the quarantine table holds quarantined records plus
 * unreadable files.
 */
public final class IngestTotals {
  public String runId;
  public long files;
  public long unreadableFiles;
  public long bronze;
  public long quarantinedRecords;
  public final Map<String, Long> filesPerSource = new TreeMap<>();
  public final Map<String, Long> bronzePerSource = new TreeMap<>();
  public final Map<String, Long> quarantinedPerReason = new TreeMap<>();

  /** Records found in readable files. */
  public long records() {
    return bronze + quarantinedRecords;
  }

  /** Rows written to the quarantine table: bad records and unreadable files. */
  public long quarantineRows() {
    return quarantinedRecords + unreadableFiles;
  }

  void add(IngestTotals o) {
    files += o.files;
    unreadableFiles += o.unreadableFiles;
    bronze += o.bronze;
    quarantinedRecords += o.quarantinedRecords;
    o.filesPerSource.forEach((k, v) -> filesPerSource.merge(k, v, Long::sum));
    o.bronzePerSource.forEach((k, v) -> bronzePerSource.merge(k, v, Long::sum));
    o.quarantinedPerReason.forEach((k, v) -> quarantinedPerReason.merge(k, v, Long::sum));
  }
}
