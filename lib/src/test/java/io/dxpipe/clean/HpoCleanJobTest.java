package io.dxpipe.clean;

import static io.dxpipe.testing.BronzeRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.config.Settings;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Silver;
import io.dxpipe.testing.BronzeRecords;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clean job with HPO-coded symptoms and no ontology where the settings point: one line says so,
 * and the catalogue's own HPO ids still resolve (no crash; no labels, no ancestors). With the
 * ontology: {@link SymptomVocabularyTest} and {@link HpoCodedRecordsTest}.
 */
class HpoCleanJobTest {
  private static final SparkSession SPARK = SharedSpark.session();

  /**
   * 40 plain records, then one per HPO-coded symptom: HP:0001191 (a catalogue id), HP:0001250
   * (Seizure: the catalogue records it under a curated everyday name, not by its id), HP:0000198
   * (Absence of Stensen duct: not in the catalogue, its parent HP:0000197 is).
   */
  private static Settings bronze(Path root, String ontology) {
    Settings s = TestSettings.load("storage.root=file:" + root, "clean.vocabulary.hpo-ontology=\"" + ontology + "\"");
    List<BronzeRecords> records = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      records.add(record("r" + i));
    }
    records.add(record("catalogue-id").symptoms("HP:0001191", 2));
    records.add(record("by-name").symptoms("HP:0001250", null));
    records.add(record("ancestor").symptoms("HP:0000198", 3));
    BronzeRecords.dataset(records.toArray(BronzeRecords[]::new)).write().format("delta").save(s.storage().bronze());
    return s;
  }

  private static String run(Settings s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new CleanStage(SPARK, CleanStage.Options.parse(s), new PrintStream(out, true, StandardCharsets.UTF_8)).run();
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Map<String, Row> silver(Settings s) {
    Map<String, Row> byKey = new HashMap<>();
    SPARK.read().format("delta").load(s.storage().silver()).collectAsList()
        .forEach(r -> byKey.put(r.getAs(Bronze.RECORD_KEY), r));
    return byKey;
  }

  private static String symptom(Row r) {
    return r.<Row>getList(r.fieldIndex(Bronze.SYMPTOMS)).get(0).getString(0);
  }

  private static List<String> flags(Row r) {
    return r.getList(r.fieldIndex(Silver.QUALITY_FLAGS));
  }

  @Test
  void withoutTheOntologyTheJobSaysSoOnceAndTheCataloguesIdsStillResolve(@TempDir Path root) {
    String missing = root.resolve("no-such-hp.obo").toString();
    Settings s = bronze(root, missing);
    String out = run(s);
    assertThat(out.lines().filter(l -> l.contains("HPO")))
        .containsExactly("[dxpipe] symptoms: no HPO ontology at " + missing
            + ": HPO ids resolve through the catalogue's 8482 ids only, no HPO labels or ancestors");
    Map<String, Row> silver = silver(s);
    assertThat(silver).hasSize(43);
    assertThat(symptom(silver.get("catalogue-id"))).isEqualTo("abnormal_carpal_morphology");
    assertThat(flags(silver.get("catalogue-id"))).isEmpty();
    assertThat(flags(silver.get("by-name"))).containsExactly("unknown-symptom:HP:0001250");
    assertThat(flags(silver.get("ancestor"))).containsExactly("unknown-symptom:HP:0000198");
  }
}
