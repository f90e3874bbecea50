package io.dxpipe.ingest;

import static io.dxpipe.testing.DataFrameAssertions.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.apache.spark.sql.functions.col;

import io.dxpipe.config.Settings;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.IngestLog;
import io.dxpipe.schema.Quarantine;
import io.dxpipe.testing.HostileLanding;
import io.dxpipe.testing.HostileLanding.Expected;
import io.dxpipe.testing.HostileLanding.Fate;
import io.dxpipe.testing.IngestFixtures;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile but ordinary deliveries ({@link HostileLanding}): every entry of landing ends where it
 * must, with its reason; nothing is lost, nothing duplicated; file names reach no zone but the
 * restricted ones; files that change are taken again, and a crash with such names recovers exactly.
 */
class HostileLandingTest {
  private static final SparkSession SPARK = SharedSpark.session();

  private static Settings settings(Path root, String... more) {
    return TestSettings.load(Stream.concat(Stream.of("storage.root=file:" + root, "ingest.settle-time=0s",
        "ingest.max-file-bytes=" + HostileLanding.MAX_FILE_SIZE), Stream.of(more)).toArray(String[]::new));
  }

  private static IngestTotals ingest(Settings s) {
    IngestSettings ingest = IngestSettings.from(s.config().dxpipe(), s.environment());
    return new LandingIngest(SPARK, ingest, IngestFixtures.CATALOGUE, s.storage(),
        new PrintStream(new ByteArrayOutputStream())).run();
  }

  private static Dataset<Row> table(String path) {
    return SPARK.read().format("delta").load(path);
  }

  /** The latest ingest-log row of each entry, by its path below landing. */
  private static Map<String, Row> log(Settings s) {
    String prefix = "file:" + Path.of(java.net.URI.create(s.storage().landing())) + "/";
    Map<String, Row> latest = new HashMap<>();
    for (Row r : table(s.storage().ingestLog()).orderBy(IngestLog.BATCH_ID).collectAsList()) {
      latest.put(r.<String>getAs(IngestLog.PATH).substring(prefix.length()), r);
    }
    return latest;
  }

  @Test
  void everyEntryEndsWhereItMustWithItsReasonAndNothingIsDuplicated(@TempDir Path root) throws Exception {
    Settings s = settings(root);
    HostileLanding corpus = new HostileLanding(root.resolve("landing")).write();
    IngestTotals t = ingest(s);

    Map<String, Row> log = log(s);
    Map<String, Long> bronzePerRef = new HashMap<>();
    table(s.storage().bronze()).groupBy(Bronze.SOURCE_FILE).count().collectAsList()
        .forEach(r -> bronzePerRef.put(r.getString(0), r.getLong(1)));
    List<Row> quarantine = table(s.storage().quarantine()).collectAsList();
    for (Expected e : corpus.expected()) {
      Row entry = log.get(e.relative());
      assertThat(entry).as("ingest log row of %s", e.relative()).isNotNull();
      switch (e.fate()) {
        case BRONZE -> {
          assertThat(entry.<String>getAs(IngestLog.OUTCOME)).as(e.relative()).isEqualTo("INGESTED");
          assertThat(bronzePerRef.get(entry.<String>getAs(IngestLog.FILE_REF))).as("bronze rows of %s", e.relative())
              .isEqualTo(e.records());
        }
        case QUARANTINED -> {
          assertThat(entry.<String>getAs(IngestLog.OUTCOME)).as(e.relative()).isEqualTo("QUARANTINED");
          assertThat(entry.<String>getAs(IngestLog.REASON_CODE)).as(e.relative()).isEqualTo(e.reason());
          assertThat(quarantine).as("quarantine row of %s", e.relative()).filteredOn(q ->
              q.<String>getAs(Quarantine.SOURCE_FILE).equals(entry.getAs(IngestLog.PATH))).singleElement()
              .satisfies(q -> assertThat(q.<String>getAs(Quarantine.REASON_CODE)).isEqualTo(e.reason()));
        }
        case SKIPPED -> {
          assertThat(entry.<String>getAs(IngestLog.OUTCOME)).as(e.relative()).isEqualTo("SKIPPED");
          assertThat(entry.<String>getAs(IngestLog.REASON_CODE)).as(e.relative()).isEqualTo(e.reason());
        }
      }
    }
    // every entry of landing is accounted for, and only those
    assertThat(log.keySet()).containsExactlyInAnyOrderElementsOf(corpus.byRelative().keySet());
    long good = corpus.expected().stream().filter(e -> e.fate() == Fate.BRONZE).count();
    long quarantinedWhole = corpus.expected().stream().filter(e -> e.fate() == Fate.QUARANTINED).count();
    assertThat(t.listed).isEqualTo(corpus.expected().size());
    assertThat(t.listed).isEqualTo(t.alreadyTaken + t.planned + t.replayed + t.deferred + t.skippedTotal());
    assertThat(t.files).isEqualTo(good + quarantinedWhole);
    assertThat(t.unreadableFiles).isEqualTo(quarantinedWhole);
    assertThat(t.skipped).containsEntry("EMPTY_FILE", 1L).containsEntry("HIDDEN_FILE", 2L).containsEntry("NOT_A_FILE", 2L);
    assertThat(t.bronze).isEqualTo(good).isEqualTo(table(s.storage().bronze()).count());
    assertThat(t.quarantineRows()).isEqualTo(quarantine.size()).isEqualTo(quarantinedWhole + 1); // + the broken line
    // one bronze row per good record: glob characters in a name take no other file along
    assertThat(table(s.storage().bronze()).select(Bronze.SOURCE_RECORD_ID).distinct().count()).isEqualTo(good);

    // names carry identifiers: bronze keeps a reference, the real name is only in restricted tables
    for (Row r : table(s.storage().bronze()).select(Bronze.SOURCE_FILE).collectAsList()) {
      assertThat(r.getString(0)).matches("[a-z_]+/\\d{4}-\\d{2}-\\d{2}/f-[0-9a-f]{24}(\\.[A-Za-z0-9]+)?")
          // (not the bare digits "4118": the 24 hex digits of a file's key contain them by chance, 1 run in ~30)
          .doesNotContain("Andersen").doesNotContain("54-4118").doesNotContain("ller");
    }
    assertThat(log.get(HostileLanding.JSON_DIR + "/" + HostileLanding.IDENTIFYING_NAME)).isNotNull();
    // a symbolic link to /etc/passwd is not followed: its content is nowhere
    assertThat(table(s.storage().quarantine()).filter(col(Quarantine.RAW_PAYLOAD).contains("root:")).count()).isZero();

    // a re-run takes nothing and writes nothing
    long bronzeRows = table(s.storage().bronze()).count();
    long quarantineRows = quarantine.size();
    long logRows = table(s.storage().ingestLog()).count();
    IngestTotals again = ingest(s);
    assertThat(again.files).isZero();
    assertThat(again.alreadyTaken).isEqualTo(good + quarantinedWhole);
    assertThat(again.skippedTotal()).isEqualTo(t.skippedTotal());
    assertThat(table(s.storage().bronze()).count()).isEqualTo(bronzeRows);
    assertThat(table(s.storage().quarantine()).count()).isEqualTo(quarantineRows);
    assertThat(table(s.storage().ingestLog()).count()).isEqualTo(logRows);
  }

  @Test
  void filesThatChangeAreTakenAgainAndUnchangedBytesAddNothing(@TempDir Path root) throws Exception {
    Settings s = settings(root);
    Path landing = root.resolve("landing");
    HostileLanding corpus = new HostileLanding(landing).write();
    ingest(s);
    long bronze = table(s.storage().bronze()).count();
    // the sender finishes the truncated file; another file is touched but not changed
    Files.write(landing.resolve(HostileLanding.TRUNCATED), corpus.truncatedComplete());
    corpus.touch(HostileLanding.TRUNCATED, Instant.now().minusSeconds(5));
    corpus.touch(HostileLanding.JSON_DIR + "/plain.json", Instant.now().minusSeconds(5));
    IngestTotals t = ingest(s);
    assertThat(t.retaken).isEqualTo(2);
    assertThat(t.files).isEqualTo(2);
    assertThat(t.unchanged).isEqualTo(1);
    assertThat(t.bronze).isEqualTo(1);
    assertThat(table(s.storage().bronze()).count()).isEqualTo(bronze + 1);
    Map<String, Row> log = log(s);
    assertThat(log.get(HostileLanding.TRUNCATED).<String>getAs(IngestLog.OUTCOME)).isEqualTo("INGESTED");
    assertThat(log.get(HostileLanding.JSON_DIR + "/plain.json").<String>getAs(IngestLog.OUTCOME)).isEqualTo("UNCHANGED");

    // a file above the size limit is taken once the limit is raised
    IngestTotals raised = ingest(settings(root, "ingest.max-file-bytes=4m"));
    assertThat(raised.retaken).isEqualTo(1);
    assertThat(log(s).get(HostileLanding.TOO_LARGE).<String>getAs(IngestLog.OUTCOME)).isNotEqualTo("QUARANTINED");
    // ...and a file still being written waits for the settle time
    Files.write(landing.resolve(HostileLanding.JSON_DIR + "/fresh.json"), corpus.goodJson());
    IngestTotals settling = ingest(settings(root, "ingest.settle-time=1h"));
    assertThat(settling.deferred).isEqualTo(1);
    assertThat(settling.files).isZero();
  }

  /**
   * The crash at the worst moment (a batch in Delta, its done marker not written) with glob
   * characters and non-ASCII names in the batch: the replay restores exactly the same rows.
   */
  @Test
  void aCrashWithGlobAndNonAsciiNamesInTheBatchRecoversExactly(@TempDir Path root) throws Exception {
    Settings s = settings(root);
    new HostileLanding(root.resolve("landing")).write();
    IngestTotals first = ingest(s);
    Dataset<Row> bronze = content(s.storage().bronze());
    Dataset<Row> quarantine = content(s.storage().quarantine());
    Dataset<Row> log = content(s.storage().ingestLog());
    Path last;
    try (Stream<Path> files = Files.list(root.resolve("_checkpoints/ingest/batches"))) {
      last = files.filter(p -> p.getFileName().toString().matches("\\d+\\.done"))
          .max(Comparator.comparing(p -> Long.parseLong(p.getFileName().toString().replace(".done", ""))))
          .orElseThrow();
    }
    Files.delete(last);
    IngestTotals replay = ingest(s);
    assertThat(replay.files).isEqualTo(first.files);
    assertSameRows(bronze, content(s.storage().bronze()));
    assertSameRows(quarantine, content(s.storage().quarantine()));
    assertSameRows(log, content(s.storage().ingestLog()));
    assertThat(new String(Files.readAllBytes(root.resolve("_checkpoints/ingest/batches/" + last.getFileName()
        .toString().replace(".done", ".plan"))), StandardCharsets.UTF_8)).contains("g4*.json").contains("Müller.json");
  }

  private static Dataset<Row> content(String table) {
    return table(table).drop(Bronze.INGEST_RUN_ID, Bronze.INGEST_TIME).localCheckpoint();
  }

}
