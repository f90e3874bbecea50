package io.dxpipe.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.evaluate.ClassificationMetrics;
import io.dxpipe.io.StorageFiles;
import io.dxpipe.schema.Gold;
import io.dxpipe.testing.MemoryTracking;
import io.dxpipe.testing.SharedSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingReportsTest {
  private static final Map<String, Object> POINT = Map.of("reg-param", 0.01, "elastic-net-param", 0.0, "max-iter", 50.0);

  @Test
  void theReportIsLoggedAndWrittenToTheRunsFolderAndLatest(@TempDir Path dir) {
    Dataset<Row> data = TrainFixtures.separable(Map.of(Gold.TRAIN, 10), 4);
    Transformer model = new ClassifierFit(TrainFixtures.settings(ClassWeights.Scheme.BALANCED, true, 0.01))
        .weighted(Learner.LOGISTIC_REGRESSION, POINT, data, Map.of(Gold.FEATURES, 2), TrainFixtures.LABELS);
    ClassificationMetrics test = ClassifierFit.evaluate(model.transform(data), TrainFixtures.LABELS, Set.of(2));
    ClassificationMetrics baseline = MajorityBaseline.evaluate(data, data, TrainFixtures.LABELS, Set.of(2));
    TrainStage.CandidateResult lr = new TrainStage.CandidateResult(Learner.LOGISTIC_REGRESSION, POINT, 0.97, test,
        baseline, 1.5, 1.2, "c1");
    List<HeldOutEvaluation.DiseaseResult> diseases = List.of(
        new HeldOutEvaluation.DiseaseResult("flu", "Influenza", false, 40, true, 20, 18, 20, 20),
        new HeldOutEvaluation.DiseaseResult("orpha_1", "A \"rare\" one", true, 0, true, 20, 9, 15, 19));
    HeldOutEvaluation.Result heldOut = new HeldOutEvaluation.Result(HeldOutEvaluation.groups(diseases), diseases, 1.0,
        null, "");
    TrainingReports.Outcome outcome = new TrainingReports.Outcome("t-1", List.of(lr), baseline, lr, test, "f-1",
        "macro_f1", heldOut);
    String reports = dir.toUri().toString().replaceAll("/$", "");
    Configuration hadoop = SharedSpark.session().sparkContext().hadoopConfiguration();
    StorageFiles files = new StorageFiles(reports, hadoop);
    files.writeString(reports + "/features/f-1/pca-report.json", "{\"components\": 2}");
    MemoryTracking tracking = new MemoryTracking();
    String run = tracking.startRun("exp", "train", null, Map.of());

    String written = TrainingReports.write(tracking, run, outcome, reports, hadoop);

    assertThat(written).isEqualTo(reports + "/training/t-1");
    List<String> expected = List.of("plots/confusion-matrix.png", "plots/per-class-recall.png", "plots/roc-curves.png",
        "plots/model-comparison.png", "confusion-matrix.csv", "metrics.json", "features/pca-report.json",
        "plots/held-out.png", "held-out/diseases.csv");
    assertThat(tracking.runs().get(run).artifacts().keySet()).containsExactlyInAnyOrderElementsOf(expected);
    for (String path : expected) {
      for (String folder : List.of(written, reports + "/training/latest")) {
        assertThat(files.exists(folder + "/" + path)).as(folder + "/" + path).isTrue();
      }
    }
    byte[] png = tracking.runs().get(run).artifacts().get("plots/roc-curves.png");
    assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    assertThat(files.readString(reports + "/training/latest/features/pca-report.json")).isEqualTo("{\"components\": 2}");
    String metrics = files.readString(written + "/metrics.json");
    assertThat(metrics).contains("\"train_run_id\" : \"t-1\"", "\"winner\" : \"logistic-regression\"",
        "\"cv_macro_f1\" : 0.97", "\"unweighted_training_seconds\" : 1.2", "\"majority_baseline_validation\"",
        "\"held_out\"", "\"cases_0\" : {", "\"macro_recall\" : 0.45");
    assertThat(files.readString(written + "/held-out/diseases.csv")).isEqualTo(
        "code,name,group,training_cases,is_class,records,top1,top3,top10\n"
        + "flu,\"Influenza\",common,40,true,20,18,20,20\n"
        + "orpha_1,\"A \"\"rare\"\" one\",orphan,0,true,20,9,15,19\n");
  }

  @Test
  void withoutAPcaReportTheRestIsWritten(@TempDir Path dir) {
    Dataset<Row> data = TrainFixtures.separable(Map.of(Gold.TRAIN, 4), 4);
    ClassificationMetrics baseline = MajorityBaseline.evaluate(data, data, TrainFixtures.LABELS, Set.of());
    TrainStage.CandidateResult c = new TrainStage.CandidateResult(Learner.MLP, Map.of(), 0.3, baseline, null, 1, 0,
        "c1");
    Map<String, byte[]> files = TrainingReports.files(new TrainingReports.Outcome("t-2", List.of(c), baseline, c,
        baseline, "none", "macro_f1", HeldOutEvaluation.Result.skipped("off")));
    assertThat(files).doesNotContainKeys("features/pca-report.json", "plots/held-out.png").containsKey("metrics.json");
    assertThat(TrainingReports.metricsJson(new TrainingReports.Outcome("t-2", List.of(c), baseline, c, baseline,
        "none", "macro_f1", null)).get("candidates").toString()).doesNotContain("unweighted");
  }

  @Test
  void aMetricsDocumentHasTheSummaryAndEachClassWithUndefinedFiguresAsNull() {
    Dataset<Row> data = TrainFixtures.separable(Map.of(Gold.TRAIN, 3), 4);
    ClassificationMetrics m = MajorityBaseline.evaluate(data, data.filter("label < 2"), TrainFixtures.LABELS,
        Set.of(2));
    Map<String, Object> doc = TrainingReports.metricsDocument(m);
    assertThat(doc).containsEntry("records", 6L).containsKeys("macro_f1", "accuracy", "per_class");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> perClass = (List<Map<String, Object>>) doc.get("per_class");
    assertThat(perClass).hasSize(3);
    assertThat(perClass.get(2)).containsEntry("label", "c_disease").containsEntry("orphan", true)
        .containsEntry("support", 0L).containsEntry("roc_auc", null);
  }
}
