package io.dxpipe.score;

import com.typesafe.config.Config;
import io.dxpipe.config.Keys;
import java.time.LocalDate;
import java.util.Locale;

/**
 * Settings of the score job ({@code dxpipe.score}).
 *
 * @param date the day scored: its delivery partition is read and its predictions partition replaced
 * @param modelVersion a registry version, or 0 to take {@code modelAlias}
 * @param modelPath a saved PipelineModel folder instead of the registry, or empty
 * @param partitions 0: score the input as Spark splits it (sized to the cluster's cores, no shuffle);
 *     n: repartition to n tasks first
 * @param engine how records are scored
 * @param rejectsInPass the most rejected records the one-pass engine brings to the driver to write;
 *     above it they are written by a second pass over the input
 */
public record ScoreSettings(LocalDate date, Input input, String landingPath, String modelAlias, int modelVersion,
    String modelPath, int partitions, int minKnownSymptoms, int topK, Engine engine, int rejectsInPass) {

  /** How records are scored. */
  public enum Engine {
    /** The row engine when the row evaluator reproduces the model, else the pipeline engine (said in the log). */
    AUTO,
    /**
     * One pass: each cleaned record is rejected or ranked by the row evaluator inside the task
     * ({@code mapPartitions}); the input is read once. Fails at start-up on a model the evaluator refuses.
     */
    ROW,
    /** {@code PipelineModel.transform} as column stages, then the top k; the rejects by a separate pass. */
    PIPELINE
  }

  /** Where the day's records come from. */
  public enum Input {
    /** The day's silver partition, written by the clean job (the daily path). */
    SILVER,
    /** The day's bronze partition, cleaned here by the clean job's rules (without de-duplication). */
    BRONZE,
    /**
     * Raw files of an ad-hoc run ({@code landing-path}, laid out as the landing zone), parsed by the
     * ingest code and cleaned here; bronze is not written. Unusable files and records are rejected.
     */
    LANDING
  }

  public static ScoreSettings from(Config dxpipe) {
    Keys keys = new Keys(dxpipe, "score");
    Input input = keys.enumValue("input", Input.class);
    String landingPath = keys.string("landing-path").trim();
    if (input == Input.LANDING && landingPath.isEmpty()) {
      throw keys.invalid("landing-path", "must name a folder of raw files (<path>/<source>/<yyyy-MM-dd>/<file>) "
          + "when dxpipe.score.input = landing");
    }
    return new ScoreSettings(keys.date("date"), input, landingPath,
        keys.nonEmptyString("model.alias"), keys.intAtLeast("model.version", 0), keys.string("model.path").trim(),
        keys.intAtLeast("partitions", 0), keys.intAtLeast("min-known-symptoms", 0),
        (int) keys.longBetween("top-k", 3, 100), keys.enumValue("engine", Engine.class),
        (int) keys.longBetween("rejects-in-pass", 0, 10_000_000));
  }

  /** How the model is chosen, for messages. */
  public String modelChoice(String registeredModel) {
    if (!modelPath.isEmpty()) {
      return "path " + modelPath;
    }
    return registeredModel + (modelVersion > 0 ? " version " + modelVersion : "@" + modelAlias);
  }

  public String inputName() {
    return input.name().toLowerCase(Locale.ROOT);
  }
}
