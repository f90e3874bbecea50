package io.dxpipe.clean;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.config.Settings;
import io.dxpipe.generate.BronzeSynthesizer;
import io.dxpipe.generate.GenerateSettings;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Silver;
import io.dxpipe.serve.RowEvaluator;
import io.dxpipe.testing.BronzeDirt;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;

/**
 * The row form of the cleaning rules ({@link SilverBuilder#clean(Map)}) against the Dataset form
 * ({@link SilverBuilder#clean(Dataset)}): 1,500 generated bronze records, most given one or more
 * kinds of dirt the rules handle (°F temperatures, category spellings with spaces, tabs and unknown
 * values, symptom typos, synonyms, duplicates, blanks and unknown names, NaN and impossible vital
 * signs, dates out of range, diagnosis codes and texts), must come out with the same values, bit for
 * bit, and the same quality flags in the same order.
 */
class RowCleaningTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final DiseaseCatalogue CATALOGUE = DiseaseCatalogue.fromClasspath();
  private static final byte[] KEY = "test-patient-key-0123456789-0123456789-abcdefgh".getBytes(StandardCharsets.UTF_8);
  private static final int RECORDS = 1500;

  private static SilverBuilder builder;
  private static List<Row> dirty;

  @BeforeAll
  static void data() {
    Settings s = TestSettings.load("generate.mode=historical", "generate.records=" + RECORDS,
        "generate.date=2026-03-01", "generate.records-per-partition=800");
    builder = SilverBuilder.load(CleanSettings.from(s.config().dxpipe()), CATALOGUE);
    List<Row> clean = BronzeSynthesizer.records(SPARK, CATALOGUE, GenerateSettings.from(s.config()), KEY, "test")
        .collectAsList();
    dirty = new ArrayList<>();
    for (int i = 0; i < clean.size(); i++) {
      dirty.add(BronzeDirt.dirty(clean.get(i), new SplittableRandom(i), CATALOGUE));
    }
  }

  @Test
  void theRowFormGivesTheDatasetFormsValuesAndFlags() {
    Dataset<Row> bronze = SPARK.createDataFrame(dirty, Bronze.SCHEMA);
    Map<String, Row> expected = new HashMap<>();
    for (Row r : builder.clean(bronze).collectAsList()) {
      expected.put(r.getString(r.fieldIndex(Bronze.RECORD_KEY)), r);
    }
    assertThat(expected).hasSize(dirty.size());
    Map<String, Integer> flagKinds = new TreeMap<>();
    int flagged = 0;
    for (Row b : dirty) {
      Map<String, Object> actual = builder.clean(RowEvaluator.toMap(b));
      Row want = expected.get(b.getString(b.fieldIndex(Bronze.RECORD_KEY)));
      String key = want.getString(want.fieldIndex(Bronze.RECORD_KEY));
      assertThat(actual.keySet()).containsExactlyElementsOf(List.of(want.schema().fieldNames()));
      for (String column : want.schema().fieldNames()) {
        assertThat(normal(actual.get(column))).as("%s of %s", column, key)
            .isEqualTo(normal(want.get(want.fieldIndex(column))));
      }
      @SuppressWarnings("unchecked")
      List<String> flags = (List<String>) actual.get(Silver.QUALITY_FLAGS);
      flagged += flags.isEmpty() ? 0 : 1;
      flags.forEach(f -> flagKinds.merge(f.substring(0, f.indexOf(':') + 1) + (f.startsWith("outlier:")
          || f.startsWith("unit:") ? f.substring(f.indexOf(':') + 1) : ""), 1, Integer::sum));
    }
    // the dirt reached every rule: each kind of flag was raised, on a good share of the records
    assertThat(flagKinds).containsKeys("unit:temperature_c", "unmapped:", "symptom-typo:", "unknown-symptom:",
        "unknown-diagnosis:", "outlier:heart_rate", "outlier:spo2", "outlier:age", "outlier:visit_date",
        "outlier:symptom_onset_date");
    assertThat(flagged).isGreaterThan(RECORDS / 2);
  }

  @Test
  void theRowFormLeavesItsInputAlone() {
    Map<String, Object> in = RowEvaluator.toMap(dirty.get(3));
    Map<String, Object> copy = new HashMap<>(in);
    builder.clean(in);
    assertThat(in).isEqualTo(copy);
  }

  /** Values comparable across the two forms: Java lists for arrays, name/severity pairs for symptoms, bits for doubles. */
  private static Object normal(Object v) {
    if (v instanceof scala.collection.Seq<?> s) {
      v = JavaConverters.seqAsJavaList(s);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) {
        out.add(o instanceof Row r ? List.of(String.valueOf(r.get(0)), String.valueOf(r.get(1))) : normal(o));
      }
      return out;
    }
    if (v instanceof Double d) {
      return "double:" + Long.toHexString(Double.doubleToRawLongBits(d));
    }
    return v;
  }
}
