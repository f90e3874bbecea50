package io.dxpipe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dxpipe.io.StorageFiles;
import io.dxpipe.schema.Monitoring;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flag file appears with the reasons on a breached day, goes again when a re-run is quiet; latest.json follows. */
class RetrainSignalTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalDate DAY = LocalDate.parse("2026-03-03");

  @Test
  void aBreachWritesTheFlagFileAndAQuietReRunRemovesIt(@TempDir Path root) throws Exception {
    RetrainSignal signal = new RetrainSignal(new StorageFiles("file:" + root, new Configuration()),
        "file:" + root.resolve("monitoring"), new PrintStream(new ByteArrayOutputStream()));
    Path flag = root.resolve("monitoring/_signals/retrain-2026-03-03.json");
    Path latest = root.resolve("monitoring/_signals/latest.json");
    Finding breach = new Finding(DAY, Monitoring.FEATURE_DRIFT, "age", "ks", 0.3, null, 0.15, true, 300, null);

    String written = signal.give(DAY, "dxpipe version 3", List.of(breach));
    assertThat(written).isEqualTo(signal.flagFile(DAY)).endsWith("/monitoring/_signals/retrain-2026-03-03.json");
    JsonNode doc = JSON.readTree(flag.toFile());
    assertThat(doc.get("retrain").asBoolean()).isTrue();
    assertThat(doc.get("scoring_date").asText()).isEqualTo("2026-03-03");
    assertThat(doc.get("model").asText()).isEqualTo("dxpipe version 3");
    assertThat(doc.get("reasons")).hasSize(1);
    assertThat(doc.get("reasons").get(0).asText()).startsWith("2026-03-03 BREACH feature_drift age ks 0.3000");
    assertThat(Files.readString(latest)).isEqualTo(Files.readString(flag));

    assertThat(signal.give(DAY, "dxpipe version 3", List.of())).isNull();
    assertThat(flag).doesNotExist();
    JsonNode quiet = JSON.readTree(latest.toFile());
    assertThat(quiet.get("retrain").asBoolean()).isFalse();
    assertThat(quiet.get("reasons")).isEmpty();
  }
}
