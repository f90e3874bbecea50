package io.dxpipe.train;

import com.typesafe.config.Config;
import io.dxpipe.config.Keys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Settings of the training job ({@code dxpipe.train}), grids expanded to their combinations. */
public record TrainSettings(
    List<Learner> candidates,
    ClassWeights.Scheme classWeights,
    boolean compareUnweighted,
    int folds,
    long cvSeed,
    String selectionMetric,
    int ovrParallelism,
    String featuresColumn,
    Map<Learner, List<Map<String, Object>>> grids,
    int timingRecords,
    Evaluation evaluation) {

  /**
   * The held-out evaluation ({@code dxpipe.train.evaluation}, {@link HeldOutEvaluation}).
   *
   * @param unseenDiseases catalogue diseases without training records also evaluated; -1: all
   */
  public record Evaluation(int recordsPerDisease, int unseenDiseases, long seed, double impreciseShare) {
    public boolean enabled() {
      return recordsPerDisease > 0;
    }
  }

  /** Metrics a model can be selected on (all: higher is better). */
  public static final Set<String> SELECTION_METRICS = Set.of("accuracy", "macro_f1", "weighted_f1", "macro_recall",
      "top3_accuracy", "orphan_macro_recall", "orphan_macro_f1", "roc_auc_macro", "pr_auc_macro");

  private static String featuresColumn(Keys keys) {
    String column = keys.string("features-column");
    if (!column.equals("features") && !column.equals("features_full")) {
      throw keys.invalid("features-column", "must be features (PCA) or features_full but is '" + column + "'");
    }
    return column;
  }

  public static TrainSettings from(Config dxpipe) {
    Keys keys = new Keys(dxpipe, "train");
    Keys cv = new Keys(dxpipe, "train.cv");
    Keys grids = new Keys(dxpipe, "train.grids");
    List<Learner> candidates = new ArrayList<>();
    for (String name : keys.strings("candidates")) {
      Learner learner = Learner.parse(keys, "candidates", name);
      if (candidates.contains(learner)) {
        throw keys.invalid("candidates", "names " + name + " twice");
      }
      candidates.add(learner);
    }
    if (candidates.isEmpty()) {
      throw keys.invalid("candidates", "needs at least one learner");
    }
    String metric = keys.string("selection-metric");
    if (!SELECTION_METRICS.contains(metric)) {
      throw keys.invalid("selection-metric", "must be one of " + new java.util.TreeSet<>(SELECTION_METRICS)
          + " but is '" + metric + "'");
    }
    Map<Learner, List<Map<String, Object>>> expanded = new LinkedHashMap<>();
    for (Learner learner : candidates) {
      expanded.put(learner, learner.grid(grids));
    }
    return new TrainSettings(List.copyOf(candidates), keys.enumValue("class-weights", ClassWeights.Scheme.class),
        keys.bool("compare-unweighted"), (int) cv.longBetween("folds", 2, 20), cv.longAtLeast("seed", 0), metric,
        (int) keys.longBetween("ovr-parallelism", 1, 64), featuresColumn(keys), expanded,
        (int) keys.longBetween("timing-records", 1000, 10_000_000),
        new Evaluation((int) keys.longBetween("evaluation.records-per-disease", 0, 10_000),
            (int) keys.longBetween("evaluation.unseen-diseases", -1, 1_000_000), keys.longAtLeast("evaluation.seed", 0),
            keys.rate("evaluation.imprecise-share")));
  }
}
