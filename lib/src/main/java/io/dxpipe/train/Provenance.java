package io.dxpipe.train;

import io.dxpipe.config.PipelineConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a training run is traced by, as tags and parameters of its MLflow run: the code's commit, a
 * hash of the effective configuration, the gold table and version it read, the features run that
 * built gold, the train run id and the records per split; the settings that shaped it.
 */
final class Provenance {
  private Provenance() {}

  /** The parent run's tags, in the order they are logged. */
  static Map<String, String> tags(String gitCommit, String configHash, String goldTable, long goldVersion,
      String featureRunId, String trainRunId, Map<String, Long> perSplit) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("mlflow.source.git.commit", gitCommit);
    tags.put("dxpipe.config_sha256", configHash);
    tags.put("dxpipe.gold_table", goldTable);
    tags.put("dxpipe.gold_version", Long.toString(goldVersion));
    tags.put("dxpipe.feature_run_id", featureRunId);
    tags.put("dxpipe.train_run_id", trainRunId);
    perSplit.forEach((split, n) -> tags.put("dxpipe.rows." + split, Long.toString(n)));
    return tags;
  }

  /** The parent run's parameters: the training settings and the shape of the data. */
  static Map<String, String> params(TrainSettings train, Map<String, Integer> inputSizes, int classes,
      int orphanClasses) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("candidates", train.candidates().stream().map(Learner::configName).toList().toString());
    params.put("class_weights", train.classWeights().name().toLowerCase(Locale.ROOT));
    params.put("cv_folds", Integer.toString(train.folds()));
    params.put("selection_metric", train.selectionMetric());
    // one column: its name and length; several: "features, features_full" and "features=40, features_full=812"
    params.put("features_column", String.join(", ", train.featuresColumns()));
    params.put("input_features", train.featuresColumns().size() == 1
        ? Integer.toString(inputSizes.get(train.featuresColumns().get(0)))
        : String.join(", ", train.featuresColumns().stream().map(c -> c + "=" + inputSizes.get(c)).toList()));
    params.put("classes", Integer.toString(classes));
    params.put("orphan_classes", Integer.toString(orphanClasses));
    return params;
  }

  /** SHA-256 of the effective configuration as printed at job start (secrets masked), one line each. */
  static String configHash(PipelineConfig config) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String line : config.render()) {
        sha.update(line.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The commit of the code: DXPIPE_GIT_COMMIT or GIT_COMMIT (CI), else git in the working directory. */
  static String gitCommit() {
    for (String name : List.of("DXPIPE_GIT_COMMIT", "GIT_COMMIT", "GITHUB_SHA")) {
      String value = System.getenv(name);
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    try {
      Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
      String sha = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return git.waitFor() == 0 && sha.matches("[0-9a-f]{40}") ? sha : "unknown";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
