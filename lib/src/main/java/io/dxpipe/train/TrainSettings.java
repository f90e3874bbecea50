package io.dxpipe.train;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
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
    List<String> featuresColumns,
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

  /** The grid key of the gold column a learner reads at a grid point ({@code features-column}). */
  public static final String FEATURES_COLUMN = "features-column";

  /**
   * {@code features-column}: one gold column or a list of them; with several, each is a grid value of
   * every learner that reads one (cross-validation picks a learner's, validation the winner).
   */
  private static List<String> featuresColumns(Config dxpipe, Keys keys) {
    List<String> columns = dxpipe.getValue("train.features-column").valueType() == ConfigValueType.LIST
        ? keys.strings("features-column") : List.of(keys.string("features-column"));
    if (columns.isEmpty()) {
      throw keys.invalid("features-column", "needs at least one column");
    }
    for (String column : columns) {
      if (!column.equals("features") && !column.equals("features_full")) {
        throw keys.invalid("features-column", "must be features (PCA), features_full or a list of them but names '"
            + column + "'");
      }
    }
    if (new java.util.HashSet<>(columns).size() < columns.size()) {
      throw keys.invalid("features-column", "names a column twice: " + columns);
    }
    return List.copyOf(columns);
  }

  /** A learner's grid with the features column as one more dimension (the phenotype model reads none). */
  private static List<Map<String, Object>> withFeaturesColumns(Learner learner, List<Map<String, Object>> grid,
      List<String> columns) {
    if (learner == Learner.PHENOTYPE) {
      return grid;
    }
    List<Map<String, Object>> points = new ArrayList<>();
    for (String column : columns) {
      for (Map<String, Object> point : grid) {
        Map<String, Object> p = new LinkedHashMap<>(point);
        p.put(FEATURES_COLUMN, column);
        points.add(p);
      }
    }
    return points;
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
    List<String> columns = featuresColumns(dxpipe, keys);
    Map<Learner, List<Map<String, Object>>> expanded = new LinkedHashMap<>();
    for (Learner learner : candidates) {
      expanded.put(learner, withFeaturesColumns(learner, learner.grid(grids), columns));
    }
    return new TrainSettings(List.copyOf(candidates), keys.enumValue("class-weights", ClassWeights.Scheme.class),
        keys.bool("compare-unweighted"), (int) cv.longBetween("folds", 2, 20), cv.longAtLeast("seed", 0), metric,
        (int) keys.longBetween("ovr-parallelism", 1, 64), columns, expanded,
        (int) keys.longBetween("timing-records", 1000, 10_000_000),
        new Evaluation((int) keys.longBetween("evaluation.records-per-disease", 0, 10_000),
            (int) keys.longBetween("evaluation.unseen-diseases", -1, 1_000_000), keys.longAtLeast("evaluation.seed", 0),
            keys.rate("evaluation.imprecise-share")));
  }
}
