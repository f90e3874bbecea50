package io.dxpipe.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.testing.SharedSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Runs on whichever Spark the build uses: 3.5 by default, 3.3 with -Phdinsight. */
class SparkCompatTest {
  @Test
  void rowEncoderAndJoinColumnsWork() {
    SparkSession spark = SharedSpark.session();
    StructType schema = new StructType().add("k", "string").add("v", "int");
    Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create("a", 1), RowFactory.create("b", 2)), schema)
        .mapPartitions((org.apache.spark.api.java.function.MapPartitionsFunction<Row, Row>) it -> it,
            SparkCompat.rowEncoder(schema));
    Dataset<Row> other = spark.createDataFrame(List.of(RowFactory.create("a", 10)), schema);
    List<Row> joined = rows.join(other.withColumnRenamed("v", "w"), SparkCompat.columns("k"), "left")
        .orderBy("k").collectAsList();
    assertThat(joined).extracting(r -> r.getString(0) + r.getInt(1) + (r.isNullAt(2) ? "-" : r.getInt(2)))
        .containsExactly("a110", "b2-");
  }
}
