package io.dxpipe.train;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.schema.Bronze;
import io.dxpipe.testing.BronzeRecords;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class StratifiedKFoldTest {
  private static Dataset<Row> folds(Dataset<Row> data, int k, long seed) {
    return StratifiedKFold.assign(data, Bronze.DIAGNOSIS_CODE, col(Bronze.PATIENT_KEY), k, seed,
        "fold");
  }

  private static Map<String, Map<Integer, Long>> counts(Dataset<Row> folded) {
    Map<String, Map<Integer, Long>> out = new TreeMap<>();
    for (Row r : folded.groupBy(Bronze.DIAGNOSIS_CODE, "fold").count().collectAsList()) {
      out.computeIfAbsent(r.getString(0), c -> new TreeMap<>()).put(r.getInt(1), r.getLong(2));
    }
    return out;
  }

  @Test
  void everyFoldGetsItsShareOfEveryClass() {
    Map<String, Map<Integer, Long>> c = counts(folds(BronzeRecords.byClass(Map.of("big", 50, "small", 7, "rare", 2)), 5, 7));
    assertThat(c.get("big")).hasSize(5).allSatisfy((fold, n) -> assertThat(n).isEqualTo(10));
    assertThat(c.get("small")).hasSize(5).allSatisfy((fold, n) -> assertThat(n).isBetween(1L, 2L));
    assertThat(c.get("rare")).hasSize(2).allSatisfy((fold, n) -> assertThat(n).isEqualTo(1));
  }

  @Test
  void aPatientsRecordsOfAClassShareAFold() {
    Dataset<Row> data = BronzeRecords.byClass(Map.of("a", 30));
    List<String> keys = data.select(Bronze.RECORD_KEY).orderBy(Bronze.RECORD_KEY).limit(4).collectAsList().stream()
        .map(r -> r.getString(0)).toList();
    Dataset<Row> oneFrequentPatient = data.withColumn(Bronze.PATIENT_KEY,
        org.apache.spark.sql.functions.when(col(Bronze.RECORD_KEY).isin(keys.toArray()),
            org.apache.spark.sql.functions.lit("frequent-patient")).otherwise(col(Bronze.PATIENT_KEY)));
    List<Row> folds = folds(oneFrequentPatient, 3, 5).filter(col(Bronze.PATIENT_KEY).equalTo("frequent-patient"))
        .select("fold").distinct().collectAsList();
    assertThat(folds).hasSize(1);
  }

  @Test
  void aPatientWithRecordsOfSeveralClassesIsInOneFold() {
    Dataset<Row> data = BronzeRecords.byClass(Map.of("a", 30, "b", 30, "c", 30));
    // one record of each class becomes the same patient's (a patient seen three times, three diagnoses)
    List<String> keys = List.of("a", "b", "c").stream().map(c -> data.filter(col(Bronze.DIAGNOSIS_CODE).equalTo(c))
        .select(Bronze.RECORD_KEY).orderBy(Bronze.RECORD_KEY).first().getString(0)).toList();
    Dataset<Row> mixed = data.withColumn(Bronze.PATIENT_KEY,
        org.apache.spark.sql.functions.when(col(Bronze.RECORD_KEY).isin(keys.toArray()),
            org.apache.spark.sql.functions.lit("mixed-patient")).otherwise(col(Bronze.PATIENT_KEY)));
    for (long seed = 1; seed <= 5; seed++) {
      Dataset<Row> folded = folds(mixed, 5, seed);
      assertThat(folded.filter(col(Bronze.PATIENT_KEY).equalTo("mixed-patient")).select("fold").distinct().count())
          .as("seed " + seed).isEqualTo(1);
      assertThat(folded.count()).isEqualTo(90);
      // the others keep the stratified deal: every class in every fold
      assertThat(counts(folded)).allSatisfy((c, perFold) -> assertThat(perFold).hasSize(5));
    }
    // records without a patient, each its own patient as training passes them: spread over every fold
    Dataset<Row> anonymous = data.withColumn(Bronze.PATIENT_KEY, org.apache.spark.sql.functions.lit(null).cast("string"));
    assertThat(counts(StratifiedKFold.assign(anonymous, Bronze.DIAGNOSIS_CODE, org.apache.spark.sql.functions.coalesce(
        col(Bronze.PATIENT_KEY), col(Bronze.RECORD_KEY)), 5, 1, "fold")))
        .allSatisfy((c, perFold) -> assertThat(perFold).hasSize(5).allSatisfy((f, n) -> assertThat(n).isEqualTo(6)));
  }

  @Test
  void foldsAreDeterministicAndValidated() {
    Dataset<Row> data = BronzeRecords.byClass(Map.of("a", 20, "b", 9));
    List<Row> first = folds(data, 3, 1).select(Bronze.RECORD_KEY, "fold").orderBy(Bronze.RECORD_KEY).collectAsList();
    List<Row> again = folds(data.repartition(4), 3, 1).select(Bronze.RECORD_KEY, "fold").orderBy(Bronze.RECORD_KEY)
        .collectAsList();
    assertThat(again).isEqualTo(first);
    assertThatThrownBy(() -> folds(data, 1, 1)).hasMessageContaining("at least 2 folds, not 1");
  }
}
