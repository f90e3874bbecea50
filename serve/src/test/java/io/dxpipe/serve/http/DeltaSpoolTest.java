package io.dxpipe.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool's promises: rows appended are in the table after a flush, once; a process that died
 * before its flush leaves its rows for the next start; a flush that committed but died before
 * deleting its file is replayed without a duplicate (Delta's txnAppId/txnVersion).
 */
class DeltaSpoolTest {
  private static final SparkSession SPARK = SharedSpark.session();

  @TempDir
  Path root;

  private static Map<String, Object> row(String id) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put(OnlineTables.TIME, "2026-12-01T10:00:00Z");
    r.put(OnlineTables.AUDIT_DATE, "2026-12-01");
    r.put(OnlineTables.REQUEST_ID, id);
    r.put(OnlineTables.PRINCIPAL, "ward-7");
    r.put(OnlineTables.ROLES, "clinician");
    r.put(OnlineTables.METHOD, "POST");
    r.put(OnlineTables.ENDPOINT, "/v1/predict");
    r.put(OnlineTables.STATUS, 200);
    r.put(OnlineTables.LATENCY_MS, 0.4);
    r.put(OnlineTables.MODEL_NAME, "m");
    r.put(OnlineTables.MODEL_VERSION, 3);
    r.put(OnlineTables.RECORDS, 1);
    r.put(OnlineTables.REJECTED_RECORDS, 0);
    r.put(OnlineTables.PATIENT_KEYS, List.of());
    return r;
  }

  private long count(String table) {
    return SPARK.read().format("delta").load(table).count();
  }

  @Test
  void rowsReachTheTableOnceWhateverDiesWhere() throws Exception {
    String table = root.resolve("audit").toUri().toString();
    Path spool = root.resolve("spool");
    DeltaSpool first = new DeltaSpool("audit", OnlineTables.AUDIT, table, List.of(OnlineTables.AUDIT_DATE), spool);
    first.append(row("a"));
    first.append(row("b"));
    assertThat(first.pending()).isEqualTo(2);
    assertThat(first.flush(SPARK)).isEqualTo(2);
    assertThat(count(table)).isEqualTo(2);
    assertThat(first.flush(SPARK)).isZero();

    // a process killed before its flush: its current file is taken up by the next process
    first.append(row("c"));
    DeltaSpool next = new DeltaSpool("audit", OnlineTables.AUDIT, table, List.of(OnlineTables.AUDIT_DATE), spool);
    assertThat(next.flush(SPARK)).isEqualTo(1);
    assertThat(count(table)).isEqualTo(3);

    // a flush that committed but died before deleting its file: the file comes back, the rows do not
    next.append(row("d"));
    Path closed = spool.resolve("audit").resolve(Files.readString(spool.resolve("audit/next-seq")).trim() + ".jsonl");
    String lines = Files.readString(spool.resolve("audit/current.jsonl"));
    assertThat(next.flush(SPARK)).isEqualTo(1);
    assertThat(count(table)).isEqualTo(4);
    Files.writeString(closed, lines); // as if the delete had not happened
    DeltaSpool after = new DeltaSpool("audit", OnlineTables.AUDIT, table, List.of(OnlineTables.AUDIT_DATE), spool);
    after.flush(SPARK);
    assertThat(count(table)).isEqualTo(4);
    assertThat(Files.exists(closed)).isFalse();
    assertThat(SPARK.read().format("delta").load(table).select(OnlineTables.REQUEST_ID).distinct().count())
        .isEqualTo(4);
  }
}
