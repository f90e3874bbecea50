package io.dxpipe.clean;

import static io.dxpipe.testing.BronzeRecords.record;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.config.Settings;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.quality.DataQualityException;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.QualityResults;
import io.dxpipe.schema.Silver;
import io.dxpipe.testing.BronzeRecords;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clean job over a small bronze table with the shipped checks: an impossible visit date is
 * its record's problem (nulled, flagged, the delivery written), while a delivery where many are
 * impossible still stops before silver is written.
 */
class ImplausibleDatesCleanTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

  /** n plausible records, then the given keys with a visit on 9999-12-31, as a bronze Delta table. */
  private static Settings bronze(Path root, int n, String... farFuture) {
    Settings s = TestSettings.load("storage.root=file:" + root);
    List<BronzeRecords> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      records.add(record("r" + i));
    }
    for (String key : farFuture) {
      records.add(record(key).with(Bronze.VISIT_DATE, Date.valueOf("9999-12-31")));
    }
    BronzeRecords.dataset(records.toArray(BronzeRecords[]::new)).write().format("delta").save(s.storage().bronze());
    return s;
  }

  @Test
  void oneFarFutureVisitIsFlaggedAndTheRestOfTheDeliveryIsWritten(@TempDir Path root) {
    Settings s = bronze(root, 59, "far");
    CleanStage.Totals totals = new CleanStage(SPARK, CleanStage.Options.parse(s), QUIET).run();
    assertThat(totals.silver()).isEqualTo(60);
    assertThat(totals.flags()).containsEntry("outlier", 1L);
    List<Row> silver = SPARK.read().format("delta").load(s.storage().silver()).collectAsList();
    assertThat(silver).hasSize(60);
    Row far = silver.stream().filter(r -> r.<String>getAs(Bronze.RECORD_KEY).equals("far")).findFirst().orElseThrow();
    assertThat(far.<Date>getAs(Bronze.VISIT_DATE)).isNull();
    assertThat(far.getList(far.fieldIndex(Silver.QUALITY_FLAGS))).containsExactly("outlier:visit_date");
    List<Row> recorded = SPARK.read().format("delta").load(s.storage().quality())
        .filter(col(QualityResults.CHECK_NAME).equalTo("implausible-visit-dates")).collectAsList();
    assertThat(recorded).hasSize(1);
    assertThat(recorded.get(0).<String>getAs(QualityResults.STATUS)).isEqualTo("PASS");
    assertThat(recorded.get(0).<Double>getAs(QualityResults.METRIC)).isCloseTo(1 / 60.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aDeliveryWithManyImpossibleVisitDatesStillStopsBeforeSilverIsWritten(@TempDir Path root) {
    Settings s = bronze(root, 47, "far-1", "far-2", "far-3");
    assertThatThrownBy(() -> new CleanStage(SPARK, CleanStage.Options.parse(s), QUIET).run())
        .isInstanceOf(DataQualityException.class)
        .hasMessageContaining("integrity/implausible-visit-dates [error]");
    assertThat(DeltaTables.exists(SPARK, s.storage().silver())).isFalse();
  }
}
