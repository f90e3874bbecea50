package io.dxpipe.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.testing.SharedSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitMetadataTest {
  private static final SparkSession SPARK = SharedSpark.session();

  @Test
  void writesOneLineOfJsonInOrderAndReadsItBack() {
    CommitMetadata m = CommitMetadata.of("run_id", "r-1", "input", "bronze@v3 \"north\", deliveries=all",
        "silver_version", 12L);
    assertThat(m.json()).isEqualTo("{\"run_id\":\"r-1\",\"input\":\"bronze@v3 \\\"north\\\", deliveries=all\","
        + "\"silver_version\":12}");
    CommitMetadata back = CommitMetadata.parse(m.json(), "version 1 of t");
    assertThat(back.string("input")).isEqualTo("bronze@v3 \"north\", deliveries=all");
    assertThat(back.number("silver_version")).isEqualTo(12L);
    assertThat(back.values().keySet()).containsExactly("run_id", "input", "silver_version");
  }

  @Test
  void rejectsOddArgumentsAndNullValues() {
    assertThatThrownBy(() -> CommitMetadata.of("run_id")).hasMessageContaining("key/value pairs, got 1");
    assertThatThrownBy(() -> CommitMetadata.of("run_id", null)).hasMessageContaining("run_id is null");
    assertThatThrownBy(() -> CommitMetadata.of(3, "x")).hasMessageContaining("is not a name: 3");
  }

  @Test
  void aMissingOrUnparsableOrIncompleteCommitIsAnErrorNamingIt() {
    assertThatThrownBy(() -> CommitMetadata.parse(null, "version 4 of file:/gold"))
        .hasMessageContaining("the commit of version 4 of file:/gold has no metadata");
    assertThatThrownBy(() -> CommitMetadata.parse("input=silver@v3", "version 4 of file:/gold"))
        .hasMessageContaining("the commit metadata of version 4 of file:/gold is not a JSON object: 'input=silver@v3'");
    CommitMetadata m = CommitMetadata.parse("{\"input\":\"silver@v3\",\"n\":\"x\"}", "version 4 of file:/gold");
    assertThatThrownBy(() -> m.number("silver_version"))
        .hasMessageContaining("the commit of version 4 of file:/gold records no silver_version (it has [input, n])");
    assertThatThrownBy(() -> m.number("n")).hasMessageContaining("records n = x, not a whole number");
  }

  @Test
  void readsTheMetadataOfOneVersionOfADeltaTable(@TempDir Path dir) {
    String table = dir.resolve("t").toUri().toString();
    DeltaTables.replace(SPARK.range(3).toDF(), table, List.of(), null, CommitMetadata.of("run", "a", "source", 7));
    DeltaTables.replace(SPARK.range(2).toDF(), table, List.of(), null, CommitMetadata.of("run", "b"));
    SPARK.range(1).write().format("delta").mode(SaveMode.Overwrite).save(table); // no metadata

    assertThat(CommitMetadata.read(SPARK, table, 0).number("source")).isEqualTo(7);
    assertThat(CommitMetadata.read(SPARK, table, 1).string("run")).isEqualTo("b");
    assertThatThrownBy(() -> CommitMetadata.read(SPARK, table, 2))
        .hasMessageContaining("the commit of version 2 of " + table + " has no metadata");
    assertThatThrownBy(() -> CommitMetadata.read(SPARK, table, 9))
        .hasMessageContaining("no version 9 of " + table);
  }
}
