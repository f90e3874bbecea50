package io.dxpipe.mlflow;

import java.util.Map;

/**
 * MLflow runs: experiments, runs (nested through the {@link #PARENT_RUN_TAG} tag), params, metrics
 * with steps and tags, and reading a run's metrics and tags back.
 */
public interface Runs {
  String PARENT_RUN_TAG = "mlflow.parentRunId";
  String RUN_NAME_TAG = "mlflow.runName";

  /** Where runs go, for messages ("MLflow at http://127.0.0.1:5000"). */
  String describe();

  /** The id of the named experiment, created when missing. */
  String experiment(String name);

  /** Starts a run; {@code parentRunId} may be null. */
  String startRun(String experimentId, String name, String parentRunId, Map<String, String> tags);

  void logParams(String runId, Map<String, String> params);

  /** Logs one metric value at a step; NaN and infinite values are skipped (MLflow cannot chart them). */
  void logMetric(String runId, String key, double value, long step);

  default void logMetrics(String runId, String prefix, Map<String, Double> metrics) {
    logMetrics(runId, prefix, metrics, 0);
  }

  /** Several metrics at one step (a tracking server gets them in batches, not one request each). */
  default void logMetrics(String runId, String prefix, Map<String, Double> metrics, long step) {
    metrics.forEach((k, v) -> logMetric(runId, prefix + k, v, step));
  }

  void setTag(String runId, String key, String value);

  /** Ends the run as FINISHED or FAILED. */
  void endRun(String runId, boolean finished);

  /** The latest value of each metric of a run. */
  Map<String, Double> metrics(String runId);

  Map<String, String> tags(String runId);
}
