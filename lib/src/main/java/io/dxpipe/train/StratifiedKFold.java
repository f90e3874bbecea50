package io.dxpipe.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.when;
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
 * the others' validation part. A patient with records of several classes keeps all of them in one
 * fold (that of their first class by name), so no patient is fitted on and held out in the same
 * round; that moves only those patients' records away from their class's dealt fold. The person
 * must identify a record's patient: records with a null person are one patient per class (pass
 * {@code coalesce(patient, record key)} to make each its own).
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
    String inClass = foldColumn + "_in_class";
    // a person with records of several classes (repeat visits with other diagnoses) takes the fold of
    // their first class, by name, for every record: never fitted on in one class and held out in another
    Column personFold = first(col(inClass)).over(Window.partitionBy(person).orderBy(col(classColumn)));
    return records.withColumn(inClass, pmod(position.minus(1).plus(offset), lit(folds)).cast("int"))
        .withColumn(foldColumn, when(person.isNull(), col(inClass)).otherwise(personFold))
        .drop(inClass);
  }
}
