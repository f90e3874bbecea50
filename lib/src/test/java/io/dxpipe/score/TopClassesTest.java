package io.dxpipe.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class TopClassesTest {
  private static final String[] CODES = {"a", "b", "c", "d", "e"};
  private static final boolean[] ORPHAN = {false, true, false, false, true};

  @Test
  void theThreeMostProbableBestFirstWithTiesToTheLowerIndex() {
    List<Row> top = TopClasses.top(Vectors.dense(0.1, 0.3, 0.05, 0.3, 0.25), CODES, ORPHAN, 3, false);
    assertThat(top).extracting(r -> r.getString(0)).containsExactly("b", "d", "e");
    assertThat(top).extracting(r -> r.getDouble(1)).containsExactly(0.3, 0.3, 0.25);
    assertThat(top).extracting(r -> r.getBoolean(2)).containsExactly(true, false, true);
  }

  @Test
  void marginsBecomeSoftmaxProbabilities() {
    List<Row> top = TopClasses.top(Vectors.dense(2.0, 0.0, 1.0, -1.0, 0.5), CODES, ORPHAN, 3, true);
    double norm = Math.exp(2) + Math.exp(0) + Math.exp(1) + Math.exp(-1) + Math.exp(0.5);
    assertThat(top).extracting(r -> r.getString(0)).containsExactly("a", "c", "e");
    assertThat(top.get(0).getDouble(1)).isCloseTo(Math.exp(2) / norm, within(1e-12));
    assertThat(top.get(2).getDouble(1)).isCloseTo(Math.exp(0.5) / norm, within(1e-12));
  }

  @Test
  void fewerClassesThanAsked() {
    assertThat(TopClasses.top(Vectors.dense(0.4, 0.6), new String[] {"x", "y"}, new boolean[2], 3, false))
        .extracting(r -> r.getString(0)).containsExactly("y", "x");
  }
}
