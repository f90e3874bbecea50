package io.dxpipe.testing;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.schema.Bronze;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import scala.collection.JavaConverters;

/**
 * Dirt of the kinds the clean rules handle, put on clean generated bronze rows (which the generator
 * gives without it): °F temperatures, category spellings with spaces, tabs and unknown values,
 * symptom typos, spelled-out codes, duplicates, blank, unknown and missing symptoms, NaN and
 * impossible vital signs and ages, dates out of range, unknown diagnosis codes and written diagnoses.
 */
public final class BronzeDirt {
  private BronzeDirt() {}

  /** Zero to three kinds of dirt on a clean bronze record, chosen by the random source. */
  public static Row dirty(Row clean, SplittableRandom rng, DiseaseCatalogue catalogue) {
    Object[] v = new Object[clean.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = clean.get(i);
    }
    int kinds = rng.nextInt(4);
    for (int k = 0; k < kinds; k++) {
      switch (rng.nextInt(17)) {
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
          set(v, Bronze.DIAGNOSIS_TEXT, rng.nextBoolean() ? catalogue.diseases().get(rng.nextInt(5)).name() : "weird");
        }
        case 14 -> set(v, Bronze.TEMPERATURE_C, null);
        case 15 -> putSymptoms(v, rng.nextInt(4) == 0 ? List.of() : symptoms(v));
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
