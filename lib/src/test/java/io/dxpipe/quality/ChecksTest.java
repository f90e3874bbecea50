package io.dxpipe.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.dxpipe.config.ConfigurationException;
import io.dxpipe.schema.Bronze;
import io.dxpipe.testing.BronzeRecords;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ChecksTest {
  private static final EvaluationContext CONTEXT = EvaluationContext.of(LocalDate.parse("2026-11-25"));

  private static CheckResult only(Dataset<Row> data, String checkHocon) {
    return only(data, checkHocon, CONTEXT);
  }

  private static CheckResult only(Dataset<Row> data, String checkHocon, EvaluationContext context) {
    Check check = Checks.fromConfig(ConfigFactory.parseString(checkHocon), "test");
    QualityReport report = new QualitySuite("t", List.of(new CheckGroup("g", Severity.ERROR, List.of(check))))
        .run(data, "input", context);
    assertThat(report.results()).hasSize(1);
    return report.results().get(0);
  }

  private static Dataset<Row> ages(Integer... ages) {
    BronzeRecords[] records = new BronzeRecords[ages.length];
    for (int i = 0; i < ages.length; i++) {
      records[i] = BronzeRecords.record("r" + i).with(Bronze.AGE, ages[i]);
    }
    return BronzeRecords.dataset(records);
  }

  @Test
  void completenessPassesAtTheThresholdAndFailsBelowIt() {
    Dataset<Row> data = ages(1, 2, 3, null);
    CheckResult pass = only(data, "type = completeness, column = age, min = 0.75");
    assertThat(pass.passed()).isTrue();
    assertThat(pass.metric()).isEqualTo(0.75);
    CheckResult fail = only(data, "type = completeness, column = age, min = 0.8");
    assertThat(fail.passed()).isFalse();
    assertThat(fail.examples()).containsExactly("1 rows with age null");
  }

  @Test
  void uniquenessFindsRepeatedKeysAndNamesThem() {
    Dataset<Row> unique = BronzeRecords.dataset(BronzeRecords.record("a"), BronzeRecords.record("b"));
    assertThat(only(unique, "type = uniqueness, columns = [record_key]").passed()).isTrue();
    Dataset<Row> repeated = BronzeRecords.dataset(BronzeRecords.record("a"), BronzeRecords.record("a"),
        BronzeRecords.record("b"));
    CheckResult fail = only(repeated, "type = uniqueness, columns = [record_key]");
    assertThat(fail.passed()).isFalse();
    assertThat(fail.metric()).isEqualTo(2.0 / 3);
    assertThat(fail.examples()).containsExactly("a x2");
  }

  @Test
  void valuesInSetIgnoresNullsAndListsOffendingValuesWithCounts() {
    Dataset<Row> data = BronzeRecords.dataset(
        BronzeRecords.record("a").with(Bronze.GENDER, "female"),
        BronzeRecords.record("b").with(Bronze.GENDER, null),
        BronzeRecords.record("c").with(Bronze.GENDER, "F"),
        BronzeRecords.record("d").with(Bronze.GENDER, "F"),
        BronzeRecords.record("e").with(Bronze.GENDER, "x"));
    String check = "type = values-in-set, column = gender, values = [female, male]";
    CheckResult fail = only(data, check);
    assertThat(fail.passed()).isFalse();
    assertThat(fail.metric()).isEqualTo(0.25);
    assertThat(fail.examples()).containsExactly("F (2)", "x (1)");
    assertThat(only(data, check + ", min = 0.25").passed()).isTrue();
  }

  @Test
  void rangeCountsValuesOutsideTheLimits() {
    Dataset<Row> data = ages(10, 50, 240, null);
    CheckResult fail = only(data, "type = range, column = age, min = 0, max = 120");
    assertThat(fail.passed()).isFalse();
    assertThat(fail.metric()).isEqualTo(2.0 / 3);
    assertThat(fail.examples()).containsExactly("240 (1)");
    assertThat(only(data, "type = range, column = age, min = 0, max = 240").passed()).isTrue();
    assertThat(only(data, "type = range, column = age, min = 0, max = 120, min-share = 0.6").passed()).isTrue();
  }

  @Test
  void dateWindowResolvesRelativeBoundsFromToday() {
    Dataset<Row> data = BronzeRecords.dataset(
        BronzeRecords.record("a").with(Bronze.VISIT_DATE, java.sql.Date.valueOf("2026-11-01")),
        BronzeRecords.record("b").with(Bronze.VISIT_DATE, java.sql.Date.valueOf("2027-01-01")));
    CheckResult fail = only(data, "type = date-window, column = visit_date, from = -1y, to = today");
    assertThat(fail.passed()).isFalse();
    assertThat(fail.examples()).containsExactly("2027-01-01 (1)");
    CheckResult tooOld = only(data, "type = date-window, column = visit_date, from = -10d, to = \"+60d\"");
    assertThat(tooOld.passed()).isFalse();
    assertThat(tooOld.examples()).containsExactly("2026-11-01 (1)");
    assertThat(only(data, "type = date-window, column = visit_date, from = 2026-01-01, to = \"+60d\"").passed()).isTrue();
  }

  @Test
  void rowCountBounds() {
    Dataset<Row> data = ages(1, 2, 3);
    assertThat(only(data, "type = row-count, min = 3").passed()).isTrue();
    assertThat(only(data, "type = row-count, min = 4").passed()).isFalse();
    assertThat(only(data, "type = row-count, min = 1, max = 2").passed()).isFalse();
  }

  @Test
  void flagShareCountsRecordsWithAFlagOfThePrefix() {
    Dataset<Row> data = io.dxpipe.clean.RecordCleaning.selectSilverColumns(ages(1, 2, 3, 4))
        .withColumn("quality_flags", org.apache.spark.sql.functions.when(
            org.apache.spark.sql.functions.col("age").leq(1),
            org.apache.spark.sql.functions.array(org.apache.spark.sql.functions.lit("outlier:age")))
            .otherwise(org.apache.spark.sql.functions.array().cast("array<string>")));
    CheckResult pass = only(data, "type = flag-share, flag = \"outlier:\", max = 0.25");
    assertThat(pass.passed()).isTrue();
    assertThat(pass.metric()).isEqualTo(0.25);
    CheckResult fail = only(data, "type = flag-share, flag = \"outlier:\", max = 0.2");
    assertThat(fail.passed()).isFalse();
    assertThat(fail.examples()).containsExactly("outlier:age (1)");
    CheckResult empty = only(data.limit(0), "type = flag-share, flag = \"outlier:\", max = 0");
    assertThat(empty.passed()).isTrue();
    assertThat(empty.metric()).isZero();
  }

  @Test
  void quarantineShareUsesTheQuarantinedCountOfTheContext() {
    Dataset<Row> data = ages(1, 2, 3);
    assertThat(only(data, "type = quarantine-share, max = 0.25", CONTEXT.withQuarantinedRows(1)).passed()).isTrue();
    CheckResult fail = only(data, "type = quarantine-share, max = 0.2", CONTEXT.withQuarantinedRows(1));
    assertThat(fail.passed()).isFalse();
    assertThat(fail.metric()).isEqualTo(0.25);
    assertThatThrownBy(() -> only(data, "type = quarantine-share, max = 0.2"))
        .hasMessageContaining("applies to the bronze table only");
  }

  @Test
  void badCheckConfigurationNamesTheKey() {
    assertThatThrownBy(() -> Checks.fromConfig(ConfigFactory.parseString("type = completness, column = a, min = 1"),
        "dxpipe.quality.tables.silver[0].checks[2]"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dxpipe.quality.tables.silver[0].checks[2].type 'completness' is not a check type");
    assertThatThrownBy(() -> Checks.fromConfig(ConfigFactory.parseString("type = range, column = a, min = 1, max = 2, "
        + "share = 1"), "p"))
        .hasMessageContaining("p.share is not a known key here");
    assertThatThrownBy(() -> Checks.fromConfig(ConfigFactory.parseString("type = range, column = a, min = 3, max = 2"),
        "p")).hasMessageContaining("p.min (3.0) is above max (2.0)");
    assertThatThrownBy(() -> Checks.fromConfig(ConfigFactory.parseString("type = date-window, column = a, from = "
        + "yesterday, to = today"), "p")).hasMessageContaining("'yesterday' is not a date");
  }
}
