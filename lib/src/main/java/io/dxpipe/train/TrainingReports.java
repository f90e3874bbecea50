package io.dxpipe.train;

import io.dxpipe.evaluate.ClassificationMetrics;
import io.dxpipe.evaluate.EvaluationPlots;
import io.dxpipe.io.StorageFiles;
import io.dxpipe.mlflow.Artifacts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Training's report step: the winner's plots on test (confusion matrix, recall per disease,
 * one-vs-rest ROC), the candidates compared on validation (with and without class weights, and
 * the majority baseline), the held-out evaluation by group (a plot, and per disease as CSV), the
 * confusion matrix as CSV, {@code metrics.json}, and the features run's
 * PCA report when there is one. Each file is logged to the training run and written to
 * {@code <reports>/training/<run id>/} and {@code <reports>/training/latest/}.
 */
final class TrainingReports {
  private TrainingReports() {}

  /** The outcome the reports describe. */
  record Outcome(String runId, List<TrainStage.CandidateResult> candidates, ClassificationMetrics baseline,
      TrainStage.CandidateResult winner, ClassificationMetrics test, String featureRunId, String selectionMetric,
      HeldOutEvaluation.Result heldOut) {}

  /** The files of the report, by path inside the report folder. */
  static Map<String, byte[]> files(Outcome o) {
    Map<String, Map<String, Double>> comparison = new LinkedHashMap<>();
    for (TrainStage.CandidateResult r : o.candidates()) {
      comparison.put(r.learner().configName(), r.validation().summary());
      if (r.unweighted() != null) {
        comparison.put(r.learner().configName() + " (unweighted)", r.unweighted().summary());
      }
    }
    comparison.put("majority baseline", o.baseline().summary());
    String title = o.winner().learner().configName() + " on test";
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("plots/confusion-matrix.png", EvaluationPlots.confusion(o.test(), "Confusion matrix: " + title));
    files.put("plots/per-class-recall.png", EvaluationPlots.perClassRecall(o.test(), "Recall per disease: " + title));
    files.put("plots/roc-curves.png", EvaluationPlots.roc(o.test(), "One-vs-rest ROC: " + title));
    files.put("plots/model-comparison.png", EvaluationPlots.comparison(comparison,
        List.of("macro_f1", "orphan_macro_recall", "top3_accuracy"), "Candidates on validation"));
    files.put("confusion-matrix.csv", o.test().confusionCsv().getBytes(StandardCharsets.UTF_8));
    if (o.heldOut() != null && o.heldOut().skipped() == null) {
      Map<String, Map<String, Double>> groups = new LinkedHashMap<>();
      o.heldOut().groups().forEach(g -> groups.put(g.name() + " (" + g.diseases() + ")", g.metrics()));
      files.put("plots/held-out.png", EvaluationPlots.comparison(groups, List.of("top1", "top3", "top10",
          "macro_recall"), "Held-out patients by group (diseases): " + o.winner().learner().configName(),
          "share of generated patients"));
      files.put("held-out/diseases.csv", o.heldOut().csv());
    }
    files.put("metrics.json", TrainingRuns.jsonBytes(metricsJson(o)));
    return files;
  }

  /** {@code metrics.json}: the winner and its test figures, every candidate, the baseline. */
  static Map<String, Object> metricsJson(Outcome o) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("train_run_id", o.runId());
    document.put("winner", o.winner().learner().configName());
    document.put("winner_params", o.winner().bestParams());
    document.put("test", metricsDocument(o.test()));
    Map<String, Object> candidates = new LinkedHashMap<>();
    for (TrainStage.CandidateResult r : o.candidates()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("params", r.bestParams());
      c.put("cv_" + o.selectionMetric(), r.cvScore());
      c.put("training_seconds", r.trainSeconds());
      c.put("validation", r.validation().summary());
      if (r.unweighted() != null) {
        c.put("unweighted_training_seconds", r.unweightedTrainSeconds());
        c.put("unweighted_validation", r.unweighted().summary());
      }
      candidates.put(r.learner().configName(), c);
    }
    document.put("candidates", candidates);
    document.put("majority_baseline_validation", o.baseline().summary());
    if (o.heldOut() != null && o.heldOut().skipped() == null) {
      Map<String, Object> heldOut = new LinkedHashMap<>();
      for (HeldOutEvaluation.Group g : o.heldOut().groups()) {
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("records", g.records());
        group.put("diseases", g.diseases());
        group.putAll(g.metrics());
        heldOut.put(g.key(), group);
      }
      document.put("held_out", heldOut);
    }
    return document;
  }

  /**
   * Logs the report to the run and writes it under {@code reportsRoot}.
   *
   * @return the run's report folder
   */
  static String write(Artifacts artifacts, String mlflowRunId, Outcome o, String reportsRoot, Configuration hadoop) {
    Map<String, byte[]> files = files(o);
    StorageFiles storageFiles = new StorageFiles(reportsRoot, hadoop);
    String pcaReport = reportsRoot + "/features/" + o.featureRunId() + "/pca-report.json";
    if (storageFiles.exists(pcaReport)) {
      files.put("features/pca-report.json", storageFiles.readString(pcaReport).getBytes(StandardCharsets.UTF_8));
    }
    String dir = reportsRoot + "/training/" + o.runId();
    files.forEach((path, content) -> {
      artifacts.logArtifact(mlflowRunId, path, content);
      for (String target : List.of(dir, reportsRoot + "/training/latest")) {
        storageFiles.write(target + "/" + path, content);
      }
    });
    return dir;
  }

  /** One set of metrics as JSON: the summary, then per class; undefined figures are null. */
  static Map<String, Object> metricsDocument(ClassificationMetrics m) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("records", m.records());
    doc.putAll(m.summary());
    List<Map<String, Object>> perClass = new ArrayList<>();
    for (ClassificationMetrics.ClassMetrics c : m.perClass()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("label", c.label());
      row.put("orphan", c.orphan());
      row.put("support", c.support());
      row.put("precision", c.precision());
      row.put("recall", c.recall());
      row.put("f1", c.f1());
      row.put("roc_auc", Double.isNaN(c.rocAuc()) ? null : c.rocAuc());
      row.put("pr_auc", Double.isNaN(c.prAuc()) ? null : c.prAuc());
      perClass.add(row);
    }
    doc.put("per_class", perClass);
    doc.replaceAll((key, v) -> v instanceof Double d && !Double.isFinite(d) ? null : v);
    return doc;
  }
}
