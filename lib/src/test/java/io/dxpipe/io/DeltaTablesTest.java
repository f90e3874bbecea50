package io.dxpipe.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.testing.SharedSpark;
import java.nio.file.Path;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeltaTablesTest {
  @Test
  void rowsCommittedAreThoseOfTheWritesOwnCommit(@TempDir Path dir) {
    SparkSession spark = SharedSpark.session();
    String table = dir.resolve("t").toUri().toString();
    long before = DeltaTables.versionOrNone(spark, table);
    assertThat(before).as("no table yet").isEqualTo(-1);
    spark.range(7).write().format("delta").mode(SaveMode.Overwrite).save(table);
    assertThat(DeltaTables.rowsCommittedSince(spark, table, before)).as("first write").isEqualTo(7);

    before = DeltaTables.versionOrNone(spark, table);
    spark.range(3).write().format("delta").mode(SaveMode.Overwrite).save(table);
    assertThat(DeltaTables.rowsCommittedSince(spark, table, before)).as("an overwrite: its rows, not the table's")
        .isEqualTo(3);
    assertThat(DeltaTables.rowsCommittedSince(spark, table, DeltaTables.versionOrNone(spark, table)))
        .as("nothing committed since").isZero();
  }
}
