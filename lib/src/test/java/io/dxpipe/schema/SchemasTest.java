package io.dxpipe.schema;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.testing.SharedSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class SchemasTest {
  private static final StructType DECLARED = new StructType().add("a", DataTypes.StringType, false)
      .add("b", DataTypes.createArrayType(new StructType().add("x", DataTypes.DoubleType)), true);

  @Test
  void conformSelectsTheDeclaredColumnsInOrderAndLeavesOthersOut() {
    Dataset<Row> rows = SharedSpark.session().createDataFrame(List.of(RowFactory.create("k", 1)),
        new StructType().add("a", DataTypes.StringType).add("extra", DataTypes.IntegerType))
        .withColumn("b", array(struct(lit(0.5).as("x"))))
        .select(col("extra"), col("b"), col("a"));
    Dataset<Row> conformed = Schemas.conform(rows, DECLARED, "test");
    assertThat(conformed.columns()).containsExactly("a", "b");
    assertThat(Schemas.differences(conformed.schema(), DECLARED)).isEmpty();
    assertThat(Schemas.differences(rows.schema(), DECLARED)).containsExactly("undeclared column extra");
  }

  @Test
  void aMissingOrMistypedColumnIsNamed() {
    Dataset<Row> rows = SharedSpark.session().createDataFrame(List.of(RowFactory.create(1)),
        new StructType().add("a", DataTypes.IntegerType));
    assertThatThrownBy(() -> Schemas.conform(rows, DECLARED, "test"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the test rows do not match")
        .hasMessageContaining("column a is int, declared string")
        .hasMessageContaining("missing column b array<struct<x:double>>");
  }
}
