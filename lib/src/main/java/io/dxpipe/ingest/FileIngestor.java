package io.dxpipe.ingest;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Quarantine;
import io.dxpipe.schema.Quarantine.Reason;
import java.io.Serializable;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * Runs on executors: turns landing files (rows of Spark's binaryFile source) into outcome rows: one
 * {@code file} row per file (for the counts), one {@code bronze} row per good record and one
 * {@code quarantine} row per bad record or unreadable file. A file's source is the folder it
 * sits in: {@code <landing>/<source>/<yyyy-MM-dd>/<file>}.
 */
public final class FileIngestor implements Serializable {
  public static final String KIND = "kind";
  public static final String KIND_FILE = "file";
  public static final String KIND_BRONZE = "bronze";
  public static final String KIND_QUARANTINE = "quarantine";
  public static final String FILE_SOURCE = "file_source";
  public static final String FILE_UNREADABLE = "file_unreadable";
  public static final String FILE_RECORDS = "file_records";

  public static final StructType SCHEMA = createStructType(List.of(
      createStructField(KIND, StringType, false),
      createStructField(FILE_SOURCE, StringType, true),
      createStructField(FILE_UNREADABLE, BooleanType, true),
      createStructField(FILE_RECORDS, IntegerType, true),
      createStructField(KIND_BRONZE, Bronze.SCHEMA, true),
      createStructField(KIND_QUARANTINE, Quarantine.SCHEMA, true)));

  private final IngestSettings settings;
  private final Map<String, String> diseaseCodes;
  private final String runId;
  private final Timestamp ingestTime;

  public FileIngestor(IngestSettings settings, Map<String, String> diseaseCodes, String runId, Timestamp ingestTime) {
    this.settings = settings;
    this.diseaseCodes = Map.copyOf(diseaseCodes);
    this.runId = runId;
    this.ingestTime = ingestTime;
  }

  /** Processes one partition of binaryFile rows (path, modificationTime, length, content). */
  public Iterator<Row> ingest(Iterator<Row> files) {
    Map<String, RecordValidator> validators = new HashMap<>();
    List<Row> out = new ArrayList<>();
    while (files.hasNext()) {
      Row f = files.next();
      String path = f.getString(f.fieldIndex("path"));
      byte[] content = (byte[]) f.get(f.fieldIndex("content"));
      ingestFile(path, content, validators, out);
    }
    return out.iterator();
  }

  void ingestFile(String path, byte[] content, Map<String, RecordValidator> validators, List<Row> out) {
    String[] parts = path.split("/");
    String sourceName = parts.length >= 3 ? parts[parts.length - 3] : "";
    LocalDate delivery = null;
    try {
      delivery = parts.length >= 2 ? LocalDate.parse(parts[parts.length - 2]) : null;
    } catch (DateTimeParseException e) {
      delivery = null;
    }
    SourceSettings source = settings.sources().get(sourceName);
    if (source == null || delivery == null) {
      String why = source == null
          ? "no source '" + sourceName + "' is configured (dxpipe.ingest.sources has " + settings.sources().keySet()
              + "); files must sit in <landing>/<source>/<yyyy-MM-dd>/"
          : "the folder '" + parts[parts.length - 2] + "' is not a delivery date yyyy-MM-dd";
      unreadable(path, sourceName, delivery, Reason.UNKNOWN_SOURCE, why, content, out);
      return;
    }
    List<RawRecord> records;
    try {
      records = RecordParser.of(source.format()).parse(content, source);
    } catch (RecordParser.UnreadableFileException e) {
      unreadable(path, sourceName, delivery, Reason.UNREADABLE_FILE, "file is not readable as " + source.format().key()
          + ": " + e.getMessage(), content, out);
      return;
    } catch (RuntimeException e) {
      unreadable(path, sourceName, delivery, Reason.UNREADABLE_FILE, "file could not be parsed as "
          + source.format().key() + ": " + e, content, out);
      return;
    }
    RecordValidator validator = validators.computeIfAbsent(sourceName,
        n -> new RecordValidator(source, settings.patientKey(), diseaseCodes));
    RecordValidator.Context ctx = new RecordValidator.Context(path, delivery, runId, ingestTime);
    for (RawRecord r : records) {
      RecordValidator.Result result = validator.validate(r, ctx);
      if (result.bronze() != null) {
        out.add(RowFactory.create(KIND_BRONZE, null, null, null, result.bronze(), null));
      } else {
        out.add(RowFactory.create(KIND_QUARANTINE, null, null, null, null, quarantine(sourceName, path, r.index,
            r.get(Field.RECORD_ID), result.reason(), result.explanation(), r.payload, delivery)));
      }
    }
    out.add(RowFactory.create(KIND_FILE, sourceName, false, records.size(), null, null));
  }

  private void unreadable(String path, String source, LocalDate delivery, Reason reason, String why, byte[] content,
      List<Row> out) {
    out.add(RowFactory.create(KIND_QUARANTINE, null, null, null, null,
        quarantine(source, path, null, null, reason, why, Text.payload(content), delivery)));
    out.add(RowFactory.create(KIND_FILE, source, true, 0, null, null));
  }

  private Row quarantine(String source, String path, Integer index, String recordId, Reason reason, String why,
      String payload, LocalDate delivery) {
    return RowFactory.create(source, path, index, recordId, reason.name(), why, payload,
        delivery == null ? null : Date.valueOf(delivery), runId, ingestTime);
  }
}
