package io.dxpipe.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.QualityResults;
import io.dxpipe.testing.BronzeRecords;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityReportTest {
  private static final EvaluationContext CONTEXT = EvaluationContext.of(LocalDate.parse("2026-11-25"));

  private static Check check(String hocon) {
    return Checks.fromConfig(ConfigFactory.parseString(hocon), "test");
  }

  private static final Dataset<Row> DATA = BronzeRecords.dataset(
      BronzeRecords.record("a").with(Bronze.AGE, 240),
      BronzeRecords.record("b").with(Bronze.GENDER, "F"));

  private static QualitySuite suite() {
    return new QualitySuite("silver", List.of(
        new CheckGroup("integrity", Severity.ERROR, List.of(check("type = range, column = age, min = 0, max = 120"))),
        new CheckGroup("plausibility", Severity.WARNING,
            List.of(check("type = values-in-set, column = gender, values = [female, male]")))));
  }

  @Test
  void anErrorCheckThatFailsStopsTheJobNamingTheCheckAndTheOffendingValues() {
    QualityReport report = suite().run(DATA, "bronze@v1", CONTEXT);
    assertThat(report.failures(Severity.ERROR)).hasSize(1);
    assertThat(report.failures(Severity.WARNING)).hasSize(1);
    assertThatThrownBy(report::enforce)
        .isInstanceOf(DataQualityException.class)
        .hasMessageContaining("failed on silver (bronze@v1)")
        .hasMessageContaining("integrity/range(age) [error]")
        .hasMessageContaining("offending: 240 (1)")
        .hasMessageNotContaining("values-in-set(gender)");
  }

  @Test
  void aFailingWarningIsRecordedButDoesNotStopTheJob() {
    QualitySuite warnings = new QualitySuite("silver", List.of(new CheckGroup("plausibility", Severity.WARNING,
        List.of(check("type = values-in-set, column = gender, values = [female, male]")))));
    QualityReport report = warnings.run(DATA, "bronze@v1", CONTEXT);
    assertThat(report.failures(Severity.WARNING)).extracting(r -> r.check().name())
        .containsExactly("values-in-set(gender)");
    assertThatCode(report::enforce).doesNotThrowAnyException();
  }

  @Test
  void resultsOfTheSameInputReplaceEachOtherAndNewInputsAddRows(@TempDir Path dir) {
    String path = dir.resolve("quality").toUri().toString();
    QualityResultsTable table = new QualityResultsTable(SharedSpark.session(), path);
    table.write("CleanJob", "run-1", suite().run(DATA, "bronze@v1", CONTEXT));
    table.write("CleanJob", "run-2", suite().run(DATA, "bronze@v1", CONTEXT));
    Dataset<Row> stored = SharedSpark.session().read().format("delta").load(path);
    assertThat(stored.count()).isEqualTo(2);
    assertThat(stored.select(QualityResults.RUN_ID).distinct().first().getString(0)).isEqualTo("run-2");
    table.write("CleanJob", "run-3", suite().run(DATA, "bronze@v2", CONTEXT));
    assertThat(SharedSpark.session().read().format("delta").load(path).count()).isEqualTo(4);
    Row failed = stored.filter("check_name = 'range(age)'").first();
    assertThat(failed.<String>getAs(QualityResults.STATUS)).isEqualTo("FAIL");
    assertThat(failed.<String>getAs(QualityResults.SEVERITY)).isEqualTo("error");
    assertThat(failed.<String>getAs(QualityResults.EXAMPLES)).isEqualTo("240 (1)");
    assertThat(failed.<Double>getAs(QualityResults.METRIC)).isEqualTo(0.5);
  }

  @Test
  void theConfiguredChecksOfEveryTableParse() {
    QualitySettings settings = QualitySettings.from(TestSettings.load().config().dxpipe());
    assertThat(settings.tables()).containsKeys("bronze", "silver", "features");
    assertThat(settings.suite("silver").isEmpty()).isFalse();
    assertThatThrownBy(() -> QualitySettings.from(TestSettings.load(
        "quality.tables.silver=[{group=a, severity=fatal, checks=[]}]").config().dxpipe()))
        .hasMessageContaining("dxpipe.quality.tables.silver[0].severity");
  }
}
