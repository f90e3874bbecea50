package io.dxpipe.ingest;

import static io.dxpipe.testing.DataFrameAssertions.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.config.Settings;
import io.dxpipe.generate.GenerateSettings;
import io.dxpipe.generate.GenerationStats;
import io.dxpipe.generate.LandingGenerator;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Quarantine;
import io.dxpipe.testing.IngestFixtures;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest job's guarantees on real Delta tables: counts add up, re-runs add nothing, crashes recover. */
class LandingIngestTest {
  private static final SparkSession SPARK = SharedSpark.session();

  private static Settings settings(Path root, String... more) {
    String[] all = Stream.concat(Stream.of("storage.root=file:" + root, "generate.records=300",
        "generate.records-per-file=40", "generate.dirty.corrupt-file-rate=0.03",
        "generate.dirty.missing-required-rate=0.03", "generate.dirty.type-mismatch-rate=0.03"), Stream.of(more))
        .toArray(String[]::new);
    return TestSettings.load(all);
  }

  private static GenerationStats generate(Settings s) {
    return new LandingGenerator(SPARK, IngestFixtures.CATALOGUE, GenerateSettings.from(s.config()), s.storage().landing()).run();
  }

  private static IngestTotals ingest(Settings s) throws Exception {
    var st = s.storage();
    return new LandingIngest(SPARK, IngestFixtures.ingestSettings(), IngestFixtures.CATALOGUE, st,
        new PrintStream(new ByteArrayOutputStream())).run();
  }

  private static long count(String table) {
    return SPARK.read().format("delta").load(table).count();
  }

  /** A table's rows without the columns that name the run that wrote them. */
  private static org.apache.spark.sql.Dataset<Row> content(String table) {
    return SPARK.read().format("delta").load(table).drop(Bronze.INGEST_RUN_ID, Bronze.INGEST_TIME).localCheckpoint();
  }

  @Test
  void everyFileAndRecordIsAccountedForAndRerunsAddNothing(@TempDir Path root) throws Exception {
    Settings s = settings(root);
    GenerationStats generated = generate(s);
    IngestTotals first = ingest(s);
    assertThat(first.files).isEqualTo(generated.files());
    assertThat(count(s.storage().bronze())).isEqualTo(first.bronze);
    assertThat(count(s.storage().quarantine())).isEqualTo(first.quarantineRows());
    // every record of the generator is either in bronze, in quarantine, or in a corrupt file
    assertThat(first.bronze + first.quarantinedRecords).isBetween(generated.deliveries() - generated.recordsInCorruptFiles,
        generated.deliveries());
    assertThat(first.unreadableFiles).isBetween(1L, generated.corruptFiles);
    // bronze holds only clean deliveries: at most the records without injected defects
    long defects = generated.defects.getOrDefault("missing_required", 0L) + generated.defects.getOrDefault("type_mismatch", 0L);
    assertThat(first.bronze).isLessThanOrEqualTo(generated.deliveries() - defects);
    assertThat(first.quarantinedPerReason).containsKeys("UNREADABLE_FILE", "MISSING_REQUIRED_FIELD", "TYPE_MISMATCH");

    IngestTotals again = ingest(s);
    assertThat(again.files).isZero();
    assertThat(count(s.storage().bronze())).isEqualTo(first.bronze);
    assertThat(count(s.storage().quarantine())).isEqualTo(first.quarantineRows());
  }

  @Test
  void quarantineRowsCarryTheSourceFileTheReasonAndThePayload(@TempDir Path root) throws Exception {
    Settings s = settings(root);
    generate(s);
    ingest(s);
    List<Row> rows = SPARK.read().format("delta").load(s.storage().quarantine()).collectAsList();
    assertThat(rows).isNotEmpty().allSatisfy(r -> {
      assertThat(r.<String>getAs(Quarantine.SOURCE_FILE)).startsWith("file:").contains("/landing/");
      assertThat(r.<String>getAs(Quarantine.REASON)).isNotBlank();
      assertThat(r.<String>getAs(Quarantine.RAW_PAYLOAD)).isNotBlank();
    });
    Row missing = rows.stream().filter(r -> r.getAs(Quarantine.REASON_CODE).equals("MISSING_REQUIRED_FIELD")).findFirst().orElseThrow();
    assertThat(missing.<String>getAs(Quarantine.REASON)).startsWith("required field ");
    assertThat(missing.<Integer>getAs(Quarantine.RECORD_INDEX)).isPositive();
  }

  @Test
  void newDeliveriesAreIngestedIncrementally(@TempDir Path root) throws Exception {
    Settings day1 = settings(root, "generate.date=2026-11-24", "generate.mode=daily");
    generate(day1);
    IngestTotals first = ingest(day1);
    Settings day2 = settings(root, "generate.date=2026-11-25", "generate.mode=daily", "generate.seed=7");
    GenerationStats second = generate(day2);
    IngestTotals next = ingest(day2);
    assertThat(next.files).isEqualTo(second.files());
    assertThat(count(day1.storage().bronze())).isEqualTo(first.bronze + next.bronze);
    Map<Object, Long> perDay = SPARK.read().format("delta").load(day1.storage().bronze()).collectAsList().stream()
        .collect(Collectors.groupingBy(r -> r.getAs(Bronze.DELIVERY_DATE).toString(), Collectors.counting()));
    assertThat(perDay).containsOnlyKeys("2026-11-24", "2026-11-25");
  }

  /**
   * A run that dies after its Delta commits but before the checkpoint's commit (the worst moment)
   * replays the batch on restart; Delta's idempotent writes skip it: no duplicates, no gaps.
   */
  @Test
  void aRunKilledBeforeItsCheckpointCommitRecoversExactly(@TempDir Path root) throws Exception {
    Settings s = settings(root);
    generate(s);
    IngestTotals first = ingest(s);
    long bronze = count(s.storage().bronze());
    var bronzeBefore = content(s.storage().bronze());
    var quarantineBefore = content(s.storage().quarantine());
    Path batches = root.resolve("_checkpoints/ingest/batches");
    Path last;
    try (Stream<Path> files = Files.list(batches)) {
      last = files.filter(p -> p.getFileName().toString().matches("\\d+\\.done"))
          .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().replace(".done", ""))))
          .orElseThrow();
    }
    // the crash: the batch's output is in Delta, its done marker is not in the checkpoint (nor its checksum)
    Files.delete(last);
    Files.deleteIfExists(last.resolveSibling("." + last.getFileName() + ".crc"));
    IngestTotals replay = ingest(s);
    assertThat(replay.files).as("the replayed batch").isEqualTo(first.files);
    assertSameRows(bronzeBefore, content(s.storage().bronze()));
    assertSameRows(quarantineBefore, content(s.storage().quarantine()));
    // (a record resent by its source is a second delivery in another file: clean removes those duplicates)
    assertThat(SPARK.read().format("delta").load(s.storage().bronze()).select(Bronze.RECORD_KEY, Bronze.SOURCE_FILE)
        .distinct().count()).isEqualTo(bronze);
  }

  @Test
  void aRunKilledBeforeItsDeltaCommitsRecoversExactly(@TempDir Path root) throws Exception {
    Settings s = settings(root);
    generate(s);
    ingest(s);
    var bronzeBefore = content(s.storage().bronze());
    var quarantineBefore = content(s.storage().quarantine());
    // The crash before any output: the batch planned but nothing written or marked done.
    deleteRecursively(root.resolve("bronze"));
    deleteRecursively(root.resolve("quarantine"));
    try (Stream<Path> files = Files.list(root.resolve("_checkpoints/ingest/batches"))) {
      for (Path p : files.filter(p -> p.getFileName().toString().contains(".done")).toList()) {
        Files.delete(p);
      }
    }
    ingest(s);
    assertSameRows(bronzeBefore, content(s.storage().bronze()));
    assertSameRows(quarantineBefore, content(s.storage().quarantine()));
  }

  /**
   * A parser defect (a RuntimeException, not the parser's "this input is bad") must not quarantine
   * good files for ever: the batch fails before its done marker, and once the defect is fixed the
   * next run takes the same files and ingests them.
   */
  @Test
  void aParserDefectFailsTheBatchAndTheFilesAreTakenAgainOnceFixed(@TempDir Path root) throws Exception {
    Settings s = settings(root, "generate.dirty.corrupt-file-rate=0");
    GenerationStats generated = generate(s);
    RecordParser.Factory defective = format -> format == SourceFormat.JSON
        ? (content, source) -> { throw new IllegalStateException("index out of range in the parser"); }
        : RecordParser.of(format);
    var st = s.storage();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LandingIngest(SPARK, IngestFixtures.ingestSettings(),
            IngestFixtures.CATALOGUE, st, new PrintStream(new ByteArrayOutputStream())).withParsers(defective).run())
        .hasStackTraceContaining("the json parser failed on north_ehr/")
        .hasStackTraceContaining("index out of range in the parser")
        .hasStackTraceContaining("the next run takes the same files again");
    assertThat(root.resolve("quarantine/records")).as("nothing quarantined").doesNotExist();
    assertThat(io.dxpipe.io.DeltaTables.exists(SPARK, st.bronze())).as("nothing committed to bronze").isFalse();
    IngestTotals fixed = ingest(s);
    assertThat(fixed.files).isEqualTo(generated.files());
    assertThat(fixed.unreadableFiles).isZero();
    assertThat(count(st.bronze())).isEqualTo(fixed.bronze);
  }

  /**
   * Upgrading from the streaming version: files its checkpoint records as taken are not taken again;
   * its last batch, planned but not committed, is replayed under its own id; new files are taken.
   */
  @Test
  void aCheckpointOfTheStreamingVersionIsHonoured(@TempDir Path root) throws Exception {
    Settings s = settings(root, "generate.date=2026-11-24", "generate.mode=daily");
    GenerationStats generated = generate(s);
    String checkpoint = s.storage().checkpoints() + "/ingest";
    // what the streaming version kept: Spark's own file source log, each file in a batch of its own
    SPARK.readStream().format("binaryFile")
        .schema("path string, modificationTime timestamp, length long, content binary")
        .option("maxFilesPerTrigger", 1)
        .load(s.storage().landing() + "/*/*")
        .writeStream().trigger(org.apache.spark.sql.streaming.Trigger.AvailableNow())
        .option("checkpointLocation", checkpoint)
        .foreachBatch((org.apache.spark.api.java.function.VoidFunction2<org.apache.spark.sql.Dataset<Row>, Long>)
            (batch, id) -> { })
        .start().awaitTermination();
    Path commits = root.resolve("_checkpoints/ingest/commits");
    long lastBatch;
    try (Stream<Path> files = Files.list(commits)) {
      lastBatch = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).mapToLong(Long::parseLong)
          .max().orElseThrow();
    }
    Files.delete(commits.resolve(Long.toString(lastBatch))); // its last batch did not commit

    IngestTotals upgraded = ingest(s);
    assertThat(upgraded.files).as("only the uncommitted batch's file").isEqualTo(1);
    assertThat(upgraded.alreadyTaken).isEqualTo(generated.files() - 1);
    assertThat(root.resolve("_checkpoints/ingest/batches/" + lastBatch + ".plan")).exists();
    Settings day2 = settings(root, "generate.date=2026-11-25", "generate.mode=daily", "generate.seed=7");
    GenerationStats second = generate(day2);
    IngestTotals next = ingest(day2);
    assertThat(next.files).isEqualTo(second.files());
    assertThat(next.alreadyTaken).isEqualTo(generated.files());
  }

  private static void deleteRecursively(Path dir) throws Exception {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
