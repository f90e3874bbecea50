package io.dxpipe.schema;

import java.util.List;

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

  /** Columns of the feature table, in order. */
  public static final List<String> FEATURE_TABLE_COLUMNS = List.of(
      Bronze.RECORD_KEY, Bronze.PATIENT_KEY, Bronze.DIAGNOSIS_CODE, LABEL, IS_ORPHAN, SPLIT, FEATURES, FEATURES_FULL,
      Bronze.DELIVERY_DATE, FEATURE_RUN_ID);

  /** Sub-tables of the aggregates location. */
  public static final String DISEASE_SUMMARY = "disease_summary";
  public static final String DAILY_SUMMARY = "daily_summary";
}
