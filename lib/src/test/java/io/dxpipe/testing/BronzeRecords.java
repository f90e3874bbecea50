package io.dxpipe.testing;

import io.dxpipe.schema.Bronze;
import io.dxpipe.spark.Rows;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructField;


/**
 * Bronze records built in memory from the declared schema: a plausible default record, changed
 * field by field ({@code record("a").with(Bronze.AGE, 240).symptoms("fever", 3)}).
 */
public final class BronzeRecords {
  private final Map<String, Object> values = new HashMap<>();

  private BronzeRecords(String recordKey) {
    values.put(Bronze.RECORD_KEY, recordKey);
    values.put(Bronze.SOURCE, "north_ehr");
    values.put(Bronze.SOURCE_RECORD_ID, recordKey);
    values.put(Bronze.PATIENT_KEY, "patient-" + recordKey);
    values.put(Bronze.PERSON_KEY, "person-" + recordKey);
    values.put(Bronze.AGE, 40);
    values.put(Bronze.GENDER, "female");
    values.put(Bronze.ETHNICITY, "white");
    values.put(Bronze.MARITAL_STATUS, "married");
    values.put(Bronze.EDUCATION, "secondary");
    values.put(Bronze.VISIT_DATE, Date.valueOf("2025-06-01"));
    values.put(Bronze.SYMPTOM_DURATION_DAYS, 5);
    values.put(Bronze.TEMPERATURE_C, 37.0);
    values.put(Bronze.HEART_RATE, 80.0);
    values.put(Bronze.SYSTOLIC_BP, 120.0);
    values.put(Bronze.DIASTOLIC_BP, 80.0);
    values.put(Bronze.RESPIRATORY_RATE, 16.0);
    values.put(Bronze.SPO2, 98.0);
    values.put(Bronze.WEIGHT_KG, 70.0);
    values.put(Bronze.DIAGNOSIS_CODE, "common_cold");
    values.put(Bronze.SOURCE_FILE, "file:/landing/north_ehr/2026-01-01/" + recordKey + ".json");
    values.put(Bronze.DELIVERY_DATE, Date.valueOf("2026-01-01"));
    values.put(Bronze.INGEST_RUN_ID, "run-1");
    values.put(Bronze.INGEST_TIME, Timestamp.valueOf("2026-01-01 10:00:00"));
    symptoms("cough", 2);
    previousDiagnoses();
  }

  public static BronzeRecords record(String recordKey) {
    return new BronzeRecords(recordKey);
  }

  public BronzeRecords with(String column, Object value) {
    if (!Arrays.asList(Bronze.SCHEMA.fieldNames()).contains(column)) {
      throw new IllegalArgumentException("no bronze column " + column);
    }
    values.put(column, value);
    return this;
  }

  /** Symptoms as name, severity pairs ({@code "fever", 3, "cough", null}). */
  /** Declared inputs (name, value, name, value, ...) into the inputs map; a null value is kept as a null entry. */
  public BronzeRecords inputs(String... nameValue) {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      m.put(nameValue[i], nameValue[i + 1]);
    }
    values.put(Bronze.INPUTS, Rows.map(m));
    return this;
  }

  public BronzeRecords symptoms(Object... nameSeverity) {
    List<Row> list = new ArrayList<>();
    for (int i = 0; i < nameSeverity.length; i += 2) {
      list.add(new GenericRowWithSchema(new Object[] {nameSeverity[i], nameSeverity[i + 1]}, Bronze.SYMPTOM));
    }
    values.put(Bronze.SYMPTOMS, Rows.seq(list));
    return this;
  }

  public BronzeRecords previousDiagnoses(String... codes) {
    values.put(Bronze.PREVIOUS_DIAGNOSES, Rows.seq(List.of(codes)));
    return this;
  }

  public Row row() {
    Object[] v = new Object[Bronze.SCHEMA.size()];
    int i = 0;
    for (StructField f : Bronze.SCHEMA.fields()) {
      v[i++] = values.get(f.name());
    }
    return new GenericRowWithSchema(v, Bronze.SCHEMA);
  }

  /** n records of each class (diagnosis code), given as class -> n; keys are {@code <class>-<i>}. */
  public static Dataset<Row> byClass(Map<String, Integer> sizes) {
    List<BronzeRecords> records = new ArrayList<>();
    sizes.forEach((label, n) -> {
      for (int i = 0; i < n; i++) {
        records.add(record(label + "-" + i).with(Bronze.DIAGNOSIS_CODE, label));
      }
    });
    return dataset(records.toArray(BronzeRecords[]::new));
  }

  public static Dataset<Row> dataset(BronzeRecords... records) {
    return SharedSpark.session().createDataFrame(Arrays.stream(records).map(BronzeRecords::row).toList(),
        Bronze.SCHEMA);
  }
}
