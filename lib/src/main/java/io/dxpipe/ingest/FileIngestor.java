package io.dxpipe.ingest;

import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import io.dxpipe.ingest.IngestCheckpoint.PlannedFile;
import io.dxpipe.io.SerializableHadoopConf;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.IngestLog;
import io.dxpipe.schema.IngestLog.Outcome;
import io.dxpipe.schema.IngestLog.SkipReason;
import io.dxpipe.schema.Quarantine;
import io.dxpipe.schema.Quarantine.Reason;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * Runs on executors: turns landing files into outcome rows: one {@code bronze} row per good record,
 * one {@code quarantine} row per bad record or file quarantined whole, and one {@code log} row per
 * file (the ingest log's row: what happened to it, with counts). A file's source and delivery date
 * are its folders: {@code <landing>/<source>/<yyyy-MM-dd>/<file>}; a file anywhere else is quarantined
 * with the reason.
 *
 * <p>Files are read by their exact path (never as a pattern), at most {@code max-file-bytes} bytes
 * each, so one huge file cannot take an executor's memory. On stores with a round trip per file (ADLS,
 * Blob) several files are read ahead in parallel.
 */
public final class FileIngestor implements Serializable {
  /** A file name's extension, kept in the file reference (at most 8 letters or digits). */
  private static final java.util.regex.Pattern EXTENSION = java.util.regex.Pattern.compile("\\.[A-Za-z0-9]{1,8}$");

  public static final String KIND = "kind";
  public static final String KIND_BRONZE = "bronze";
  public static final String KIND_QUARANTINE = "quarantine";
  public static final String KIND_LOG = "log";

  public static final StructType SCHEMA = createStructType(List.of(
      createStructField(KIND, StringType, false),
      createStructField(KIND_BRONZE, Bronze.SCHEMA, true),
      createStructField(KIND_QUARANTINE, Quarantine.SCHEMA, true),
      createStructField(KIND_LOG, IngestLog.SCHEMA, true)));

  private static final DateTimeFormatter DELIVERY_DATE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
  private static final String LAYOUT = "files must sit in <landing>/<source>/<yyyy-MM-dd>/";

  private final IngestSettings settings;
  private final Map<String, String> diseaseCodes;
  private final String runId;
  private final Timestamp ingestTime;
  private final long batchId;
  private final SerializableHadoopConf hadoopConf;
  private final RecordParser.Factory parsers;

  public FileIngestor(IngestSettings settings, Map<String, String> diseaseCodes, String runId, Timestamp ingestTime,
      long batchId, SerializableHadoopConf hadoopConf) {
    this(settings, diseaseCodes, runId, ingestTime, batchId, hadoopConf, RecordParser::of);
  }

  FileIngestor(IngestSettings settings, Map<String, String> diseaseCodes, String runId, Timestamp ingestTime,
      long batchId, SerializableHadoopConf hadoopConf, RecordParser.Factory parsers) {
    this.parsers = parsers;
    this.settings = settings;
    this.diseaseCodes = Map.copyOf(diseaseCodes);
    this.runId = runId;
    this.ingestTime = ingestTime;
    this.batchId = batchId;
    this.hadoopConf = hadoopConf;
  }

  /** Where a file sits: its source and delivery date, or why it sits nowhere it can be ingested from. */
  record Location(String source, LocalDate delivery, Reason problem, String why) {
    static Location of(String relative, IngestSettings settings) {
      String[] parts = relative.split("/", -1);
      if (parts.length == 1) {
        return new Location("", null, Reason.BAD_DELIVERY_FOLDER, "the file is directly under the landing root; " + LAYOUT);
      }
      String source = parts[0];
      if (parts.length == 2) {
        return new Location(source, null, Reason.BAD_DELIVERY_FOLDER,
            "the file is in the source folder '" + source + "', not in a delivery folder; " + LAYOUT);
      }
      if (!settings.sources().containsKey(source)) {
        return new Location(source, null, Reason.UNKNOWN_SOURCE, "no source '" + source
            + "' is configured (dxpipe.ingest.sources has " + settings.sources().keySet() + "); " + LAYOUT);
      }
      String folder = parts[parts.length - 2];
      try {
        return new Location(source, LocalDate.parse(folder, DELIVERY_DATE), null, null);
      } catch (DateTimeParseException e) {
        return new Location(source, null, Reason.BAD_DELIVERY_FOLDER,
            "the folder '" + folder + "' is not a delivery date (a real date, yyyy-MM-dd); " + LAYOUT);
      }
    }
  }

  /** What reading a file gave: its bytes, or that it was too large or gone. */
  private record Read(byte[] content, long size, boolean tooLarge, boolean vanished) {}

  /** Processes one partition of a batch's plan; see the class comment. */
  public Iterator<Row> ingestPlanned(Iterator<PlannedFile> files) {
    FileSystem fs = null;
    Map<String, RecordValidator> validators = new HashMap<>();
    Pseudonymizer pseudonymizer = new Pseudonymizer(settings.patientKey());
    List<Row> out = new ArrayList<>();
    List<PlannedFile> all = new ArrayList<>();
    files.forEachRemaining(all::add);
    if (all.isEmpty()) {
      return out.iterator();
    }
    try {
      fs = new Path(all.get(0).path()).getFileSystem(hadoopConf.get());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the file system of " + all.get(0).path(), e);
    }
    boolean local = "file".equals(fs.getUri().getScheme());
    FileSystem hadoopFs = fs;
    java.util.function.Function<PlannedFile, Read> reader = local ? this::readLocal
        : p -> read(p, () -> hadoopFs.open(new Path(p.path())));
    int ahead = local ? 1 : Math.max(1, settings.readAhead());
    ExecutorService pool = ahead > 1 ? Executors.newFixedThreadPool(ahead) : null;
    ArrayDeque<Future<Read>> reads = new ArrayDeque<>();
    try {
      int next = 0;
      for (PlannedFile f : all) {
        while (pool != null && next < all.size() && reads.size() < ahead) {
          PlannedFile toRead = all.get(next++);
          reads.add(pool.submit(() -> reader.apply(toRead)));
        }
        Read r = pool == null ? reader.apply(f) : reads.poll().get();
        ingestPlannedFile(f, r, pseudonymizer, validators, out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading landing files", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    return out.iterator();
  }

  /** A landing file opened for reading. */
  private interface Opener {
    InputStream open() throws IOException;
  }

  /**
   * {@link #read} for a {@code file:} path, through java.nio: Hadoop's local file system looks up a
   * checksum file and the file's status for every open, which was a quarter of the CPU of ingesting
   * 100,000 one-record files (landing files have no checksum file to verify).
   */
  private Read readLocal(PlannedFile f) {
    return read(f, () -> java.nio.file.Files.newInputStream(java.nio.file.Paths.get(new Path(f.path()).toUri().getPath())));
  }

  /** Nothing is read for entries only to be recorded, misplaced files above the limit, or files above it. */
  private Read read(PlannedFile f, Opener opener) {
    if (f.skip() != null) {
      return new Read(null, f.size(), false, false);
    }
    long limit = settings.maxFileSize();
    if (f.size() > limit) {
      return new Read(null, f.size(), true, false);
    }
    try (InputStream in = opener.open()) {
      byte[] content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
      return content.length > limit ? new Read(null, content.length, true, false)
          : new Read(content, content.length, false, false);
    } catch (FileNotFoundException | java.nio.file.NoSuchFileException e) {
      return new Read(null, f.size(), false, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the landing file " + f.path()
          + " (the batch fails and is retried by the next run)", e);
    }
  }

  private void ingestPlannedFile(PlannedFile f, Read r, Pseudonymizer pseudonymizer,
      Map<String, RecordValidator> validators, List<Row> out) {
    Location where = Location.of(f.relative(), settings);
    String ref = fileReference(pseudonymizer, f, where);
    if (f.skip() != null || r.vanished()) {
      SkipReason why = r.vanished() ? SkipReason.VANISHED : f.skip();
      out.add(log(f, ref, where, null, Outcome.SKIPPED, why.name(), 0, 0, 0));
      return;
    }
    if (r.tooLarge()) {
      String why = String.format(Locale.ROOT, "the file is %,d bytes, above dxpipe.ingest.max-file-bytes (%,d bytes): not "
          + "read, it stays in landing; raise the limit and the next run takes it", r.size(), settings.maxFileSize());
      quarantineFile(f, ref, where, Reason.FILE_TOO_LARGE, why, null, null, out);
      return;
    }
    String sha = sha256(r.content());
    if (where.problem() != null) {
      quarantineFile(f, ref, where, where.problem(), where.why(), r.content(), sha, out);
      return;
    }
    if (sha.equals(f.previousSha256())) {
      out.add(log(f, ref, where, sha, Outcome.UNCHANGED, null, 0, 0, 0));
      return;
    }
    SourceSettings source = settings.sources().get(where.source());
    List<RawRecord> records;
    try {
      records = parsers.of(source.format()).parse(r.content(), source);
    } catch (RecordParser.UnreadableFileException e) {
      quarantineFile(f, ref, where, Reason.UNREADABLE_FILE, "file is not readable as " + source.format().key() + ": "
          + e.getMessage(), r.content(), sha, out);
      return;
    } catch (RuntimeException e) {
      // Not the parser saying "this input is bad" but a defect: quarantining would lose the file for
      // good (it is never taken again). Fail the batch before its done marker: the next run retries it.
      throw new IllegalStateException("the " + source.format().key() + " parser failed on " + ref + " (batch " + batchId
          + "; its path is in the batch's plan in the ingest checkpoint): " + e + ". This is a defect, not a bad file: "
          + "the batch is not committed and the next run takes the same files again once it is fixed", e);
    }
    int[] counts = addRecords(f.path(), ref, where, records, validators, out);
    out.add(log(f, ref, where, sha, Outcome.INGESTED, null, records.size(), counts[0], counts[1]));
  }

  /** Validates a file's records into bronze and quarantine rows; returns {bronze, quarantined}. */
  private int[] addRecords(String path, String ref, Location where, List<RawRecord> records,
      Map<String, RecordValidator> validators, List<Row> out) {
    SourceSettings source = settings.sources().get(where.source());
    RecordValidator validator = validators.computeIfAbsent(where.source(),
        n -> new RecordValidator(source, settings.patientKey(), diseaseCodes));
    RecordValidator.Context ctx = new RecordValidator.Context(ref, where.delivery(), runId, ingestTime);
    int[] counts = new int[2];
    for (RawRecord rec : records) {
      RecordValidator.Result result = validator.validate(rec, ctx);
      if (result.bronze() != null) {
        out.add(RowFactory.create(KIND_BRONZE, result.bronze(), null, null));
        counts[0]++;
      } else {
        out.add(RowFactory.create(KIND_QUARANTINE, null, quarantine(where, path, rec.index, rec.get(Field.RECORD_ID),
            result.reason(), result.explanation(), rec.payload), null));
        counts[1]++;
      }
    }
    return counts;
  }

  private void quarantineFile(PlannedFile f, String ref, Location where, Reason reason, String why, byte[] content,
      String sha, List<Row> out) {
    out.add(RowFactory.create(KIND_QUARANTINE, null, quarantine(where, f.path(), null, null, reason, why,
        content == null ? null : Text.payload(content)), null));
    out.add(log(f, ref, where, sha, Outcome.QUARANTINED, reason.name(), 0, 0, 0));
  }

  private Row quarantine(Location where, String path, Integer index, String recordId, Reason reason, String why,
      String payload) {
    return RowFactory.create(where.source(), path, index, recordId, reason.name(), why, payload,
        where.delivery() == null ? null : Date.valueOf(where.delivery()), runId, ingestTime);
  }

  private Row log(PlannedFile f, String ref, Location where, String sha, Outcome outcome, String reason, int records,
      int bronze, int quarantined) {
    Row row = RowFactory.create(f.path(), ref, where.source().isEmpty() ? null : where.source(),
        where.delivery() == null ? null : Date.valueOf(where.delivery()), f.size(), f.modificationTime(), sha,
        outcome.name(), reason, records, bronze, quarantined, batchId, runId, ingestTime);
    return RowFactory.create(KIND_LOG, null, null, row);
  }

  /**
   * What bronze and silver keep of a file's name: {@code <source>/<yyyy-MM-dd>/f-<keyed hash of the
   * path>.<ext>}. File names carry identifiers (names, national ids); the ingest log maps the reference
   * back to the path for an operator, and only under the patient key can the hash be recomputed.
   */
  static String fileReference(Pseudonymizer pseudonymizer, PlannedFile f, Location where) {
    String name = f.relative().substring(f.relative().lastIndexOf('/') + 1);
    java.util.regex.Matcher ext = EXTENSION.matcher(name);
    String folder = where.delivery() == null ? "" : where.source() + "/" + where.delivery() + "/";
    return folder + "f-" + pseudonymizer.fileKey(f.path()).substring(0, 24) + (ext.find() ? ext.group() : "");
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
