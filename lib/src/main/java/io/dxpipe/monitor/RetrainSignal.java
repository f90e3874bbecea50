package io.dxpipe.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dxpipe.io.StorageFiles;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The retraining signal of a monitored day, given three ways a scheduler can act on: a flag file
 * {@code <monitoring>/_signals/retrain-<day>.json} holding the breached figures (removed again when
 * a re-run of the day finds none), {@code _signals/latest.json} with the latest day's verdict
 * either way, and the Databricks task value {@code retrain}. (The third way, the exit code, is the
 * job's.)
 */
final class RetrainSignal {
  static final String FOLDER = "_signals";

  private final StorageFiles files;
  private final String folder;
  private final PrintStream out;

  /** @param monitoring the monitoring table's location; the signals folder lies in it */
  RetrainSignal(StorageFiles files, String monitoring, PrintStream out) {
    this.files = files;
    this.folder = monitoring + "/" + FOLDER;
    this.out = out;
  }

  /** The flag file of a day. */
  String flagFile(LocalDate date) {
    return folder + "/retrain-" + date + ".json";
  }

  /** Gives the day's signal; returns the flag file written, or null when nothing was breached. */
  String give(LocalDate date, String model, List<Finding> breaches) {
    boolean retrain = !breaches.isEmpty();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("retrain", retrain);
    doc.put("scoring_date", date.toString());
    doc.put("model", model);
    doc.put("reasons", breaches.stream()
        .map(f -> f.scoringDate() + " " + f.line().trim().replaceAll(" +", " ")).toList());
    String json;
    try {
      json = Profile.JSON.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    String file = flagFile(date);
    if (retrain) {
      files.writeString(file, json);
    } else {
      files.delete(file);
    }
    files.writeString(folder + "/latest.json", json);
    DatabricksTaskValues.set("retrain", retrain, out);
    return retrain ? file : null;
  }
}
