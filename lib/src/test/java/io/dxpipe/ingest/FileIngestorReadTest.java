package io.dxpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.ingest.IngestCheckpoint.PlannedFile;
import io.dxpipe.io.SerializableHadoopConf;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.IngestLog;
import io.dxpipe.testing.IngestFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How executors read landing files on {@code file:} (java.nio, not Hadoop's local file system):
 * names with spaces, percent signs, glob characters and non-ASCII letters are read by their exact
 * name, a file gone since the listing is recorded as vanished, and one above the limit is not read.
 */
class FileIngestorReadTest {
  private static final String DOC = "{\"recordId\": \"%s\", \"patient\": {\"mrn\": \"M-1\", \"age\": 40, \"gender\": \"F\"},"
      + " \"encounter\": {\"date\": \"2026-11-24\", \"symptoms\": [{\"name\": \"cough\", \"severity\": \"mild\"}]}}";

  private static Row logOf(List<Row> rows, String path) {
    return rows.stream().filter(r -> r.getString(0).equals(FileIngestor.KIND_LOG))
        .map(r -> r.getStruct(3)).filter(l -> field(l, IngestLog.PATH).equals(path)).findFirst().orElseThrow();
  }

  /** A field of an ingest-log row (made without a schema, as executors make them). */
  private static String field(Row log, String name) {
    return log.getString(IngestLog.SCHEMA.fieldIndex(name));
  }

  @Test
  void localFilesAreReadByTheirExactNameAndAVanishedOneIsRecorded(@TempDir Path root) throws Exception {
    Path day = Files.createDirectories(root.resolve("landing/north_ehr/2026-11-25"));
    List<String> names = List.of("plain.json", "with space.json", "pct%20sign.json", "glob[1]*.json", "Zoë-Ødegård.json");
    List<PlannedFile> plan = new ArrayList<>();
    for (String name : names) {
      byte[] doc = String.format(DOC, name).getBytes(StandardCharsets.UTF_8);
      Path file = Files.write(day.resolve(name), doc);
      plan.add(new PlannedFile(new org.apache.hadoop.fs.Path(file.toUri()).toString(), "north_ehr/2026-11-25/" + name,
          doc.length, Files.getLastModifiedTime(file).toMillis(), null, null));
    }
    Path gone = day.resolve("gone.json");
    String gonePath = new org.apache.hadoop.fs.Path(gone.toUri()).toString();
    plan.add(new PlannedFile(gonePath, "north_ehr/2026-11-25/gone.json", 10, 0, null, null));
    Path big = Files.write(day.resolve("big.json"), new byte[2048]);
    String bigPath = new org.apache.hadoop.fs.Path(big.toUri()).toString();
    plan.add(new PlannedFile(bigPath, "north_ehr/2026-11-25/big.json", 2048, 0, null, null));

    FileIngestor ingestor = new FileIngestor(IngestFixtures.ingestSettings("ingest.max-file-bytes=1k"),
        IngestFixtures.DISEASE_CODES, "run-1", new Timestamp(0), 0, new SerializableHadoopConf(new Configuration()));
    List<Row> rows = new ArrayList<>();
    ingestor.ingestPlanned(plan.iterator()).forEachRemaining(rows::add);

    List<String> bronzeIds = rows.stream().filter(r -> r.getString(0).equals(FileIngestor.KIND_BRONZE))
        .map(r -> r.getStruct(1).<String>getAs(Bronze.SOURCE_RECORD_ID)).toList();
    assertThat(bronzeIds).containsExactlyInAnyOrderElementsOf(names);
    for (PlannedFile f : plan.subList(0, names.size())) {
      Row log = logOf(rows, f.path());
      assertThat(field(log, IngestLog.OUTCOME)).as(f.relative()).isEqualTo("INGESTED");
      assertThat(field(log, IngestLog.CONTENT_SHA256)).as(f.relative())
          .isEqualTo(FileIngestor.sha256(Files.readAllBytes(day.resolve(f.relative().substring(f.relative().lastIndexOf('/') + 1)))));
    }
    Row vanished = logOf(rows, gonePath);
    assertThat(field(vanished, IngestLog.OUTCOME)).isEqualTo("SKIPPED");
    assertThat(field(vanished, IngestLog.REASON_CODE)).isEqualTo("VANISHED");
    Row tooLarge = logOf(rows, bigPath);
    assertThat(field(tooLarge, IngestLog.OUTCOME)).isEqualTo("QUARANTINED");
    assertThat(field(tooLarge, IngestLog.REASON_CODE)).isEqualTo("FILE_TOO_LARGE");
  }
}
