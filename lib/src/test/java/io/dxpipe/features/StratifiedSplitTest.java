package io.dxpipe.features;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import io.dxpipe.testing.BronzeRecords;
import io.dxpipe.testing.TestSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
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

  private static final Column PERSON = coalesce(col(Bronze.PERSON_KEY), col(Bronze.PATIENT_KEY));

  /**
   * A realistic labelled set: 8 classes from 400 records down to 2, 1,000 persons of whom about one
   * in five came back one to three times, mostly with another diagnosis.
   */
  private static Dataset<Row> repeatVisitors() {
    String[] classes = {"c400", "c200", "c120", "c60", "c30", "c12", "c5", "c2"};
    double[] weights = {400, 200, 120, 60, 30, 12, 5, 2};
    double total = java.util.Arrays.stream(weights).sum();
    Random random = new Random(42);
    List<BronzeRecords> records = new ArrayList<>();
    for (int p = 0; p < 1000; p++) {
      int visits = random.nextDouble() < 0.2 ? 2 + random.nextInt(3) : 1;
      for (int v = 0; v < visits; v++) {
        double u = random.nextDouble() * total;
        int c = 0;
        while (u >= weights[c]) {
          u -= weights[c++];
        }
        records.add(BronzeRecords.record("p" + p + "-v" + v).with(Bronze.PERSON_KEY, "person-" + p)
            .with(Bronze.PATIENT_KEY, "patient-" + p + "-" + v).with(Bronze.DIAGNOSIS_CODE, classes[c]));
      }
    }
    return BronzeRecords.dataset(records.toArray(BronzeRecords[]::new));
  }

  @Test
  void noPersonIsInTwoSplitsEvenWithRecordsOfSeveralDiseases() {
    Dataset<Row> data = repeatVisitors();
    assertThat(data.groupBy(PERSON).agg(countDistinct(col(Bronze.DIAGNOSIS_CODE)).as("k")).filter(col("k").gt(1))
        .count()).as("persons with several diseases in the input").isGreaterThan(100);
    Dataset<Row> split = StratifiedSplit.assign(data, Bronze.DIAGNOSIS_CODE, PERSON, Bronze.RECORD_KEY, SETTINGS);
    assertThat(split.count()).isEqualTo(data.count());
    List<Row> straddling = split.groupBy(PERSON).agg(countDistinct(col(Gold.SPLIT)).as("splits"))
        .filter(col("splits").gt(1)).collectAsList();
    assertThat(straddling).as("persons in more than one split").isEmpty();
  }

  @Test
  void classesKeepTheirSharesWhenPersonsAreSplitWhole() {
    Dataset<Row> split = StratifiedSplit.assign(repeatVisitors(), Bronze.DIAGNOSIS_CODE, PERSON, Bronze.RECORD_KEY,
        SETTINGS);
    Map<String, Map<String, Long>> c = counts(split);
    for (String label : List.of("c400", "c200", "c120", "c60")) {
      Map<String, Long> bySplit = c.get(label);
      double n = bySplit.values().stream().mapToLong(Long::longValue).sum();
      assertThat(bySplit.getOrDefault("train", 0L) / n).as(label + " train share").isCloseTo(0.7, within(0.05));
      assertThat(bySplit.getOrDefault("validation", 0L) / n).as(label + " validation share")
          .isCloseTo(0.2, within(0.05));
      assertThat(bySplit.getOrDefault("test", 0L) / n).as(label + " test share").isCloseTo(0.1, within(0.05));
    }
    for (String label : List.of("c30", "c12", "c5")) {
      assertThat(c.get(label)).as(label + " is in every split").containsKeys("train", "validation", "test");
    }
    assertThat(c.get("c2")).as("a class of 2 records keeps a train record").containsKey("train");
  }

  @Test
  void aSingleClassPersonWithSeveralRecordsStaysWholeAndTrainKeepsTheClass() {
    Dataset<Row> data = BronzeRecords.dataset(
        BronzeRecords.record("a1").with(Bronze.PERSON_KEY, "a").with(Bronze.DIAGNOSIS_CODE, "rare"),
        BronzeRecords.record("a2").with(Bronze.PERSON_KEY, "a").with(Bronze.DIAGNOSIS_CODE, "rare"),
        BronzeRecords.record("a3").with(Bronze.PERSON_KEY, "a").with(Bronze.DIAGNOSIS_CODE, "rare"));
    assertThat(counts(StratifiedSplit.assign(data, Bronze.DIAGNOSIS_CODE, PERSON, Bronze.RECORD_KEY, SETTINGS))
        .get("rare")).containsExactlyInAnyOrderEntriesOf(Map.of("train", 3L));
  }
}
