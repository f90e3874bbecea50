package io.dxpipe.clean;

import static io.dxpipe.testing.BronzeRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Silver;
import io.dxpipe.testing.BronzeRecords;
import java.sql.Date;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class DeduplicationTest {
  private static final List<String> PRIORITY = List.of("fhir_hub", "north_ehr", "south_clinic_csv");

  private static Deduplication.Result dedupe(BronzeRecords... records) {
    return Deduplication.dropDuplicateRecords(RecordCleaning.selectSilverColumns(BronzeRecords.dataset(records)),
        PRIORITY);
  }

  private static List<String> keys(Dataset<Row> df) {
    return df.select(Bronze.RECORD_KEY).orderBy(Bronze.RECORD_KEY).collectAsList().stream().map(r -> r.getString(0))
        .toList();
  }

  private static List<String> decisions(Dataset<Row> dropped) {
    return dropped.orderBy(Bronze.RECORD_KEY, Bronze.SOURCE_FILE).collectAsList().stream()
        .map(r -> r.getAs(Bronze.RECORD_KEY) + "->" + r.getAs(Silver.Duplicates.DUPLICATE_OF) + " ("
            + r.getAs(Silver.Duplicates.RULE) + ", " + r.getAs(Bronze.SOURCE_FILE) + ")")
        .toList();
  }

  @Test
  void aRecordDeliveredTwiceIsKeptFromItsFirstDelivery() {
    Deduplication.Result r = dedupe(
        record("a").with(Bronze.SOURCE_FILE, "f2-resent.json").with(Bronze.DELIVERY_DATE, Date.valueOf("2026-01-02")),
        record("a").with(Bronze.SOURCE_FILE, "f1.json"),
        record("b"));
    assertThat(keys(r.kept())).containsExactly("a", "b");
    assertThat(r.kept().filter("record_key = 'a'").first().<String>getAs(Bronze.SOURCE_FILE)).isEqualTo("f1.json");
    assertThat(decisions(r.dropped())).containsExactly("a->a (same record delivered again, f2-resent.json)");
  }

  @Test
  void theSameVisitFromTwoSourcesKeepsTheMoreCompleteRecord() {
    Deduplication.Result r = dedupe(
        record("north:1").with(Bronze.PERSON_KEY, "p").with(Bronze.HEART_RATE, null),
        record("csv:9").with(Bronze.SOURCE, "south_clinic_csv").with(Bronze.PERSON_KEY, "p"));
    assertThat(keys(r.kept())).containsExactly("csv:9");
    assertThat(decisions(r.dropped())).singleElement().asString()
        .startsWith("north:1->csv:9 (same person and visit date");
  }

  @Test
  void equallyCompleteCopiesGoToTheFirstSourceOfThePriorityList() {
    Deduplication.Result r = dedupe(
        record("csv:9").with(Bronze.SOURCE, "south_clinic_csv").with(Bronze.PERSON_KEY, "p"),
        record("fhir:3").with(Bronze.SOURCE, "fhir_hub").with(Bronze.PERSON_KEY, "p"),
        record("north:1").with(Bronze.PERSON_KEY, "p"));
    assertThat(keys(r.kept())).containsExactly("fhir:3");
    assertThat(r.dropped().count()).isEqualTo(2);
  }

  @Test
  void differentVisitsAndRecordsWithoutAVisitDateAreNotMerged() {
    Deduplication.Result r = dedupe(
        record("a").with(Bronze.PERSON_KEY, "p"),
        record("b").with(Bronze.PERSON_KEY, "p").with(Bronze.VISIT_DATE, Date.valueOf("2025-07-01")),
        record("c").with(Bronze.PERSON_KEY, "q").with(Bronze.VISIT_DATE, null),
        record("d").with(Bronze.PERSON_KEY, "q").with(Bronze.VISIT_DATE, null));
    assertThat(keys(r.kept())).containsExactly("a", "b", "c", "d");
    assertThat(r.dropped().count()).isZero();
  }

  @Test
  void aPerDateRunDropsWhatSilverHoldsFromOtherDeliveries() {
    Dataset<Row> earlier = RecordCleaning.selectSilverColumns(BronzeRecords.dataset(
        record("a").with(Bronze.DELIVERY_DATE, Date.valueOf("2026-01-01")),
        record("north:7").with(Bronze.PERSON_KEY, "p").with(Bronze.DELIVERY_DATE, Date.valueOf("2026-01-01"))));
    Dataset<Row> today = RecordCleaning.selectSilverColumns(BronzeRecords.dataset(
        record("a").with(Bronze.SOURCE_FILE, "a-resent.json").with(Bronze.DELIVERY_DATE, Date.valueOf("2026-01-02")),
        record("csv:3").with(Bronze.SOURCE, "south_clinic_csv").with(Bronze.PERSON_KEY, "p")
            .with(Bronze.DELIVERY_DATE, Date.valueOf("2026-01-02")),
        record("new").with(Bronze.DELIVERY_DATE, Date.valueOf("2026-01-02"))));
    Deduplication.Result r = Deduplication.dropAlreadyInSilver(today, earlier);
    assertThat(keys(r.kept())).containsExactly("new");
    assertThat(decisions(r.dropped())).containsExactly(
        "a->a (already in silver from another delivery, a-resent.json)",
        "csv:3->north:7 (already in silver from another delivery, "
            + "file:/landing/north_ehr/2026-01-01/csv:3.json)");
  }

  @Test
  void withoutANationalIdThePatientKeyIdentifiesThePerson() {
    Deduplication.Result r = dedupe(
        record("a").with(Bronze.PERSON_KEY, null).with(Bronze.PATIENT_KEY, "pk"),
        record("b").with(Bronze.PERSON_KEY, null).with(Bronze.PATIENT_KEY, "pk"));
    assertThat(keys(r.kept())).containsExactly("a");
  }
}
