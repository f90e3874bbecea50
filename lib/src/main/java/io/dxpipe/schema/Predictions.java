package io.dxpipe.schema;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The daily predictions table (score job), partitioned by {@link #SCORING_DATE}, and the table of
 * records the score job could not score. Column names shared with bronze are {@link Bronze}'s.
 */
public final class Predictions {
  private Predictions() {}

  public static final String SCORING_DATE = "scoring_date";
  /** The most probable disease code and its probability. */
  public static final String PREDICTED_CODE = "predicted_code";
  public static final String PROBABILITY = "probability";
  /** The three most probable diseases, best first: array of struct(code, probability, is_orphan). */
  public static final String TOP3 = "top3";
  public static final String TOP_CODE = "code";
  /**
   * The k most probable diseases over all the model's classes ({@code dxpipe.score.top-k}), best
   * first, as {@link #TOP3}; {@link #TOP3} is its first three. Added after top3: tables written
   * before it gain it at the next write (mergeSchema), their earlier days null.
   */
  public static final String TOP_K = "top_k";
  /** Whether the predicted disease is an orphan (rare) disease. */
  public static final String IS_ORPHAN = "is_orphan";
  /** Whether any of the top 3 is an orphan disease (a rare disease worth a specialist's look). */
  public static final String ORPHAN_IN_TOP3 = "orphan_in_top3";
  public static final String MODEL_NAME = "model_name";
  /** Registry version; null when the model was given by path. */
  public static final String MODEL_VERSION = "model_version";
  public static final String MODEL_RUN_ID = "model_run_id";
  /** Where the PipelineModel was loaded from (its folder holds the training baseline for the monitor). */
  public static final String MODEL_URI = "model_uri";
  public static final String SCORE_RUN_ID = "score_run_id";
  public static final String SCORED_AT = "scored_at";

  public static final List<String> PARTITION_BY = List.of(SCORING_DATE);

  /** One of the top 3: code, probability, is_orphan. */
  public static final StructType TOP_CLASS = createStructType(List.of(
      createStructField(TOP_CODE, StringType, true),
      createStructField(PROBABILITY, DoubleType, true),
      createStructField(IS_ORPHAN, BooleanType, true)));

  /** The predictions table, in column order (nullability is Spark's; names and types are checked on write). */
  public static final StructType SCHEMA = createStructType(List.of(
      createStructField(Bronze.RECORD_KEY, StringType, false),
      createStructField(Bronze.PATIENT_KEY, StringType, true),
      createStructField(Bronze.SOURCE, StringType, true),
      createStructField(Bronze.VISIT_DATE, DateType, true),
      createStructField(PREDICTED_CODE, StringType, true),
      createStructField(PROBABILITY, DoubleType, true),
      createStructField(TOP3, createArrayType(TOP_CLASS, true), true),
      createStructField(IS_ORPHAN, BooleanType, true),
      createStructField(ORPHAN_IN_TOP3, BooleanType, true),
      createStructField(TOP_K, createArrayType(TOP_CLASS, true), true),
      createStructField(MODEL_NAME, StringType, true),
      createStructField(MODEL_VERSION, IntegerType, true),
      createStructField(MODEL_RUN_ID, StringType, true),
      createStructField(MODEL_URI, StringType, true),
      createStructField(SCORE_RUN_ID, StringType, false),
      createStructField(SCORED_AT, TimestampType, false),
      createStructField(SCORING_DATE, DateType, false)));

  /** Records the score job rejected: the silver/bronze record key, why, and when. */
  public static final class Rejected {
    private Rejected() {}

    public static final String REASON_CODE = "reason_code";
    public static final String REASON = "reason";

    /** The table of rejected records, in column order. */
    public static final StructType SCHEMA = createStructType(List.of(
        createStructField(Bronze.RECORD_KEY, StringType, true),
        createStructField(Bronze.SOURCE, StringType, true),
        createStructField(Bronze.PATIENT_KEY, StringType, true),
        createStructField(REASON_CODE, StringType, false),
        createStructField(REASON, StringType, true),
        createStructField(SCORE_RUN_ID, StringType, false),
        createStructField(SCORED_AT, TimestampType, false),
        createStructField(SCORING_DATE, DateType, false)));
  }
}
