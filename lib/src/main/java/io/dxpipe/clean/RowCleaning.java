package io.dxpipe.clean;

import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Silver;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * The rules of {@link RecordCleaning} on one record held as a map (column name to value), for the
 * online service, which cannot afford a Spark query per request. Each method is the row form of the
 * Dataset rule of the same name and must stay its exact equivalent, Spark's semantics included:
 * {@code trim} removes spaces only, {@code between} is false for NaN (so a NaN vital sign is an
 * outlier), a comparison with a null date is null (not flagged). {@code RowCleaningTest} holds the
 * two forms equal, flags in order, on generated records with every kind of dirt the rules handle.
 *
 * <p>Values are those of a Spark row of bronze's schema (Integer, Double, String, dates as
 * {@link java.sql.Date} or {@link LocalDate}, symptoms as rows or maps with {@code name} and
 * {@code severity}); the result holds silver's columns, symptoms as rows of {@link Bronze#SYMPTOM}.
 */
final class RowCleaning {
  private RowCleaning() {}

  /** Silver's bronze columns (absent ones as null) and an empty flag list: {@code selectSilverColumns}. */
  static Map<String, Object> selectSilverColumns(Map<String, ?> bronze) {
    Map<String, Object> row = new LinkedHashMap<>(64);
    for (String c : Silver.BRONZE_COLUMNS) {
      row.put(c, bronze.get(c));
    }
    row.put(Silver.QUALITY_FLAGS, new ArrayList<String>());
    return row;
  }

  @SuppressWarnings("unchecked")
  private static List<String> flags(Map<String, Object> row) {
    return (List<String>) row.get(Silver.QUALITY_FLAGS);
  }

  static void normalizeUnits(Map<String, Object> row, double[] fahrenheitRange) {
    Double t = (Double) row.get(Bronze.TEMPERATURE_C);
    if (t != null && t >= fahrenheitRange[0] && t <= fahrenheitRange[1]) {
      flags(row).add(Silver.FLAG_UNIT + Bronze.TEMPERATURE_C);
      row.put(Bronze.TEMPERATURE_C, (t - 32) * (5.0 / 9.0));
    }
  }

  static void normalizeCategories(Map<String, Object> row, CategoryVocabulary vocabulary) {
    for (String column : Silver.CATEGORICAL_COLUMNS) {
      Object v = row.get(column);
      String raw = v == null ? null : trimSpaces(v.toString()).toLowerCase(Locale.ROOT);
      String mapped = raw == null ? null : vocabulary.of(column).get(raw);
      boolean blank = raw == null || raw.isEmpty();
      boolean unknown = !blank && mapped == null;
      if (unknown) {
        flags(row).add(Silver.FLAG_UNMAPPED + column + "=" + raw);
      }
      row.put(column, blank || unknown || mapped.isEmpty() ? null : mapped);
    }
  }

  /** Spark's {@code trim}: leading and trailing spaces (U+0020) only. */
  private static String trimSpaces(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == ' ') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == ' ') {
      end--;
    }
    return s.substring(start, end);
  }

  static void normalizeSymptoms(Map<String, Object> row, SymptomVocabulary vocabulary) {
    Object symptoms = row.get(Bronze.SYMPTOMS);
    List<?> entries = symptoms instanceof scala.collection.Seq<?> seq
        ? scala.collection.JavaConverters.seqAsJavaList(seq) : (List<?>) symptoms;
    RecordCleaning.Symptoms result = RecordCleaning.symptoms(entries, vocabulary);
    row.put(Bronze.SYMPTOMS, result.symptoms());
    flags(row).addAll(result.flags());
  }

  static void normalizeDiagnoses(Map<String, Object> row, DiagnosisVocabulary vocabulary) {
    Row r = RecordCleaning.resolveDiagnosis((String) row.get(Bronze.DIAGNOSIS_CODE),
        (String) row.get(Bronze.DIAGNOSIS_TEXT), vocabulary);
    if (!r.isNullAt(1)) {
      flags(row).add(r.getString(1));
    }
    row.put(Bronze.DIAGNOSIS_CODE, r.isNullAt(0) ? null : r.getString(0));
  }

  static void flagOutliers(Map<String, Object> row, Map<String, double[]> limits) {
    for (Map.Entry<String, double[]> e : limits.entrySet()) {
      Object v = row.get(e.getKey());
      if (v == null) {
        continue;
      }
      double d = ((Number) v).doubleValue();
      if (!(d >= e.getValue()[0] && d <= e.getValue()[1])) {
        flags(row).add(Silver.FLAG_OUTLIER + e.getKey());
        row.put(e.getKey(), null);
      }
    }
  }

  static void flagImplausibleDates(Map<String, Object> row, LocalDate earliest, int daysAfterDelivery) {
    LocalDate delivery = date(row.get(Bronze.DELIVERY_DATE));
    LocalDate latest = delivery == null ? null : delivery.plusDays(daysAfterDelivery);
    for (String column : RecordCleaning.DATE_COLUMNS) {
      LocalDate value = date(row.get(column));
      if (value == null) {
        continue;
      }
      // value < earliest OR value > latest, where a null latest makes the second term null (not true)
      if (value.isBefore(earliest) || (latest != null && value.isAfter(latest))) {
        flags(row).add(Silver.FLAG_OUTLIER + column);
        row.put(column, null);
      }
    }
  }

  private static LocalDate date(Object v) {
    if (v == null) {
      return null;
    }
    return v instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) v;
  }
}
