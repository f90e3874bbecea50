package io.dxpipe.schema;

import java.util.List;

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

  /** Records the score job rejected: the silver/bronze record key, why, and when. */
  public static final class Rejected {
    private Rejected() {}

    public static final String REASON_CODE = "reason_code";
    public static final String REASON = "reason";
  }
}
