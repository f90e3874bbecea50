package io.dxpipe.schema;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Trusted records (silver): the bronze record with canonical vocabularies (symptom and disease codes,
 * categorical values), impossible values nulled, one row per real visit (duplicates removed), and
 * {@link #QUALITY_FLAGS} saying what cleaning changed. Column names are {@link Bronze}'s.
 */
public final class Silver {
  private Silver() {}

  /** What cleaning changed or could not resolve, e.g. {@code outlier:heart_rate}, {@code unit:temperature_c}. */
  public static final String QUALITY_FLAGS = "quality_flags";
  public static final String CLEAN_RUN_ID = "clean_run_id";
  public static final String CLEANED_AT = "cleaned_at";

  /** Flag prefixes (a flag is {@code <prefix><detail>}). */
  public static final String FLAG_OUTLIER = "outlier:";
  public static final String FLAG_UNIT = "unit:";
  public static final String FLAG_UNMAPPED = "unmapped:";
  public static final String FLAG_UNKNOWN_SYMPTOM = "unknown-symptom:";
  public static final String FLAG_SYMPTOM_TYPO = "symptom-typo:";
  /** An HPO term the catalogue does not know, taken as its nearest known ancestor: {@code symptom-ancestor:HP:a->HP:b}. */
  public static final String FLAG_SYMPTOM_ANCESTOR = "symptom-ancestor:";
  public static final String FLAG_UNKNOWN_DIAGNOSIS = "unknown-diagnosis:";

  /** Bronze columns silver keeps, in order (lineage of the ingest run is dropped, the file kept). */
  public static final List<String> BRONZE_COLUMNS = List.of(
      Bronze.RECORD_KEY, Bronze.SOURCE, Bronze.SOURCE_RECORD_ID, Bronze.PATIENT_KEY, Bronze.PERSON_KEY, Bronze.AGE,
      Bronze.GENDER, Bronze.ETHNICITY, Bronze.MARITAL_STATUS, Bronze.EDUCATION, Bronze.VISIT_DATE,
      Bronze.SYMPTOM_ONSET_DATE, Bronze.SYMPTOM_DURATION_DAYS, Bronze.SYMPTOMS, Bronze.PREVIOUS_DIAGNOSES,
      Bronze.TEMPERATURE_C, Bronze.HEART_RATE, Bronze.SYSTOLIC_BP, Bronze.DIASTOLIC_BP, Bronze.RESPIRATORY_RATE,
      Bronze.SPO2, Bronze.WEIGHT_KG, Bronze.NOTE, Bronze.DIAGNOSIS_CODE, Bronze.DIAGNOSIS_TEXT, Bronze.SOURCE_FILE,
      Bronze.DELIVERY_DATE, Bronze.INPUTS);

  /** Numeric columns with physiological limits and imputation. */
  public static final List<String> NUMERIC_COLUMNS = List.of(
      Bronze.AGE, Bronze.SYMPTOM_DURATION_DAYS, Bronze.TEMPERATURE_C, Bronze.HEART_RATE, Bronze.SYSTOLIC_BP,
      Bronze.DIASTOLIC_BP, Bronze.RESPIRATORY_RATE, Bronze.SPO2, Bronze.WEIGHT_KG);

  /** Vital signs (the per-disease aggregates summarise these). */
  public static final List<String> VITAL_COLUMNS = List.of(
      Bronze.TEMPERATURE_C, Bronze.HEART_RATE, Bronze.SYSTOLIC_BP, Bronze.DIASTOLIC_BP, Bronze.RESPIRATORY_RATE,
      Bronze.SPO2, Bronze.WEIGHT_KG);

  /** Categorical columns with a controlled vocabulary (conf/vocabulary/categories.csv). */
  public static final List<String> CATEGORICAL_COLUMNS = List.of(
      Bronze.GENDER, Bronze.ETHNICITY, Bronze.MARITAL_STATUS, Bronze.EDUCATION);

  public static final List<String> PARTITION_BY = List.of(Bronze.DELIVERY_DATE);

  public static final StructType SCHEMA;

  static {
    List<StructField> fields = new ArrayList<>();
    for (String name : BRONZE_COLUMNS) {
      fields.add(Bronze.SCHEMA.apply(name));
    }
    fields.add(createStructField(QUALITY_FLAGS, createArrayType(StringType, false), false));
    fields.add(createStructField(CLEAN_RUN_ID, StringType, false));
    fields.add(createStructField(CLEANED_AT, TimestampType, false));
    SCHEMA = createStructType(fields);
  }

  /** The duplicates table: records clean dropped, each with the record kept in its place. */
  public static final class Duplicates {
    private Duplicates() {}

    public static final String DUPLICATE_OF = "duplicate_of";
    public static final String KEPT_SOURCE = "kept_source";
    public static final String RULE = "rule";

    public static final StructType SCHEMA = createStructType(List.of(
        createStructField(Bronze.RECORD_KEY, StringType, false),
        createStructField(Bronze.SOURCE, StringType, false),
        createStructField(Bronze.SOURCE_FILE, StringType, false),
        createStructField(DUPLICATE_OF, StringType, false),
        createStructField(KEPT_SOURCE, StringType, false),
        createStructField(RULE, StringType, false),
        createStructField(Bronze.DELIVERY_DATE, DateType, false),
        createStructField(CLEAN_RUN_ID, StringType, false)));
  }
}
