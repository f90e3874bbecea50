package io.dxpipe.schema;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The one canonical record every source maps onto: the bronze table's schema and column names.
 * Values are typed and in canonical units (°C, kg, mmHg); categorical values are as the source's
 * value mapping left them (vocabulary normalisation is the clean stage's job). No direct
 * identifier: patients are known by keyed HMAC pseudonyms, notes are scrubbed.
 */
public final class Bronze {
  private Bronze() {}

  /** The record key: {@code <source>:<source record id>}, unique across sources. */
  public static String recordKey(String source, String sourceRecordId) {
    return source + ":" + sourceRecordId;
  }

  /** {@link #recordKey(String, String)} as a column. */
  public static org.apache.spark.sql.Column recordKey(org.apache.spark.sql.Column source,
      org.apache.spark.sql.Column sourceRecordId) {
    return org.apache.spark.sql.functions.concat(source, org.apache.spark.sql.functions.lit(":"), sourceRecordId);
  }

  /** A record's key across sources: {@link #recordKey(String, String)}. */
  public static final String RECORD_KEY = "record_key";
  public static final String SOURCE = "source";
  public static final String SOURCE_RECORD_ID = "source_record_id";
  public static final String PATIENT_KEY = "patient_key";
  public static final String PERSON_KEY = "person_key";
  public static final String AGE = "age";
  public static final String GENDER = "gender";
  public static final String ETHNICITY = "ethnicity";
  public static final String MARITAL_STATUS = "marital_status";
  public static final String EDUCATION = "education";
  public static final String VISIT_DATE = "visit_date";
  public static final String SYMPTOM_ONSET_DATE = "symptom_onset_date";
  public static final String SYMPTOM_DURATION_DAYS = "symptom_duration_days";
  public static final String SYMPTOMS = "symptoms";
  public static final String SYMPTOM_NAME = "name";
  public static final String SYMPTOM_SEVERITY = "severity";
  public static final String PREVIOUS_DIAGNOSES = "previous_diagnoses";
  public static final String TEMPERATURE_C = "temperature_c";
  public static final String HEART_RATE = "heart_rate";
  public static final String SYSTOLIC_BP = "systolic_bp";
  public static final String DIASTOLIC_BP = "diastolic_bp";
  public static final String RESPIRATORY_RATE = "respiratory_rate";
  public static final String SPO2 = "spo2";
  public static final String WEIGHT_KG = "weight_kg";
  public static final String NOTE = "note";
  public static final String DIAGNOSIS_CODE = "diagnosis_code";
  public static final String DIAGNOSIS_TEXT = "diagnosis_text";
  public static final String SOURCE_FILE = "source_file";
  public static final String DELIVERY_DATE = "delivery_date";
  public static final String INGEST_RUN_ID = "ingest_run_id";
  public static final String INGEST_TIME = "ingest_time";
  /** The record's declared inputs ({@link DeclaredInputs}), name to normalised value; null without any. */
  public static final String INPUTS = DeclaredInputs.COLUMN;

  /** Partition column: the landing folder's date, so a day's delivery is one partition. */
  public static final List<String> PARTITION_BY = List.of(DELIVERY_DATE);

  public static final StructType SYMPTOM = createStructType(List.of(
      createStructField(SYMPTOM_NAME, StringType, false),
      createStructField(SYMPTOM_SEVERITY, IntegerType, true)));

  public static final StructType SCHEMA = createStructType(List.of(
      createStructField(RECORD_KEY, StringType, false),
      createStructField(SOURCE, StringType, false),
      createStructField(SOURCE_RECORD_ID, StringType, false),
      createStructField(PATIENT_KEY, StringType, false),
      createStructField(PERSON_KEY, StringType, true),
      createStructField(AGE, IntegerType, true),
      createStructField(GENDER, StringType, true),
      createStructField(ETHNICITY, StringType, true),
      createStructField(MARITAL_STATUS, StringType, true),
      createStructField(EDUCATION, StringType, true),
      createStructField(VISIT_DATE, DateType, true),
      createStructField(SYMPTOM_ONSET_DATE, DateType, true),
      createStructField(SYMPTOM_DURATION_DAYS, IntegerType, true),
      createStructField(SYMPTOMS, createArrayType(SYMPTOM, false), false),
      createStructField(PREVIOUS_DIAGNOSES, createArrayType(StringType, false), false),
      createStructField(TEMPERATURE_C, DoubleType, true),
      createStructField(HEART_RATE, DoubleType, true),
      createStructField(SYSTOLIC_BP, DoubleType, true),
      createStructField(DIASTOLIC_BP, DoubleType, true),
      createStructField(RESPIRATORY_RATE, DoubleType, true),
      createStructField(SPO2, DoubleType, true),
      createStructField(WEIGHT_KG, DoubleType, true),
      createStructField(NOTE, StringType, true),
      createStructField(DIAGNOSIS_CODE, StringType, true),
      createStructField(DIAGNOSIS_TEXT, StringType, true),
      createStructField(SOURCE_FILE, StringType, false),
      createStructField(DELIVERY_DATE, DateType, false),
      createStructField(INGEST_RUN_ID, StringType, false),
      createStructField(INGEST_TIME, TimestampType, false),
      createStructField(INPUTS, createMapType(StringType, StringType, true), true)));
}
