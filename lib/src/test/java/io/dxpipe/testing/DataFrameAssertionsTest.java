package io.dxpipe.testing;

import static io.dxpipe.testing.DataFrameAssertions.assertSameRows;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The comparison the ingest and clean tests rely on for "nothing lost, nothing duplicated". */
class DataFrameAssertionsTest {
  private static Dataset<Row> rows(String... values) {
    return SharedSpark.session().createDataset(Arrays.asList(values), Encoders.STRING()).toDF("v");
  }

  @Test
  void theSameRowsInAnotherOrderAreEqual() {
    assertThatCode(() -> assertSameRows(rows("a", "b", "a"), rows("a", "a", "b"))).doesNotThrowAnyException();
  }

  @Test
  void aLostAChangedOrADuplicatedRowFails() {
    assertThatThrownBy(() -> assertSameRows(rows("a", "b"), rows("a"))).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> assertSameRows(rows("a", "b"), rows("a", "c"))).isInstanceOf(AssertionError.class);
    // same count and same distinct rows, other multiplicities
    assertThatThrownBy(() -> assertSameRows(rows("a", "a", "b"), rows("a", "b", "b"))).isInstanceOf(AssertionError.class);
  }
}
