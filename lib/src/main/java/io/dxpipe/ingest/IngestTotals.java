package io.dxpipe.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an ingest run saw and where it went.
 *
 * <p>Landing: every entry listed was taken before, is taken now, is deferred (modified within the
 * settle time) or is skipped with a reason. Files taken: each is parsed, quarantined whole, or found
 * unchanged (its bytes equal to when it was last taken). Records: every record of a parsed file goes
 * to bronze or to quarantine. Files quarantined whole are one quarantine row each, so the quarantine
 * table holds quarantined records plus those files.
 */
public final class IngestTotals {
  public String runId;
  // the listing (driver)
  public long listed;
  public long alreadyTaken;
  /** Listed files planned in this run (new or changed); {@link #retaken} of them changed since taken. */
  public long planned;
  public long retaken;
  /** Listed files that a replayed batch of this run took. */
  public long replayed;
  public long deferred;
  public final Map<String, Long> skipped = new TreeMap<>();
  /** File references (not names: names carry identifiers) of the skipped entries, per reason. */
  public final Map<String, List<String>> skippedRefs = new TreeMap<>();
  // the batches (executors)
  public long files;
  public long unreadableFiles;
  public long unchanged;
  /** Planned, then gone before they were read. */
  public long vanished;
  public long bronze;
  public long quarantinedRecords;
  public final Map<String, Long> filesPerSource = new TreeMap<>();
  public final Map<String, Long> bronzePerSource = new TreeMap<>();
  public final Map<String, Long> quarantinedPerReason = new TreeMap<>();

  /** Records found in readable files. */
  public long records() {
    return bronze + quarantinedRecords;
  }

  /** Rows written to the quarantine table: bad records and files quarantined whole. */
  public long quarantineRows() {
    return quarantinedRecords + unreadableFiles;
  }

  /** Files read and parsed (not quarantined whole, not unchanged). */
  public long parsedFiles() {
    return files - unreadableFiles - unchanged;
  }

  public long skippedTotal() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }

  void add(IngestTotals o) {
    files += o.files;
    unreadableFiles += o.unreadableFiles;
    unchanged += o.unchanged;
    vanished += o.vanished;
    bronze += o.bronze;
    quarantinedRecords += o.quarantinedRecords;
    o.filesPerSource.forEach((k, v) -> filesPerSource.merge(k, v, Long::sum));
    o.bronzePerSource.forEach((k, v) -> bronzePerSource.merge(k, v, Long::sum));
    o.quarantinedPerReason.forEach((k, v) -> quarantinedPerReason.merge(k, v, Long::sum));
  }

  /** The skipped entries by reason, each with the references of its first {@code n} entries. */
  public String skippedSummary(int n) {
    List<String> parts = new ArrayList<>();
    skipped.forEach((reason, count) -> {
      List<String> refs = skippedRefs.getOrDefault(reason, List.of());
      parts.add(reason + " " + count + " " + refs.subList(0, Math.min(n, refs.size()))
          + (refs.size() > n ? " and " + (refs.size() - n) + " more" : ""));
    });
    return String.join("; ", parts);
  }
}
