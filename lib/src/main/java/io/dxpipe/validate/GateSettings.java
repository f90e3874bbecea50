package io.dxpipe.validate;

import com.typesafe.config.Config;
import io.dxpipe.config.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings of the validation gate ({@code dxpipe.validate}): mode, aliases, thresholds and what a
 * relative threshold does when the champion's run lacks its metric.
 */
public record GateSettings(Mode mode, String candidateAlias, String championAlias, List<Threshold> thresholds,
    MissingChampionMetric missingChampionMetric) {

  /** disabled: do nothing; dry-run: report only; enabled: promote on pass, exit 3 on fail. */
  public enum Mode {
    DISABLED,
    DRY_RUN,
    ENABLED
  }

  /**
   * A relative threshold whose metric the champion's run did not log (a champion trained before the
   * metric existed): fail (the candidate is not shown to be no worse) or pass (the threshold is waived).
   */
  public enum MissingChampionMetric {
    FAIL,
    PASS
  }

  /** How a threshold compares. */
  public enum Kind {
    MIN("min"),
    MAX("max"),
    MAX_DROP_VS_CHAMPION("max-drop-vs-champion");

    final String key;

    Kind(String key) {
      this.key = key;
    }
  }

  public record Threshold(Kind kind, String metric, double limit) {}

  /** Metrics a threshold can name: the test metrics the train job logs, plus scoring time and model size. */
  public static final Set<String> METRICS = Set.of("accuracy", "macro_precision", "macro_recall", "macro_f1",
      "weighted_f1", "top3_accuracy", "log_loss", "brier_score", "roc_auc_macro", "pr_auc_macro",
      "orphan_macro_recall", "orphan_macro_f1", "common_macro_recall", "common_macro_f1", "scoring_ms_per_1000",
      "model_size_bytes");

  /** Metrics where lower is better: "worse than the champion" means above it. */
  public static final Set<String> LOWER_IS_BETTER = Set.of("log_loss", "brier_score", "scoring_ms_per_1000",
      "model_size_bytes");

  public static GateSettings from(Config dxpipe) {
    Keys keys = new Keys(dxpipe, "validate");
    List<Threshold> thresholds = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      Keys section = Keys.of(keys.section(kind.key), keys.prefix() + "." + kind.key);
      for (String metric : new TreeSet<>(keys.section(kind.key).root().keySet())) {
        if (!METRICS.contains(metric)) {
          throw section.invalid(metric, "is not a metric the train job logs (known: " + new TreeSet<>(METRICS) + ")");
        }
        thresholds.add(new Threshold(kind, metric, section.number(metric)));
      }
    }
    return new GateSettings(keys.enumValue("mode", Mode.class), keys.nonEmptyString("candidate-alias"),
        keys.nonEmptyString("champion-alias"), List.copyOf(thresholds),
        keys.enumValue("missing-champion-metric", MissingChampionMetric.class));
  }

  static String describe(Threshold t) {
    return t.kind().key + " " + t.metric() + " " + String.format(Locale.ROOT, "%.4g", t.limit());
  }
}
