package io.dxpipe.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.dense_rank;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Assigns each record a cross-validation fold 0..k-1 so that every fold has the class mix of the
 * whole. Spark's CrossValidator takes folds from a {@code foldCol} (since 3.1) but makes only random
 * ones, which split a patient's records and leave rare classes out of whole folds: this makes them.
 * Within a class, patients are ordered by a seeded hash and dealt to the folds in turn (all records
 * of a patient in that class go to the same fold): a class with n >= k patients has n / k (rounded)
 * in each fold; a class with fewer patients than folds appears in n folds only, and is missing from
 * the others' validation part.
 * Deterministic and independent of partitioning.
 */
public final class StratifiedKFold {
  private StratifiedKFold() {}

  public static Dataset<Row> assign(Dataset<Row> records, String classColumn, Column person,
      int folds, long seed, String foldColumn) {
    if (folds < 2) {
      throw new IllegalArgumentException("cross-validation needs at least 2 folds, not " + folds);
    }
    // dense_rank: a patient's records of a class share a position, so they land in the same fold and a
    // patient is never both fitted on and held out within the class
    Column position = dense_rank().over(Window.partitionBy(col(classColumn)).orderBy(xxhash64(person, lit(seed))));
    // the class's own offset spreads the first records of small classes over different folds
    Column offset = pmod(xxhash64(col(classColumn), lit(seed)), lit(folds));
    return records.withColumn(foldColumn, pmod(position.minus(1).plus(offset), lit(folds)).cast("int"));
  }
}
