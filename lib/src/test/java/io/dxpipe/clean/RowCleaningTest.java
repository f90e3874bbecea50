package io.dxpipe.clean;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.config.Settings;
import io.dxpipe.generate.BronzeSynthesizer;
import io.dxpipe.generate.GenerateSettings;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Silver;
import io.dxpipe.serve.RowEvaluator;
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
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
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
      dirty.add(dirty(clean.get(i), new SplittableRandom(i)));
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

  /** One or more kinds of dirt on a clean bronze record, chosen by the random source. */
  private static Row dirty(Row clean, SplittableRandom rng) {
    Object[] v = new Object[clean.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = clean.get(i);
    }
    int kinds = rng.nextInt(4);
    for (int k = 0; k < kinds; k++) {
      switch (rng.nextInt(16)) {
        case 0 -> set(v, Bronze.TEMPERATURE_C, 98.0 + rng.nextInt(80) / 10.0); // °F
        case 1 -> set(v, Bronze.GENDER, "  " + String.valueOf(get(v, Bronze.GENDER)).toUpperCase() + " ");
        case 2 -> set(v, Bronze.ETHNICITY, rng.nextBoolean() ? "martian" : "\twhite"); // Spark's trim keeps tabs
        case 3 -> set(v, Bronze.MARITAL_STATUS, rng.nextBoolean() ? "" : "   ");
        case 4 -> symptom(v, rng, s -> s.length() > 6 ? s.substring(0, 2) + s.charAt(3) + s.charAt(2) + s.substring(4) : s);
        case 5 -> symptom(v, rng, s -> s.replace('_', ' ').toUpperCase());
        case 6 -> symptom(v, rng, s -> rng.nextBoolean() ? "zzqx_unknown_sign" : "  ");
        case 7 -> duplicateSymptom(v, rng);
        case 8 -> set(v, Bronze.HEART_RATE, rng.nextBoolean() ? Double.NaN : 900.0);
        case 9 -> set(v, Bronze.SPO2, rng.nextBoolean() ? 150.0 : Double.NEGATIVE_INFINITY);
        case 10 -> set(v, Bronze.AGE, rng.nextBoolean() ? 200 : -3);
        case 11 -> set(v, Bronze.VISIT_DATE, java.sql.Date.valueOf(rng.nextBoolean() ? "9999-12-31" : "1850-01-01"));
        case 12 -> set(v, Bronze.SYMPTOM_ONSET_DATE, java.sql.Date.valueOf("1800-06-01"));
        case 13 -> {
          set(v, Bronze.DIAGNOSIS_CODE, rng.nextBoolean() ? "X-NOT-A-CODE" : null);
          set(v, Bronze.DIAGNOSIS_TEXT, rng.nextBoolean() ? CATALOGUE.diseases().get(rng.nextInt(5)).name() : "weird");
        }
        case 14 -> set(v, Bronze.TEMPERATURE_C, null);
        default -> set(v, Bronze.EDUCATION, "Doctorate ");
      }
    }
    return new GenericRowWithSchema(v, Bronze.SCHEMA);
  }

  private static int index(String column) {
    return Bronze.SCHEMA.fieldIndex(column);
  }

  private static Object get(Object[] v, String column) {
    return v[index(column)];
  }

  private static void set(Object[] v, String column, Object value) {
    v[index(column)] = value;
  }

  private static List<Row> symptoms(Object[] v) {
    return new ArrayList<>(JavaConverters.seqAsJavaList((scala.collection.Seq<Row>) get(v, Bronze.SYMPTOMS)));
  }

  private static void putSymptoms(Object[] v, List<Row> s) {
    set(v, Bronze.SYMPTOMS, JavaConverters.asScalaBuffer(s).toList());
  }

  private static void symptom(Object[] v, SplittableRandom rng, java.util.function.UnaryOperator<String> change) {
    List<Row> s = symptoms(v);
    if (s.isEmpty()) {
      return;
    }
    int i = rng.nextInt(s.size());
    s.set(i, new GenericRowWithSchema(new Object[] {change.apply(s.get(i).getString(0)), s.get(i).get(1)}, Bronze.SYMPTOM));
    putSymptoms(v, s);
  }

  private static void duplicateSymptom(Object[] v, SplittableRandom rng) {
    List<Row> s = symptoms(v);
    if (s.isEmpty()) {
      return;
    }
    Row first = s.get(0);
    s.add(new GenericRowWithSchema(new Object[] {first.getString(0), rng.nextBoolean() ? null : 1 + rng.nextInt(3)},
        Bronze.SYMPTOM));
    s.add(0, new GenericRowWithSchema(new Object[] {first.getString(0), null}, Bronze.SYMPTOM));
    putSymptoms(v, s);
  }
}
