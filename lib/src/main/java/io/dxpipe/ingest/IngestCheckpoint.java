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

  public IngestCheckpoint(String checkpoint, Configuration conf) {
    this.root = new Path(checkpoint);
    this.batches = new Path(root, "batches");
    try {
      this.fs = root.getFileSystem(conf);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the checkpoint location " + checkpoint, e);
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

  /** The id the next new batch gets. */
  public long nextBatchId() {
    TreeSet<Long> plans = ids(PLAN);
    return plans.isEmpty() ? 0 : plans.last() + 1;
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
