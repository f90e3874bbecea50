package io.dxpipe.train;

import io.dxpipe.evaluate.ClassificationMetrics;
import io.dxpipe.mlflow.Artifacts;
import io.dxpipe.mlflow.ModelRegistry;
import io.dxpipe.mlflow.Runs;
import io.dxpipe.model.ModelLayout;
import java.util.Locale;

/**
 * Training's last step: the run's model artifact registered as a new version of the registered
 * model, described by the winner and its test figures, and given the alias {@code challenger}
 * (the validate job decides whether it becomes champion).
 */
final class ChallengerRegistration {
  static final String ALIAS = "challenger";

  private ChallengerRegistration() {}

  /** The version's description in the registry. */
  static String description(TrainStage.CandidateResult winner, String input, String trainRunId,
      ClassificationMetrics test) {
    return String.format(Locale.ROOT, "%s trained on %s (train run %s); test macro-F1 %.3f, orphan "
        + "macro-recall %.3f, top-3 %.3f", winner.learner().configName(), input, trainRunId, test.macroF1(),
        test.orphan().macroRecall(), test.top3Accuracy());
  }

  /** @return the new version */
  static int register(ModelRegistry registry, Runs runs, Artifacts artifacts, String registeredModel, String mlflowRunId, String description) {
    int version = registry.registerVersion(registeredModel, artifacts.artifactUri(mlflowRunId) + "/"
        + ModelLayout.MODEL_ARTIFACT, mlflowRunId, description);
    registry.setAlias(registeredModel, ALIAS, version);
    runs.setTag(mlflowRunId, "dxpipe.registered_version", Integer.toString(version));
    return version;
  }
}
