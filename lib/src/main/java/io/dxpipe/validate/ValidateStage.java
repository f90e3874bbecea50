package io.dxpipe.validate;

import io.dxpipe.config.Settings;
import io.dxpipe.mlflow.MlflowSettings;
import io.dxpipe.mlflow.Tracking;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validation gate as a job: reads the candidate version (alias {@code challenger}) and the
 * current champion from the registry, applies the thresholds to their runs' metrics, records the
 * outcome on the candidate's run (tag, metric, report artifact) and in the version's description,
 * and, when enabled and passed, moves the alias {@code champion} to the candidate.
 */
public final class ValidateStage {
  public static final String JOB = "ValidateJob";

  /** The gate's outcome. promoted: the champion alias moved (enabled mode and passed). */
  public record Outcome(GateSettings.Mode mode, String model, int candidate, Integer champion,
      List<ValidationGate.Verdict> verdicts, boolean passed, boolean promoted, String report, String tracking) {}

  /**
   * Everything the stage reads from the configuration, read once by {@link #parse}: that is the
   * validation (it runs before Spark starts), and the stage reads nothing else.
   */
  public record Options(GateSettings gate, MlflowSettings mlflow) {

    /** Reads every setting the stage needs, failing on the first bad one. */
    public static Options parse(Settings settings) {
      return new Options(GateSettings.from(settings.config().dxpipe()), MlflowSettings.from(settings.config().dxpipe()));
    }
  }

  private final Options settings;
  private final PrintStream out;

  public ValidateStage(Options settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  public Outcome run(org.apache.hadoop.conf.Configuration hadoop) {
    GateSettings gate = settings.gate();
    MlflowSettings mlflow = settings.mlflow();
    String model = mlflow.registeredModel();
    if (gate.mode() == GateSettings.Mode.DISABLED) {
      return new Outcome(gate.mode(), model, 0, null, List.of(), true, false, "validation disabled", "");
    }
    try (Tracking tracking = Tracking.open(mlflow, hadoop)) {
      int candidate = tracking.alias(model, gate.candidateAlias()).orElseThrow(() -> new IllegalStateException(
          "no version of " + model + " has the alias " + gate.candidateAlias() + " in " + tracking.describe()
          + ": run the train job first"));
      Tracking.ModelVersion version = tracking.version(model, candidate);
      Optional<Integer> champion = tracking.alias(model, gate.championAlias()).filter(v -> v != candidate);
      Map<String, Double> championMetrics = champion.map(v -> tracking.metrics(tracking.version(model, v).runId()))
          .orElse(null);
      List<ValidationGate.Verdict> verdicts = ValidationGate.evaluate(gate.thresholds(),
          tracking.metrics(version.runId()), championMetrics, gate.missingChampionMetric());
      boolean passed = ValidationGate.passed(verdicts);
      boolean promote = passed && gate.mode() == GateSettings.Mode.ENABLED;
      String when = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_INSTANT);
      StringBuilder report = new StringBuilder();
      report.append(String.format(java.util.Locale.ROOT, "Validation of %s version %d (%s=%s) at %s, mode %s, against %s: %s%n", model,
          candidate, gate.candidateAlias(), candidate, when, gate.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
          champion.map(v -> gate.championAlias() + " version " + v).orElse("no champion"),
          passed ? "PASSED" : "FAILED"));
      verdicts.forEach(v -> report.append("  ").append(v.line()).append('\n'));
      report.append(promote ? "  -> alias " + gate.championAlias() + " moved to version " + candidate + "\n"
          : passed ? "  -> dry run: alias " + gate.championAlias() + " left where it is\n"
          : "  -> alias " + gate.championAlias() + " left where it is\n");
      out.print(report);

      String status = (passed ? "passed" : "failed") + (gate.mode() == GateSettings.Mode.DRY_RUN ? " (dry run)" : "");
      tracking.setTag(version.runId(), "dxpipe.validation", status);
      tracking.logMetric(version.runId(), "validation_passed", passed ? 1 : 0, 0);
      tracking.logArtifact(version.runId(), "validation/report-" + when.replace(':', '-') + ".txt",
          report.toString().getBytes(StandardCharsets.UTF_8));
      String description = version.description() == null || version.description().isBlank() ? ""
          : version.description() + "\n\n";
      tracking.describeVersion(model, candidate, description + report.toString().trim());
      if (promote) {
        tracking.setAlias(model, gate.championAlias(), candidate);
      }
      return new Outcome(gate.mode(), model, candidate, champion.orElse(null), verdicts, passed, promote,
          report.toString(), tracking.describe());
    }
  }
}
