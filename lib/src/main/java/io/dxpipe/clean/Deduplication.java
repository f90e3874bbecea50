package io.dxpipe.clean;

import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Silver;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Finds records that describe the same visit and keeps one of each, recording the decision:
 * <ol>
 *   <li>{@value #RESENT}: the same source record (same {@code record_key}) delivered again; the first
 *       delivery (earliest date, then file name) is kept;</li>
 *   <li>{@value #SAME_VISIT}: the same person (national-id pseudonym, else patient key) on the same
 *       visit date from another source or under another record id; the most complete record is kept,
 *       ties going to the first source of {@code dxpipe.clean.source-priority}, then the smaller key.</li>
 * </ol>
 * Records without a visit date are never merged by the second rule.
 */
public final class Deduplication {
  private Deduplication() {}

  public static final String RESENT = "same record delivered again";
  public static final String SAME_VISIT = "same person and visit date";
  public static final String ALREADY_IN_SILVER = "already in silver from another delivery";

  /** The records kept (silver columns) and the ones dropped (columns of {@link Silver.Duplicates} but the run id). */
  public record Result(Dataset<Row> kept, Dataset<Row> dropped) {}

  private static final String RANK = "_rank";
  private static final String KEPT_KEY = "_kept_key";
  private static final String KEPT_SOURCE = "_kept_source";

  public static Result dropDuplicateRecords(Dataset<Row> records, List<String> sourcePriority) {
    WindowSpec sameRecord = Window.partitionBy(col(Bronze.RECORD_KEY))
        .orderBy(col(Bronze.DELIVERY_DATE), col(Bronze.SOURCE_FILE));
    Dataset<Row> ranked = withDecision(records, sameRecord);
    Dataset<Row> resent = dropped(ranked, RESENT);
    Dataset<Row> firstDeliveries = ranked.filter(col(RANK).equalTo(1)).drop(RANK, KEPT_KEY, KEPT_SOURCE);

    Column person = person();
    Column visit = visit();
    Column priority = array_position(org.apache.spark.sql.functions.array(
        sourcePriority.stream().map(org.apache.spark.sql.functions::lit).toArray(Column[]::new)), col(Bronze.SOURCE));
    WindowSpec sameVisit = Window.partitionBy(person, visit)
        .orderBy(completeness().desc(), when(priority.equalTo(0), lit(Integer.MAX_VALUE)).otherwise(priority),
            col(Bronze.RECORD_KEY));
    Dataset<Row> visits = withDecision(firstDeliveries, sameVisit);
    Dataset<Row> sameVisitDropped = dropped(visits, SAME_VISIT);
    Dataset<Row> kept = visits.filter(col(RANK).equalTo(1)).drop(RANK, KEPT_KEY, KEPT_SOURCE);
    return new Result(kept, resent.unionByName(sameVisitDropped));
  }

  /**
   * Drops the records that silver already holds from other deliveries (same record key, or same
   * person and visit date): what a per-date run needs, as it only sees one day's deliveries.
   *
   * @param existing silver rows of the other deliveries
   */
  public static Result dropAlreadyInSilver(Dataset<Row> records, Dataset<Row> existing) {
    Dataset<Row> keys = existing.select(col(Bronze.RECORD_KEY).as(KEPT_KEY), col(Bronze.SOURCE).as(KEPT_SOURCE),
        person().as("_existing_person"), visit().as("_existing_visit"));
    Column match = col(Bronze.RECORD_KEY).equalTo(col(KEPT_KEY))
        .or(person().equalTo(col("_existing_person")).and(visit().equalTo(col("_existing_visit"))));
    Dataset<Row> kept = records.join(keys, match, "left_anti");
    // one decision per dropped record: the existing match with the smallest key
    Dataset<Row> decisions = records.join(keys, match, "inner")
        .withColumn(RANK, row_number().over(Window.partitionBy(col(Bronze.RECORD_KEY), col(Bronze.SOURCE_FILE))
            .orderBy(col(KEPT_KEY))))
        .filter(col(RANK).equalTo(1));
    return new Result(kept, decision(decisions, ALREADY_IN_SILVER));
  }

  private static Column person() {
    return coalesce(col(Bronze.PERSON_KEY), col(Bronze.PATIENT_KEY));
  }

  /** The visit date, or for a record without one its own key (so it matches nothing else). */
  private static Column visit() {
    return when(col(Bronze.VISIT_DATE).isNull(), col(Bronze.RECORD_KEY)).otherwise(col(Bronze.VISIT_DATE).cast("string"));
  }

  /** How much a record says: its non-null values plus its symptoms. */
  static Column completeness() {
    Column score = size(col(Bronze.SYMPTOMS));
    for (String c : List.of(Bronze.AGE, Bronze.GENDER, Bronze.ETHNICITY, Bronze.MARITAL_STATUS, Bronze.EDUCATION,
        Bronze.SYMPTOM_DURATION_DAYS, Bronze.DIAGNOSIS_CODE)) {
      score = score.plus(when(col(c).isNotNull(), 1).otherwise(0));
    }
    for (String c : Silver.VITAL_COLUMNS) {
      score = score.plus(when(col(c).isNotNull(), 1).otherwise(0));
    }
    return score;
  }

  private static Dataset<Row> withDecision(Dataset<Row> df, WindowSpec window) {
    return df.withColumn(RANK, row_number().over(window))
        .withColumn(KEPT_KEY, first(col(Bronze.RECORD_KEY)).over(window))
        .withColumn(KEPT_SOURCE, first(col(Bronze.SOURCE)).over(window));
  }

  private static Dataset<Row> dropped(Dataset<Row> ranked, String rule) {
    return decision(ranked.filter(col(RANK).gt(1)), rule);
  }

  private static Dataset<Row> decision(Dataset<Row> dropped, String rule) {
    return dropped.select(col(Bronze.RECORD_KEY), col(Bronze.SOURCE), col(Bronze.SOURCE_FILE),
        col(KEPT_KEY).as(Silver.Duplicates.DUPLICATE_OF), col(KEPT_SOURCE).as(Silver.Duplicates.KEPT_SOURCE),
        lit(rule).as(Silver.Duplicates.RULE), col(Bronze.DELIVERY_DATE));
  }
}
