package io.dxpipe.serve.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Rows on their way to a Delta table: each {@link #append} writes one JSON line to the current spool
 * file and hands it to the operating system at once (a killed process loses nothing it appended;
 * only a machine that loses power loses what the OS had not written yet). {@link #flush} closes the
 * current file and appends every closed file to the table, oldest first, each as one Delta commit
 * made idempotent by Delta's {@code txnAppId}/{@code txnVersion}: a flush interrupted between the
 * commit and the file's deletion is replayed at the next flush or start without a duplicate.
 *
 * <p>Files: {@code <dir>/<name>/current.jsonl} (being written), {@code <seq>.jsonl} (closed, to
 * append), {@code app-id} (this spool's Delta application id) and {@code next-seq}.
 */
final class DeltaSpool {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final StructType schema;
  private final String table;
  private final java.util.List<String> partitionBy;
  private final Path dir;
  private final String appId;
  private BufferedWriter current;
  private long pending;
  private long written;

  DeltaSpool(String name, StructType schema, String table, java.util.List<String> partitionBy, Path spoolRoot) {
    this.name = name;
    this.schema = schema;
    this.table = table;
    this.partitionBy = partitionBy;
    this.dir = spoolRoot.resolve(name);
    try {
      Files.createDirectories(dir);
      Path id = dir.resolve("app-id");
      if (!Files.exists(id)) {
        Files.writeString(id, "dxpipe-serve-" + name + "-" + UUID.randomUUID());
      }
      this.appId = Files.readString(id).trim();
      Path open = dir.resolve("current.jsonl");
      if (Files.exists(open)) { // left by a process that did not stop cleanly: close it, it is appended next
        rotate(open);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("spool folder " + dir + " is not usable", e);
    }
  }

  /** One row (column name to JSON-able value), written through to the spool file. */
  synchronized void append(Map<String, Object> row) {
    try {
      if (current == null) {
        current = Files.newBufferedWriter(dir.resolve("current.jsonl"), StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      current.write(JSON.writeValueAsString(row));
      current.write('\n');
      current.flush();
      pending++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the " + name + " spool in " + dir, e);
    }
  }

  /** Rows appended and not yet in the table. */
  synchronized long pending() {
    return pending;
  }

  /** Rows this process has appended to the table. */
  synchronized long written() {
    return written;
  }

  /** Closes the current file and appends every closed file to the table; returns the rows appended. */
  long flush(SparkSession spark) {
    List<Path> ready;
    synchronized (this) {
      try {
        if (current != null) {
          current.close();
          current = null;
          rotate(dir.resolve("current.jsonl"));
        }
        try (Stream<Path> files = Files.list(dir)) {
          ready = new ArrayList<>(files.filter(p -> p.getFileName().toString().matches("\\d+\\.jsonl")).toList());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot rotate the " + name + " spool in " + dir, e);
      }
    }
    ready.sort(java.util.Comparator.comparingLong(DeltaSpool::seq));
    long rows = 0;
    for (Path file : ready) {
      long n = spark.read().schema(schema).option("mode", "FAILFAST").json(file.toUri().toString()).count();
      if (n > 0) {
        spark.read().schema(schema).option("mode", "FAILFAST").json(file.toUri().toString())
            .write().format("delta").mode(SaveMode.Append).partitionBy(partitionBy.toArray(String[]::new))
            .option("txnAppId", appId).option("txnVersion", seq(file)).save(table);
      }
      try {
        Files.delete(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete the appended spool file " + file, e);
      }
      rows += n;
    }
    synchronized (this) {
      written += rows;
      pending = Math.max(0, pending - rows);
    }
    return rows;
  }

  /** Renames {@code open} to the next sequence number (persisted first, so a number is never reused). */
  private void rotate(Path open) throws IOException {
    Path counter = dir.resolve("next-seq");
    long seq = Files.exists(counter) ? Long.parseLong(Files.readString(counter).trim()) : 1;
    Files.writeString(dir.resolve("next-seq.tmp"), Long.toString(seq + 1));
    Files.move(dir.resolve("next-seq.tmp"), counter, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    Files.move(open, dir.resolve(seq + ".jsonl"), StandardCopyOption.ATOMIC_MOVE);
  }

  private static long seq(Path file) {
    String n = file.getFileName().toString();
    return Long.parseLong(n.substring(0, n.indexOf('.')));
  }
}
