package io.dxpipe.testing;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * DataFrame comparisons of spark-testing-base, for JUnit 5 tests on the shared session
 * ({@link SharedSpark}). Its {@code JavaDataFrameSuiteBase} is a JUnit 4 base class that owns a
 * SparkContext; only its comparisons are used here (they run on the compared DataFrames' own
 * session), so the base class's context is never started.
 */
public final class DataFrameAssertions {
  private static final JavaDataFrameSuiteBase SUITE = new JavaDataFrameSuiteBase();

  private DataFrameAssertions() {}

  /**
   * Same schema and the same rows with the same multiplicities, in any order: nothing lost,
   * nothing duplicated, nothing changed. On failure the message shows the differing rows.
   */
  public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    SUITE.assertDataFrameNoOrderEquals(comparable(expected), comparable(actual));
  }

  /**
   * Map columns (silver's inputs) as their entries sorted by key: Spark cannot group or compare maps,
   * and a map's entries have no order of their own.
   */
  private static Dataset<Row> comparable(Dataset<Row> rows) {
    Dataset<Row> out = rows;
    for (org.apache.spark.sql.types.StructField f : rows.schema().fields()) {
      if (f.dataType() instanceof org.apache.spark.sql.types.MapType) {
        out = out.withColumn(f.name(), org.apache.spark.sql.functions.array_sort(
            org.apache.spark.sql.functions.map_entries(org.apache.spark.sql.functions.col(f.name()))));
      }
    }
    return out;
  }
}
