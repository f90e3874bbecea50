package io.dxpipe.schema;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.StructType;

/** Column names of the gold tables: the feature table and the analysts' aggregates. */
public final class Gold {
  private Gold() {}

  /** Disease code as in silver (the class), and its index in the label indexer (alphabetical codes). */
  public static final String LABEL = "label";
  public static final String IS_ORPHAN = "is_orphan";
  /** train / validation / test, assigned stratified by label. */
  public static final String SPLIT = "split";
  /** PCA-reduced vector: what classifiers get. */
  public static final String FEATURES = "features";
  /** The vector before PCA (sparse): for comparisons without reduction. */
  public static final String FEATURES_FULL = "features_full";
  public static final String FEATURE_RUN_ID = "feature_run_id";

  public static final String TRAIN = "train";
  public static final String VALIDATION = "validation";
  public static final String TEST = "test";
  public static final List<String> SPLITS = List.of(TRAIN, VALIDATION, TEST);

  /** The feature table, in column order (label: the index, a double as Spark ML wants it). */
  public static final StructType SCHEMA = createStructType(List.of(
      createStructField(Bronze.RECORD_KEY, StringType, false),
      createStructField(Bronze.PATIENT_KEY, StringType, true),
      createStructField(Bronze.DIAGNOSIS_CODE, StringType, true),
      createStructField(LABEL, DoubleType, false),
      createStructField(IS_ORPHAN, BooleanType, true),
      createStructField(SPLIT, StringType, true),
      createStructField(FEATURES, SQLDataTypes.VectorType(), true),
      createStructField(FEATURES_FULL, SQLDataTypes.VectorType(), true),
      createStructField(Bronze.DELIVERY_DATE, DateType, true),
      createStructField(FEATURE_RUN_ID, StringType, false)));

  /** Sub-tables of the aggregates location. */
  public static final String DISEASE_SUMMARY = "disease_summary";
  public static final String DAILY_SUMMARY = "daily_summary";
}
