package io.dxpipe.ingest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dxpipe.schema.IngestLog.SkipReason;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Ingest's write-ahead log: before a batch runs, its plan (the exact landing entries it takes) is
 * written to {@code <checkpoint>/batches/<id>.plan}; once bronze, quarantine and the ingest log hold
 * the batch (Delta's idempotent writes, {@code txnAppId} = {@link #appId()}, {@code txnVersion} = the
 * batch id), {@code <id>.done} is written. A run that finds a plan without its done marker replays
 * that plan, file for file: writes that had committed are skipped by Delta, the others are made. So
 * a crash at any point neither loses nor duplicates a file, and only the newest plan can be pending.
 *
 * <p>{@code <checkpoint>/metadata} holds the id behind {@link #appId()}; a checkpoint written by the
 * earlier Structured Streaming version of ingest has the same file, so its id is kept.
 */
public final class IngestCheckpoint {
  /** One landing entry of a plan: a file to read, or (skip set) an entry only to record as skipped. */
  public record PlannedFile(String path, String relative, long size, long modificationTime, String previousSha256,
      SkipReason skip) implements Serializable {}

  private record Plan(long batch, List<PlannedFile> files) {}

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final String PLAN = ".plan";
  private static final String DONE = ".done";
  /** Plans kept after they are done (for operators); older ones are deleted. */
  private static final int KEEP_DONE = 100;

  private final FileSystem fs;
  private final Path root;
  private final Path batches;
  private final StreamingSourceLog streaming;

  public IngestCheckpoint(String checkpoint, Configuration conf) {
    this.root = new Path(checkpoint);
    this.batches = new Path(root, "batches");
    try {
      this.fs = root.getFileSystem(conf);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the checkpoint location " + checkpoint, e);
    }
    this.streaming = new StreamingSourceLog(fs, root);
  }

  /**
   * The record of a checkpoint written by Spark's streaming file source (the earlier version of
   * ingest): {@code sources/0/<batch>[.compact]} hold "v1" and then one JSON line per file taken
   * ({@code path}, {@code timestamp}, {@code batchId}); {@code commits/<batch>} marks a batch done. A
   * {@code .compact} file holds every entry up to its batch.
   */
  private static final class StreamingSourceLog {
    private final Map<Long, List<PlannedFile>> perBatch = new java.util.TreeMap<>();
    private final Map<String, Long> committed = new java.util.HashMap<>();
    private long lastBatch = -1;
    private long pendingBatch = -1;

    StreamingSourceLog(FileSystem fs, Path root) {
      Path log = new Path(root, "sources/0");
      try {
        if (!fs.exists(log)) {
          return;
        }
        TreeSet<Long> commits = new TreeSet<>();
        Path commitDir = new Path(root, "commits");
        if (fs.exists(commitDir)) {
          for (FileStatus st : fs.listStatus(commitDir)) {
            if (st.getPath().getName().matches("\\d+")) {
              commits.add(Long.parseLong(st.getPath().getName()));
            }
          }
        }
        TreeSet<Long> plain = new TreeSet<>();
        long compact = -1;
        for (FileStatus st : fs.listStatus(log)) {
          String name = st.getPath().getName();
          if (name.matches("\\d+\\.compact")) {
            compact = Math.max(compact, Long.parseLong(name.substring(0, name.indexOf('.'))));
          } else if (name.matches("\\d+")) {
            plain.add(Long.parseLong(name));
          }
        }
        if (compact >= 0) {
          read(fs, new Path(log, compact + ".compact"));
        }
        for (long b : plain.tailSet(compact, false)) {
          read(fs, new Path(log, Long.toString(b)));
        }
        for (Map.Entry<Long, List<PlannedFile>> e : perBatch.entrySet()) {
          lastBatch = Math.max(lastBatch, e.getKey());
          if (commits.contains(e.getKey())) {
            e.getValue().forEach(f -> committed.put(f.path(), f.modificationTime()));
          } else {
            pendingBatch = e.getKey();
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the streaming source log " + log + " of the earlier ingest", e);
      }
    }

    private void read(FileSystem fs, Path file) throws IOException {
      String text;
      try (var in = fs.open(file)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      for (String line : text.split("\n")) {
        if (line.isBlank() || line.startsWith("v")) {
          continue;
        }
        var entry = JSON.readTree(line);
        String path = new Path(java.net.URI.create(entry.get("path").asText())).toString();
        perBatch.computeIfAbsent(entry.get("batchId").asLong(), b -> new java.util.ArrayList<>())
            .add(new PlannedFile(path, null, -1, entry.get("timestamp").asLong(), null, null));
      }
    }

    Map<String, Long> committed() {
      return committed;
    }

    long lastBatch() {
      return lastBatch;
    }

    long pendingBatch() {
      return pendingBatch;
    }

    List<PlannedFile> pendingFiles() {
      return perBatch.getOrDefault(pendingBatch, List.of());
    }
  }

  /** The id naming this checkpoint's writes in Delta's transaction log: stable across runs. */
  public String appId() {
    Path metadata = new Path(root, "metadata");
    try {
      if (!fs.exists(metadata)) {
        write(metadata, JSON.writeValueAsBytes(Map.of("id", UUID.randomUUID().toString())));
      }
      String text = new String(readAll(metadata), StandardCharsets.UTF_8);
      return "dxpipe-ingest-" + JSON.readTree(text).get("id").asText();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + metadata, e);
    }
  }

  /** The newest planned batch that is not done, if any. */
  public OptionalLong pending() {
    TreeSet<Long> plans = ids(PLAN);
    if (plans.isEmpty()) {
      return OptionalLong.empty();
    }
    long last = plans.last();
    return ids(DONE).contains(last) ? OptionalLong.empty() : OptionalLong.of(last);
  }

  /**
   * The id the next new batch gets: above every batch of this checkpoint, including those of the
   * streaming version (Delta skips a write whose {@code txnVersion} is not above the last one).
   */
  public long nextBatchId() {
    TreeSet<Long> plans = ids(PLAN);
    long next = plans.isEmpty() ? 0 : plans.last() + 1;
    return Math.max(next, streaming.lastBatch() + 1);
  }

  /**
   * The files that the streaming version of ingest took in committed batches (path as ingest lists
   * it, to its modification time), from its checkpoint's source log; empty if there is none.
   */
  public Map<String, Long> takenByStreamingVersion() {
    return streaming.committed();
  }

  /**
   * Adopts the streaming version's last batch if it was planned but not committed: it becomes this
   * checkpoint's pending plan under the same id, so its replay meets Delta's record of what it wrote.
   */
  public void adoptPendingStreamingBatch(String landing) {
    if (!ids(PLAN).isEmpty() || streaming.pendingBatch() < 0) {
      return;
    }
    String prefix = new Path(landing).toString() + "/";
    List<PlannedFile> plan = new java.util.ArrayList<>();
    for (PlannedFile f : streaming.pendingFiles()) {
      long size;
      try {
        size = fs.getFileStatus(new Path(f.path())).getLen();
      } catch (java.io.FileNotFoundException gone) {
        size = 0; // read as vanished
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the status of " + f.path(), e);
      }
      String relative = f.path().startsWith(prefix) ? f.path().substring(prefix.length()) : new Path(f.path()).getName();
      plan.add(new PlannedFile(f.path(), relative, size, f.modificationTime(), null, null));
    }
    writePlan(streaming.pendingBatch(), plan);
  }

  public void writePlan(long batch, List<PlannedFile> files) {
    Path plan = new Path(batches, batch + PLAN);
    Path tmp = new Path(batches, "." + batch + PLAN + ".tmp");
    try {
      write(tmp, JSON.writeValueAsBytes(new Plan(batch, files)));
      fs.delete(plan, false);
      if (!fs.rename(tmp, plan)) {
        throw new IOException("rename of " + tmp + " to " + plan + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the ingest plan " + plan, e);
    }
  }

  public List<PlannedFile> readPlan(long batch) {
    Path plan = new Path(batches, batch + PLAN);
    try {
      return JSON.readValue(readAll(plan), new TypeReference<Plan>() {}).files();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the ingest plan " + plan + " (the checkpoint is damaged: restore it, "
          + "or delete it together with bronze, quarantine and the ingest log to start over)", e);
    }
  }

  /** Marks a batch done and forgets the plans of old done batches. */
  public void markDone(long batch) {
    try {
      write(new Path(batches, batch + DONE), new byte[0]);
      for (long old : ids(DONE).headSet(batch - KEEP_DONE, false)) {
        fs.delete(new Path(batches, old + PLAN), false);
        fs.delete(new Path(batches, old + DONE), false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot mark ingest batch " + batch + " done in " + batches, e);
    }
  }

  private TreeSet<Long> ids(String suffix) {
    TreeSet<Long> ids = new TreeSet<>();
    try {
      if (!fs.exists(batches)) {
        return ids;
      }
      for (FileStatus s : fs.listStatus(batches)) {
        String name = s.getPath().getName();
        if (name.endsWith(suffix) && name.substring(0, name.length() - suffix.length()).matches("\\d+")) {
          ids.add(Long.parseLong(name.substring(0, name.length() - suffix.length())));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + batches, e);
    }
    return ids;
  }

  private void write(Path p, byte[] content) throws IOException {
    try (FSDataOutputStream out = fs.create(p, true)) {
      out.write(content);
    }
  }

  private byte[] readAll(Path p) throws IOException {
    try (var in = fs.open(p)) {
      return in.readAllBytes();
    }
  }
}
