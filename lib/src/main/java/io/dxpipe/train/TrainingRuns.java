package io.dxpipe.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dxpipe.mlflow.Runs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the training steps share about their MLflow runs: ending them, and JSON artifacts. */
final class TrainingRuns {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private TrainingRuns() {}

  /** Ends a run; when that fails after the job failed, the job's own failure is the one reported. */
  static void end(Runs runs, String runId, boolean finished) {
    try {
      runs.endRun(runId, finished);
    } catch (RuntimeException e) {
      if (finished) {
        throw e;
      }
      System.err.println("[dxpipe] could not mark MLflow run " + runId + " as failed: " + e);
    }
  }

  /** Indented JSON, as the artifacts and reports are written. */
  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] jsonBytes(Object value) {
    return json(value).getBytes(StandardCharsets.UTF_8);
  }

  /** Parameters as MLflow takes them: text, with a prefix. */
  static Map<String, String> prefixed(String prefix, Map<String, Object> params) {
    Map<String, String> out = new LinkedHashMap<>();
    params.forEach((key, v) -> out.put(prefix + key, String.valueOf(v)));
    return out;
  }
}
