package io.dxpipe.spark;

import java.util.Arrays;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;

/**
 * The few Spark calls whose Java signature differs between Spark 3.5 (Databricks 16.4, the default
 * build) and Spark 3.3 (HDInsight 5.1, {@code mvn -Phdinsight}), so that one source compiles and runs
 * on both.
 */
public final class SparkCompat {
  private SparkCompat() {}

  /**
   * An encoder of rows of this schema: {@code Encoders.row} from Spark 3.5, {@code RowEncoder.apply}
   * before (removed in 3.5). Looked up once per call; jobs call it once per dataset.
   */
  @SuppressWarnings("unchecked")
  public static Encoder<Row> rowEncoder(StructType schema) {
    try {
      return (Encoder<Row>) org.apache.spark.sql.Encoders.class.getMethod("row", StructType.class).invoke(null, schema);
    } catch (NoSuchMethodException e) {
      try {
        return (Encoder<Row>) Class.forName("org.apache.spark.sql.catalyst.encoders.RowEncoder")
            .getMethod("apply", StructType.class).invoke(null, schema);
      } catch (ReflectiveOperationException e2) {
        throw new IllegalStateException("no row encoder in this Spark version", e2);
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("could not make a row encoder", e);
    }
  }

  /** Column names as the Scala Seq of {@code Dataset.join(other, usingColumns, joinType)} (a String[] overload exists from 3.4 only). */
  public static Seq<String> columns(String... names) {
    return Rows.seq(Arrays.asList(names));
  }
}
