package io.dxpipe.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.config.Settings;
import io.dxpipe.ingest.SourceFormat;
import io.dxpipe.io.CsvText;
import io.dxpipe.schema.DelayedLabels;
import io.dxpipe.testing.FileDigests;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LandingGeneratorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DiseaseCatalogue CATALOGUE = DiseaseCatalogue.fromClasspath();

  private static GenerationStats generate(Path root, String... overrides) {
    String[] all = Stream.concat(Stream.of("storage.root=file:" + root, "generate.records=400",
        "generate.records-per-partition=150", "generate.records-per-file=50"), Stream.of(overrides)).toArray(String[]::new);
    Settings settings = TestSettings.load(all);
    return new LandingGenerator(SharedSpark.session(), CATALOGUE, GenerateSettings.from(settings.config()), settings.storage().landing()).run();
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root.resolve("landing"))) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  void everyDeliveredRecordIsInExactlyOneFileAndTheCountsAddUp(@TempDir Path root) throws Exception {
    GenerationStats stats = generate(root, "generate.dirty.corrupt-file-rate=0",
        "generate.dirty.duplicate-same-source-rate=0.05", "generate.dirty.duplicate-cross-source-rate=0.05");
    List<Path> files = files(root);
    assertThat(files).hasSize((int) stats.files());
    assertThat(files).noneMatch(f -> f.getFileName().toString().endsWith(".crc"));
    Map<String, Long> recordsPerFormat = new TreeMap<>();
    Set<String> recordIds = new HashSet<>();
    long parsed = 0;
    for (Path f : files) {
      String source = root.resolve("landing").relativize(f).getName(0).toString();
      assertThat(root.resolve("landing").relativize(f).getName(1).toString()).isEqualTo("2026-11-25");
      List<String> ids = recordIdsIn(source, f);
      parsed += ids.size();
      recordIds.addAll(ids);
      recordsPerFormat.merge(formatOf(source).key(), (long) ids.size(), Long::sum);
    }
    assertThat(parsed).isEqualTo(stats.deliveries());
    assertThat(stats.deliveries()).isEqualTo(stats.patients + stats.duplicateSameSource + stats.duplicateCrossSource);
    assertThat(recordsPerFormat).isEqualTo(stats.recordsPerFormat);
    assertThat(stats.patients).isEqualTo(400);
    assertThat(stats.duplicateSameSource).isPositive();
    assertThat(stats.duplicateCrossSource).isPositive();
    // a resent record keeps its id; a second source's copy gets that source's own id
    assertThat(recordIds).hasSize((int) (stats.patients + stats.duplicateCrossSource));
  }

  @Test
  void tasksWriteTheirOwnFilesInParallel(@TempDir Path root) throws IOException {
    generate(root, "generate.dirty.corrupt-file-rate=0");
    Set<String> tasks = new HashSet<>();
    for (Path f : files(root)) {
      var m = java.util.regex.Pattern.compile("-p(\\d{5})-").matcher(f.getFileName().toString());
      if (m.find()) {
        tasks.add(m.group(1));
      }
    }
    assertThat(tasks).containsExactlyInAnyOrder("00000", "00001", "00002"); // 400 records, 150 per task
  }

  @Test
  void aRerunReplacesTheSameFilesByteForByte(@TempDir Path root) throws Exception {
    generate(root);
    Map<String, String> first = FileDigests.of(root.resolve("landing"));
    GenerationStats again = generate(root);
    assertThat(FileDigests.of(root.resolve("landing"))).isEqualTo(first);
    assertThat(first).hasSize((int) again.files());
  }

  @Test
  void corruptFilesCannotBeParsed(@TempDir Path root) throws Exception {
    GenerationStats stats = generate(root, "generate.dirty.corrupt-file-rate=1", "generate.format-shares.historical.json=1",
        "generate.format-shares.historical.jsonl=0", "generate.format-shares.historical.registry-xml=0",
        "generate.format-shares.historical.csv=0", "generate.format-shares.historical.fhir=0",
        "generate.dirty.duplicate-cross-source-rate=0");
    assertThat(stats.corruptFiles).isEqualTo(stats.files());
    assertThat(stats.recordsInCorruptFiles).isEqualTo(stats.deliveries());
    for (Path f : files(root)) {
      assertThat(parses(f)).as(f.toString()).isFalse();
    }
  }

  @Test
  void defaultRatesInjectEveryKindOfDirt(@TempDir Path root) {
    GenerationStats stats = generate(root, "generate.records=3000", "generate.records-per-file=200");
    assertThat(stats.defects).containsKeys("missing_required", "type_mismatch", "impossible_value");
    assertThat(stats.corruptFiles).isPositive();
    assertThat(stats.symptomVariants).isBetween(200L, 400L); // 10% of 3000
    assertThat(stats.duplicateSameSource + stats.duplicateCrossSource).isBetween(25L, 100L); // 2% of ~2900 clean
  }

  @Test
  void manifestReportsTheRun(@TempDir Path root) throws Exception {
    Settings settings = TestSettings.load("storage.root=file:" + root, "generate.records=100");
    GenerateSettings g = GenerateSettings.from(settings.config());
    GenerationStats stats = new LandingGenerator(SharedSpark.session(), CATALOGUE, g, settings.storage().landing()).run();
    JsonNode manifest = JSON.readTree(LandingGenerator.manifestJson(g, settings.storage().landing(), stats));
    assertThat(manifest.get("patients").asLong()).isEqualTo(100);
    assertThat(manifest.get("deliveries").asLong()).isEqualTo(stats.deliveries());
    assertThat(manifest.get("mode").asText()).isEqualTo("historical");
    assertThat(LandingGenerator.manifestName(g)).isEqualTo("generate-historical-2026-11-25-seed42.json");
  }

  @Test
  void delayedLabelsHaveTheDeclaredSchemaAndNameEveryDeliveredRecordOnce(@TempDir Path root) throws Exception {
    Settings settings = TestSettings.load("storage.root=file:" + root, "generate.mode=daily", "generate.records=300",
        "generate.records-per-partition=150", "generate.dirty.corrupt-file-rate=0",
        "generate.dirty.missing-required-rate=0", "generate.dirty.duplicate-same-source-rate=0.05",
        "generate.dirty.duplicate-cross-source-rate=0.05");
    GenerationStats stats = new LandingGenerator(SharedSpark.session(), CATALOGUE, GenerateSettings.from(settings.config()),
        settings.storage().landing()).withLabels(settings.storage().labels()).run();
    List<Path> labelFiles;
    try (Stream<Path> s = Files.walk(root.resolve("labels"))) {
      labelFiles = s.filter(f -> f.getFileName().toString().endsWith(".csv")).sorted().toList();
    }
    assertThat(labelFiles).isNotEmpty();
    for (Path f : labelFiles) {
      assertThat(Files.readAllLines(f).get(0)).isEqualTo(DelayedLabels.HEADER);
    }
    // FAILFAST and a checked header: a value that does not parse as its declared type, or a header that is not the
    // schema's, fails the read
    List<Row> labels = SharedSpark.session().read().schema(DelayedLabels.SCHEMA).option("header", "true")
        .option("enforceSchema", "false").option("mode", "FAILFAST").option("recursiveFileLookup", "true")
        .csv(root.resolve("labels").toString()).collectAsList();
    assertThat(labels).hasSize((int) stats.delayedLabels);
    Set<String> sources = new HashSet<>();
    for (SourceFormat f : SourceFormat.generated()) {
      sources.add(SampleSources.name(f));
    }
    Set<String> codes = CATALOGUE.diseasesByCode().keySet();
    Set<String> labelled = new HashSet<>();
    for (Row r : labels) {
      for (int i = 0; i < DelayedLabels.SCHEMA.size(); i++) {
        assertThat(r.isNullAt(i) && !DelayedLabels.SCHEMA.fields()[i].nullable()).as(r + " field " + i).isFalse();
      }
      assertThat(r.getString(r.fieldIndex(DelayedLabels.SOURCE))).isIn(sources);
      assertThat(r.getString(r.fieldIndex(DelayedLabels.DIAGNOSIS_CODE))).isIn(codes);
      assertThat(r.getDate(r.fieldIndex(DelayedLabels.DIAGNOSED_ON)).toLocalDate())
          .isEqualTo(GenerateSettings.from(settings.config()).date());
      labelled.add(r.getString(r.fieldIndex(DelayedLabels.SOURCE_RECORD_ID)));
    }
    // one label per record id delivered; a resent record keeps its id and gets no second label
    Set<String> delivered = new HashSet<>();
    for (Path f : files(root)) {
      delivered.addAll(recordIdsIn(root.resolve("landing").relativize(f).getName(0).toString(), f));
    }
    assertThat(stats.duplicateSameSource).isPositive();
    assertThat(labelled).hasSize(labels.size()).isEqualTo(delivered);
  }

  // ---- helpers ----

  private static SourceFormat formatOf(String source) {
    for (SourceFormat f : SourceFormat.generated()) {
      if (SampleSources.name(f).equals(source)) {
        return f;
      }
    }
    throw new IllegalArgumentException(source);
  }

  private static List<String> recordIdsIn(String source, Path f) throws Exception {
    switch (formatOf(source)) {
      case JSON:
        return List.of(JSON.readTree(f.toFile()).get("recordId").asText());
      case JSONL:
        return Files.readAllLines(f).stream().map(l -> {
          try {
            return JSON.readTree(l).get("recordId").asText();
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }).toList();
      case REGISTRY_XML: {
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(f.toFile());
        var nodes = doc.getElementsByTagName("record");
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
          ids.add(((org.w3c.dom.Element) nodes.item(i)).getAttribute("id"));
        }
        return ids;
      }
      case CSV:
        return Files.readAllLines(f).stream().skip(1).map(l -> CsvText.fields(l).get(0)).toList();
      default:
        return List.of(JSON.readTree(f.toFile()).at("/identifier/value").asText());
    }
  }

  private static boolean parses(Path f) {
    try {
      JSON.readTree(f.toFile());
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
