package io.dxpipe.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import io.dxpipe.io.StorageFiles;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.DelayedLabels;
import io.dxpipe.schema.Monitoring;
import io.dxpipe.schema.Predictions;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delayed labels matched to predictions in memory: per labelled day in the window the counts and
 * figures are the hand-computed ones, a day outside the window and a prediction without a label
 * are left out, and a label file repeating a record counts it once.
 */
class LabelledPerformanceTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final LocalDate DAY = LocalDate.parse("2026-03-10");
  private static final Profile BASELINE = new Profile(1000, Map.of(), Map.of(), Map.of(),
      Map.of("accuracy", 0.9, "macro_f1", 0.9, "orphan_macro_recall", 0.5));
  private static final LabelledPerformance PERFORMANCE = new LabelledPerformance(MonitorSettings.from(
      TestSettings.load("monitor.performance.days=2", "monitor.performance.min-labelled=3",
          "monitor.performance.min-orphan-labelled=1").config().dxpipe()), Set.of("O"));

  @TempDir
  Path root;

  private static Row prediction(String day, String id, String code) {
    return RowFactory.create(java.sql.Date.valueOf(day), Bronze.recordKey("north_ehr", id), code);
  }

  /** 03-10: r1-r3 labelled (two right), r4 not; 03-09: r5-r7 right, r7 an orphan; 03-08: outside the window. */
  private static Dataset<Row> predictions() {
    return SPARK.createDataFrame(List.of(prediction("2026-03-10", "r1", "A"), prediction("2026-03-10", "r2", "A"),
        prediction("2026-03-10", "r3", "B"), prediction("2026-03-10", "r4", "C"),
        prediction("2026-03-09", "r5", "A"), prediction("2026-03-09", "r6", "A"), prediction("2026-03-09", "r7", "O"),
        prediction("2026-03-08", "r8", "A")), createStructType(List.of(
            createStructField(Predictions.SCORING_DATE, DateType, false),
            createStructField(Bronze.RECORD_KEY, StringType, false),
            createStructField(Predictions.PREDICTED_CODE, StringType, false))));
  }

  private void labels(String file, String header, String... lines) throws Exception {
    Path path = root.resolve("labels").resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, header + "\n" + String.join("", lines));
  }

  private List<Finding> measure(PrintStream out) {
    return PERFORMANCE.measure(SPARK, new StorageFiles("file:" + root, SPARK.sparkContext().hadoopConfiguration()),
        "file:" + root.resolve("labels"), predictions(), DAY, BASELINE, out);
  }

  private static Finding figure(List<Finding> findings, String day, String metric) {
    return findings.stream().filter(f -> f.scoringDate().equals(LocalDate.parse(day)) && f.metric().equals(metric))
        .findFirst().orElseThrow(() -> new AssertionError(day + " " + metric + " not in " + findings));
  }

  @Test
  void eachLabelledDayOfTheWindowGetsItsFigures() throws Exception {
    labels("2026-03-11/a.csv", DelayedLabels.HEADER, DelayedLabels.line("north_ehr", "r1", "A", "2026-03-11"),
        DelayedLabels.line("north_ehr", "r2", "B", "2026-03-11"), DelayedLabels.line("north_ehr", "r8", "B",
            "2026-03-11"));
    labels("2026-03-12/more/b.csv", DelayedLabels.HEADER, DelayedLabels.line("north_ehr", "r3", "B", "2026-03-12"),
        DelayedLabels.line("north_ehr", "r1", "A", "2026-03-12"), // sent again: counted once
        DelayedLabels.line("north_ehr", "r5", "A", "2026-03-12"), DelayedLabels.line("north_ehr", "r6", "A",
            "2026-03-12"), DelayedLabels.line("north_ehr", "r7", "O", "2026-03-12"));
    List<Finding> f = measure(new PrintStream(new ByteArrayOutputStream()));

    assertThat(f).allMatch(x -> x.check().equals(Monitoring.PERFORMANCE));
    assertThat(f).extracting(Finding::scoringDate).containsOnly(LocalDate.parse("2026-03-09"),
        LocalDate.parse("2026-03-10"));
    assertThat(f).hasSize(8);
    // 03-10: truth A, B, B; predicted A, A, B. A: f1 = 2*1/(1+2); B: 2*1/(2+1)
    assertThat(figure(f, "2026-03-10", "labelled").value()).isEqualTo(3);
    assertThat(figure(f, "2026-03-10", "accuracy").value()).isCloseTo(2 / 3.0, within(1e-12));
    Finding f1 = figure(f, "2026-03-10", "macro_f1");
    assertThat(f1.value()).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(f1.threshold()).isCloseTo(0.9 - 0.10, within(1e-12));
    assertThat(f1.breached()).isTrue();
    Finding noOrphans = figure(f, "2026-03-10", "orphan_macro_recall");
    assertThat(noOrphans.value()).isNaN();
    assertThat(noOrphans.breached()).isFalse();
    assertThat(noOrphans.note()).isEqualTo("fewer than 1 labelled orphan records: not judged");
    // 03-09: all right, one orphan record
    assertThat(figure(f, "2026-03-09", "accuracy").value()).isEqualTo(1.0);
    assertThat(figure(f, "2026-03-09", "macro_f1").breached()).isFalse();
    Finding orphan = figure(f, "2026-03-09", "orphan_macro_recall");
    assertThat(orphan.value()).isEqualTo(1.0);
    assertThat(orphan.records()).isEqualTo(1);
    assertThat(orphan.note()).isNull();
  }

  @Test
  void withoutLabelsNothingIsMeasuredAndTheOutputSaysSo() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(measure(new PrintStream(out, true, StandardCharsets.UTF_8))).isEmpty();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("no delayed labels at", "performance not measured");
  }

  @Test
  void aLabelFileWhoseHeaderIsNotTheDeclaredOneIsRefused() throws Exception {
    labels("x.csv", "source_record_id,source,diagnosis_code,diagnosed_on", "r1,north_ehr,A,2026-03-11\n");
    assertThatThrownBy(() -> measure(new PrintStream(new ByteArrayOutputStream())))
        .hasStackTraceContaining("CSV header does not conform to the schema");
  }
}
