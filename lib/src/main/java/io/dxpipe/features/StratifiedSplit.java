package io.dxpipe.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.dxpipe.schema.Gold;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Assigns train / validation / test per class, so every split has the class mix of the whole.
 * Within a class records are ordered by a seeded hash of the person (then record key): the
 * assignment is deterministic and independent of partitioning, and a person's records of one class
 * are adjacent, so they share a split unless they straddle a boundary. A class with n records gets
 * round(n * test) test and round(n * validation) validation records, each at least 1 when n >= 3
 * and the share is not 0; the rest (at least 1) is train. A class with 2 records gets one train and
 * one validation record, a class with 1 record only a train record: they cannot be evaluated on test.
 */
public final class StratifiedSplit {
  private StratifiedSplit() {}

  public static Dataset<Row> assign(Dataset<Row> records, String classColumn, Column person, String keyColumn,
      FeatureSettings settings) {
    WindowSpec byClass = Window.partitionBy(col(classColumn));
    WindowSpec ordered = byClass.orderBy(xxhash64(person, lit(settings.splitSeed())), col(keyColumn));
    Column n = col("_n");
    Column position = col("_pos");
    Column nTest = when(n.geq(3), share(n, settings.testShare())).otherwise(lit(0));
    Column nValidation = when(n.geq(3), least(share(n, settings.validationShare()), n.minus(1).minus(nTest)))
        .when(n.equalTo(2), lit(settings.validationShare() > 0 ? 1 : 0)).otherwise(lit(0));
    return records
        .withColumn("_n", count(lit(1)).over(byClass))
        .withColumn("_pos", row_number().over(ordered))
        .withColumn(Gold.SPLIT, when(position.leq(nTest), lit(Gold.TEST))
            .when(position.leq(nTest.plus(nValidation)), lit(Gold.VALIDATION))
            .otherwise(lit(Gold.TRAIN)))
        .drop("_n", "_pos");
  }

  /** round(n * share), at least 1 if the share is not 0, leaving at least one record for the others. */
  private static Column share(Column n, double share) {
    if (share <= 0) {
      return lit(0);
    }
    return least(greatest(round(n.multiply(share)).cast("int"), lit(1)), n.minus(2));
  }
}
