package io.dxpipe.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store's own round trip; Python MLflow reading it is checked by MlflowIT. */
class FileStoreTrackingTest {
  @TempDir
  Path dir;

  @Test
  void runsMetricsTagsAndArtifactsRoundTrip() throws Exception {
    FileStoreTracking store = new FileStoreTracking(dir.resolve("mlruns"));
    String experiment = store.experiment("dx");
    assertThat(store.experiment("dx")).isEqualTo(experiment);
    assertThat(Files.readString(dir.resolve("mlruns/0/meta.yaml"))).contains("name: \"Default\"");
    String parent = store.startRun(experiment, "parent", null, Map.of("k", "v"));
    String child = store.startRun(experiment, "child", parent, Map.of());
    store.logMetric(child, "cv_macro_f1", 0.5, 0);
    store.logMetric(child, "cv_macro_f1", 0.7, 1);
    store.logMetric(child, "nan", Double.NaN, 0);
    store.logParams(child, Map.of("reg-param", "0.01"));
    store.logArtifact(parent, "plots/a.png", new byte[] {1, 2, 3});
    store.endRun(child, true);
    store.endRun(parent, false);

    assertThat(store.metrics(child)).containsExactly(Map.entry("cv_macro_f1", 0.7));
    assertThat(Files.readString(dir.resolve("mlruns").resolve(experiment).resolve(child).resolve("metrics/cv_macro_f1")))
        .matches("\\d+ 0\\.5 0\\n\\d+ 0\\.7 1\\n");
    assertThat(store.tags(child)).containsEntry(Tracking.PARENT_RUN_TAG, parent).containsEntry(Tracking.RUN_NAME_TAG,
        "child");
    assertThat(store.tags(parent)).containsEntry("k", "v");
    assertThat(store.listArtifacts(parent, "plots")).containsExactly("a.png");
    String meta = Files.readString(dir.resolve("mlruns").resolve(experiment).resolve(parent).resolve("meta.yaml"));
    assertThat(meta).contains("status: 4").containsPattern("end_time: \\d+");
    assertThat(store.artifactUri(parent)).startsWith("file://" + dir.toAbsolutePath()).endsWith(parent + "/artifacts");
  }

  @Test
  void registryVersionsAliasesAndDescriptions() throws Exception {
    FileStoreTracking store = new FileStoreTracking(dir.resolve("mlruns"));
    String run = store.startRun(store.experiment("dx"), "r", null, Map.of());
    String source = store.artifactUri(run) + "/model";
    assertThat(store.registerVersion("m", source, run, "first")).isEqualTo(1);
    assertThat(store.registerVersion("m", source, run, "second: it's \"quoted\"\nand multi-line")).isEqualTo(2);
    assertThat(store.alias("m", "champion")).isEmpty();
    store.setAlias("m", "champion", 1);
    store.setAlias("m", "challenger", 2);
    store.setAlias("m", "champion", 2);
    assertThat(store.alias("m", "champion")).contains(2);
    assertThat(Files.readString(dir.resolve("mlruns/models/m/meta.yaml"), StandardCharsets.UTF_8))
        .contains("aliases:\n  challenger: \"2\"\n  champion: \"2\"\n");
    Tracking.ModelVersion v2 = store.version("m", 2);
    assertThat(v2.description()).isEqualTo("second: it's \"quoted\"\nand multi-line");
    assertThat(v2.source()).isEqualTo(source);
    store.describeVersion("m", 2, v2.description() + "\nvalidated");
    assertThat(store.version("m", 2).description()).endsWith("multi-line\nvalidated");
    assertThatThrownBy(() -> store.setAlias("m", "champion", 9)).hasMessageContaining("has no version 9");
  }
}
