package io.dxpipe.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.testing.TestSettings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ProvenanceTest {
  @Test
  void tagsNameTheCodeTheConfigurationAndTheDataInTheirOrder() {
    Map<String, Long> perSplit = new TreeMap<>(Map.of("test", 3L, "train", 10L, "validation", 4L));
    Map<String, String> tags = Provenance.tags("abc", "hash", "file:/gold", 7, "f-1", "t-1", perSplit);
    assertThat(tags).containsExactly(Map.entry("mlflow.source.git.commit", "abc"),
        Map.entry("dxpipe.config_sha256", "hash"), Map.entry("dxpipe.gold_table", "file:/gold"),
        Map.entry("dxpipe.gold_version", "7"), Map.entry("dxpipe.feature_run_id", "f-1"),
        Map.entry("dxpipe.train_run_id", "t-1"), Map.entry("dxpipe.rows.test", "3"),
        Map.entry("dxpipe.rows.train", "10"), Map.entry("dxpipe.rows.validation", "4"));
  }

  @Test
  void paramsAreTheSettingsAndTheShapeOfTheData() {
    TrainSettings s = TrainSettings.from(TestSettings.load("train.candidates=[mlp, logistic-regression]",
        "train.class-weights=sqrt", "train.cv.folds=4", "train.features-column=features").config().dxpipe());
    assertThat(Provenance.params(s, Map.of("features", 113), 53, 12)).containsExactly(Map.entry("candidates", "[mlp, logistic-regression]"),
        Map.entry("class_weights", "sqrt"), Map.entry("cv_folds", "4"), Map.entry("selection_metric", "macro_f1"),
        Map.entry("features_column", "features"), Map.entry("input_features", "113"), Map.entry("classes", "53"),
        Map.entry("orphan_classes", "12"));
    TrainSettings both = TrainSettings.from(TestSettings.load().config().dxpipe());
    assertThat(Provenance.params(both, Map.of("features", 40, "features_full", 812), 53, 12))
        .containsEntry("features_column", "features, features_full")
        .containsEntry("input_features", "features=40, features_full=812");
  }

  @Test
  void theConfigurationHashIsStableAndChangesWithAnySetting() {
    String a = Provenance.configHash(TestSettings.load().config());
    assertThat(a).matches("[0-9a-f]{64}").isEqualTo(Provenance.configHash(TestSettings.load().config()));
    assertThat(Provenance.configHash(TestSettings.load("train.cv.folds=4").config())).isNotEqualTo(a);
  }

  @Test
  void theCommitIsTheEnvironmentsOrGits() throws Exception {
    String fromEnvironment = List.of("DXPIPE_GIT_COMMIT", "GIT_COMMIT", "GITHUB_SHA").stream().map(System::getenv)
        .filter(v -> v != null && !v.isBlank()).map(String::trim).findFirst().orElse(null);
    String expected = fromEnvironment;
    if (expected == null) {
      Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
      String sha = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      expected = git.waitFor() == 0 ? sha : "unknown";
    }
    assertThat(Provenance.gitCommit()).isEqualTo(expected);
  }
}
