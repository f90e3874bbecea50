package io.dxpipe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.schema.Monitoring;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

/** A finding's row is what the monitoring table declares: a value of the declared type in each column. */
class FindingTest {
  private static final Map<DataType, Class<?>> JAVA = Map.of(DataTypes.DateType, java.sql.Date.class,
      DataTypes.StringType, String.class, DataTypes.DoubleType, Double.class, DataTypes.BooleanType, Boolean.class,
      DataTypes.LongType, Long.class, DataTypes.IntegerType, Integer.class, DataTypes.TimestampType, Timestamp.class);

  private static void assertConforms(Row row) {
    StructField[] fields = Monitoring.SCHEMA.fields();
    assertThat(row.size()).isEqualTo(fields.length);
    for (int i = 0; i < fields.length; i++) {
      Object value = row.get(i);
      if (value == null) {
        assertThat(fields[i].nullable()).as(fields[i].name() + " is null but declared not nullable").isTrue();
      } else {
        assertThat(value).as(fields[i].name()).isInstanceOf(JAVA.get(fields[i].dataType()));
      }
    }
  }

  @Test
  void rowsMatchTheDeclaredSchemaWithEveryOptionalValueSetOrMissing() {
    LocalDate day = LocalDate.parse("2026-03-02");
    Timestamp at = Timestamp.valueOf("2026-03-02 10:00:00");
    Finding full = new Finding(day.minusDays(3), Monitoring.FEATURE_DRIFT, "age", "psi", 0.3, 0.1, 0.25, true, 500,
        "a note");
    Finding bare = new Finding(day, Monitoring.PERFORMANCE, null, "accuracy", Double.NaN, null, null, false, 0, null);
    for (Row row : List.of(full.toRow(day, "model", 3, "run-1", "mlflow-1", at),
        bare.toRow(day, null, null, "run-1", null, at))) {
      assertConforms(row);
    }
    Row row = full.toRow(day, "model", 3, "run-1", "mlflow-1", at);
    assertThat(row.get(Monitoring.SCHEMA.fieldIndex(Monitoring.MONITOR_DATE))).isEqualTo(java.sql.Date.valueOf(day));
    assertThat(row.get(Monitoring.SCHEMA.fieldIndex(Monitoring.SCORING_DATE)))
        .isEqualTo(java.sql.Date.valueOf(day.minusDays(3)));
    assertThat(row.get(Monitoring.SCHEMA.fieldIndex(Monitoring.THRESHOLD))).isEqualTo(0.25);
    assertThat(row.get(Monitoring.SCHEMA.fieldIndex(Monitoring.MLFLOW_RUN_ID))).isEqualTo("mlflow-1");
    // NaN (nothing to measure) is stored as null
    assertThat(bare.toRow(day, null, null, "run-1", null, at).isNullAt(Monitoring.SCHEMA.fieldIndex(Monitoring.VALUE)))
        .isTrue();
  }
}
