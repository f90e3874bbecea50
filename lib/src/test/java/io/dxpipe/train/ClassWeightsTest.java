package io.dxpipe.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.dxpipe.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ClassWeightsTest {
  /** 90 common records (class 0), 8 of class 1, 2 orphan records (class 2). */
  private static final Map<Double, Long> COUNTS = Map.of(0.0, 90L, 1.0, 8L, 2.0, 2L);

  @Test
  void balancedWeightsGiveEveryClassTheSameTotalWeight() {
    Map<Double, Double> w = ClassWeights.of(COUNTS, ClassWeights.Scheme.BALANCED);
    assertThat(w.get(0.0)).isCloseTo(100.0 / (3 * 90), offset(1e-12));
    assertThat(w.get(2.0)).isCloseTo(100.0 / (3 * 2), offset(1e-12));
    for (double label : COUNTS.keySet()) {
      assertThat(w.get(label) * COUNTS.get(label)).isCloseTo(100.0 / 3, offset(1e-9));
    }
  }

  @Test
  void resamplingGivesTheClassesTheirWeightedTotals() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(RowFactory.create(i < 30 ? 0.0 : 1.0, "r" + i));
    }
    Dataset<Row> data = SharedSpark.session().createDataFrame(rows,
        new StructType().add("label", "double").add("key", "string"));
    // balanced: class 1 (10 records) weighs 3 times class 0 (30 records): 3 copies each, 30 and 30
    Map<Double, Double> weights = ClassWeights.of(Map.of(0.0, 30L, 1.0, 10L), ClassWeights.Scheme.BALANCED);
    Dataset<Row> resampled = ClassWeights.resample(data, "label", weights, 3);
    assertThat(resampled.filter("label = 0").count()).isEqualTo(30);
    assertThat(resampled.filter("label = 1").count()).isEqualTo(30);
    assertThat(resampled.filter("label = 1").select("key").distinct().count()).isEqualTo(10);
    assertThat(resampled.columns()).containsExactly("label", "key");
    // sqrt: ratio sqrt(3) = 1.73: every class-1 record once, about 73 % of them twice
    long sqrtOnes = ClassWeights.resample(data, "label", ClassWeights.of(Map.of(0.0, 30L, 1.0, 10L),
        ClassWeights.Scheme.SQRT), 3).filter("label = 1").count();
    assertThat(sqrtOnes).isBetween(10L, 20L);
  }

  @Test
  void sqrtIsMilderAndNoneIsOne() {
    Map<Double, Double> balanced = ClassWeights.of(COUNTS, ClassWeights.Scheme.BALANCED);
    Map<Double, Double> sqrt = ClassWeights.of(COUNTS, ClassWeights.Scheme.SQRT);
    assertThat(sqrt.get(2.0)).isCloseTo(Math.sqrt(balanced.get(2.0)), offset(1e-12)).isLessThan(balanced.get(2.0));
    assertThat(sqrt.get(0.0)).isGreaterThan(balanced.get(0.0));
    assertThat(ClassWeights.of(COUNTS, ClassWeights.Scheme.NONE).values()).containsOnly(1.0);
    assertThatThrownBy(() -> ClassWeights.of(Map.of(0.0, 0L), ClassWeights.Scheme.BALANCED))
        .hasMessageContaining("class 0.0 has 0 records");
  }

  @Test
  void theWeightColumnFollowsTheTrainingCountsAndUnseenClassesWeighOne() {
    List<Row> rows = new ArrayList<>();
    COUNTS.forEach((label, n) -> {
      for (int i = 0; i < n; i++) {
        rows.add(RowFactory.create(label));
      }
    });
    Dataset<Row> train = SharedSpark.session().createDataFrame(rows, new StructType().add("label", "double"));
    Dataset<Row> weighted = ClassWeights.withWeights(train, "label", "weight", ClassWeights.Scheme.BALANCED);
    double total = weighted.agg(org.apache.spark.sql.functions.sum("weight")).first().getDouble(0);
    assertThat(total).isCloseTo(100.0, offset(1e-9));
    Row orphan = weighted.filter("label = 2.0").select("weight").first();
    assertThat(orphan.getDouble(0)).isCloseTo(100.0 / 6, offset(1e-12));
    Dataset<Row> unseen = SharedSpark.session().createDataFrame(List.of(RowFactory.create(7.0)),
        new StructType().add("label", "double"));
    assertThat(ClassWeights.withWeights(unseen, "label", "weight", ClassWeights.of(COUNTS, ClassWeights.Scheme.BALANCED))
        .first().getDouble(1)).isEqualTo(1.0);
  }
}
