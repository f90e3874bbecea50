package io.dxpipe.features;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import io.dxpipe.testing.BronzeRecords;
import io.dxpipe.testing.TestSettings;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {
  private static final FeatureSettings SETTINGS = FeatureSettings.from(TestSettings.load().config().dxpipe());

  private static Map<String, Map<String, Long>> counts(Dataset<Row> split) {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    for (Row r : split.groupBy(Bronze.DIAGNOSIS_CODE, Gold.SPLIT).count().collectAsList()) {
      out.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getString(1), r.getLong(2));
    }
    return out;
  }

  private static Dataset<Row> assign(Dataset<Row> data) {
    return StratifiedSplit.assign(data, Bronze.DIAGNOSIS_CODE, col(Bronze.PATIENT_KEY), Bronze.RECORD_KEY, SETTINGS);
  }

  @Test
  void everyClassKeepsItsShareInEverySplitAndTinyClassesDoNotCrash() {
    Map<String, Map<String, Long>> c = counts(assign(BronzeRecords.byClass(Map.of("big", 100, "three", 3, "two", 2, "one", 1))));
    assertThat(c.get("big")).containsExactlyInAnyOrderEntriesOf(Map.of("train", 70L, "validation", 20L, "test", 10L));
    assertThat(c.get("three")).containsExactlyInAnyOrderEntriesOf(Map.of("train", 1L, "validation", 1L, "test", 1L));
    assertThat(c.get("two")).containsExactlyInAnyOrderEntriesOf(Map.of("train", 1L, "validation", 1L));
    assertThat(c.get("one")).containsExactlyInAnyOrderEntriesOf(Map.of("train", 1L));
  }

  @Test
  void trainKeepsARecordEvenWhenItsShareIsSmall() {
    FeatureSettings lopsided = FeatureSettings.from(TestSettings.load("features.split.train=0.1",
        "features.split.validation=0.45", "features.split.test=0.45").config().dxpipe());
    Dataset<Row> split = StratifiedSplit.assign(BronzeRecords.byClass(Map.of("four", 4)), Bronze.DIAGNOSIS_CODE,
        col(Bronze.PATIENT_KEY), Bronze.RECORD_KEY, lopsided);
    assertThat(counts(split).get("four")).containsEntry("train", 1L).containsEntry("test", 2L)
        .containsEntry("validation", 1L);
  }

  @Test
  void theAssignmentIsDeterministicAndDependsOnTheSeed() {
    Dataset<Row> data = BronzeRecords.byClass(Map.of("a", 50, "b", 30));
    List<Row> first = assign(data).select(Bronze.RECORD_KEY, Gold.SPLIT).orderBy(Bronze.RECORD_KEY).collectAsList();
    List<Row> again = assign(data.repartition(3)).select(Bronze.RECORD_KEY, Gold.SPLIT).orderBy(Bronze.RECORD_KEY)
        .collectAsList();
    assertThat(again).isEqualTo(first);
    FeatureSettings otherSeed = FeatureSettings.from(TestSettings.load("features.split.seed=8").config().dxpipe());
    List<Row> other = StratifiedSplit.assign(data, Bronze.DIAGNOSIS_CODE, col(Bronze.PATIENT_KEY), Bronze.RECORD_KEY,
        otherSeed).select(Bronze.RECORD_KEY, Gold.SPLIT).orderBy(Bronze.RECORD_KEY).collectAsList();
    assertThat(other).isNotEqualTo(first);
  }
}
