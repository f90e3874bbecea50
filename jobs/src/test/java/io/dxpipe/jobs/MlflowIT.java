package io.dxpipe.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dxpipe.mlflow.RestTracking;
import io.dxpipe.mlflow.Tracking;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * MLflow as a local user has it: {@code scripts/run-local.sh} with no tracking URI starts its own MLflow
 * server (SQLite backend, artifact proxy; the current MLflow 3 of scripts/python/requirements.txt) over
 * {@code <storage root>/mlflow}, trains and gates against it and stops it. After run-local has ended, a
 * server over that store ({@code scripts/mlflow-server.sh}, the README's command) serves the champion to
 * Java and to Python MLflow, which reads the runs back and loads the registered model with
 * {@code mlflow.pyfunc} and {@code mlflow.spark} ({@code scripts/check-mlflow.sh}): they must predict what
 * Java predicted. The champion then runs the daily path (score, monitor) on a drifted day, run-local's
 * server again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MlflowIT {
  private static final String PORT = "5056";
  private static final String SERVER = "http://127.0.0.1:" + PORT;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path root;

  @BeforeAll
  static void pipeline() throws Exception {
    root = SamplePipeline.root(); // shared with NotebookIT; this test adds model runs and another day
  }

  @AfterAll
  static void stopServer() throws Exception {
    script("scripts/mlflow-server.sh", "stop"); // if a failed test left it running
  }

  /** A script with the environment of the read-back server (port, data folder: run-local's store). */
  private static SparkSubmitIT.Run script(String... command) throws IOException, InterruptedException {
    return SparkSubmitIT.run(List.of(command), Map.of("MLFLOW_PORT", PORT, "MLFLOW_DATA_DIR",
        root.resolve("mlflow").toString()), 10);
  }

  /** What run-local printed as its MLflow, checked to be a server it started and stopped again. */
  private static void ranAgainstItsOwnServer(SparkSubmitIT.Run run) {
    Matcher m = Pattern.compile("MLflow at http://127\\.0\\.0\\.1:(\\d+)")
        .matcher(run.output());
    assertThat(m.find()).as(run.output()).isTrue();
    assertThat(run.output()).contains("MLflow runs and models go to " + root.resolve("mlflow"),
        "mlflow server --backend-store-uri sqlite:///" + root.resolve("mlflow/mlflow.db"));
    try (Socket s = new Socket("127.0.0.1", Integer.parseInt(m.group(1)))) {
      throw new AssertionError("run-local left its MLflow server running on port " + m.group(1));
    } catch (IOException expected) {
      // refused: stopped
    }
  }

  /** train + validate on the 400-record sample with a small grid; run-local's own MLflow. */
  private static SparkSubmitIT.Run trainAndValidate(String candidates, String... extra)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("scripts/run-local.sh", "train", "validate",
        "storage.root=file:" + root, "train.candidates=" + candidates, "train.cv.folds=2",
        "train.grids.logistic-regression.reg-param=[0.01]",
        // one features column: choosing it by validation is TrainStageTest's (and CI's time)
        "train.features-column=features",
        // no held-out evaluation (5,060 generated patients): TrainStageTest's, and CI's time
        "train.evaluation.records-per-disease=0",
        // a 400-record sample cannot meet production thresholds: the gate logic is what is tested here
        "validate.min.macro_f1=0.05", "validate.min.orphan_macro_recall=0", "validate.min.top3_accuracy=0.1",
        "validate.max.scoring_ms_per_1000=60000"));
    command.addAll(List.of(extra));
    return script(command.toArray(String[]::new));
  }

  private static JsonNode check(String trackingUri) throws Exception {
    SparkSubmitIT.Run check = script("scripts/check-mlflow.sh", "--tracking-uri", trackingUri, "--storage-root",
        "file:" + root);
    assertThat(check.exitCode()).as(check.output()).isZero();
    String line = check.output().lines().filter(l -> l.startsWith("CHECK-MLFLOW ")).findFirst().orElseThrow();
    return JSON.readTree(line.substring("CHECK-MLFLOW ".length()));
  }

  @Test
  @Order(1)
  void trainingAndTheGateAgainstRunLocalsOwnServer() throws Exception {
    SparkSubmitIT.Run first = trainAndValidate("[logistic-regression, phenotype]");
    assertThat(first.exitCode()).as(first.output()).isZero();
    // the champion the Python read-back and the daily path load below is the phenotype model (4,138 classes)
    assertThat(first.output()).containsPattern("winner +phenotype");
    ranAgainstItsOwnServer(first);
    assertThat(root.resolve("mlflow/mlflow.db")).isNotEmptyFile();
    assertThat(first.output()).contains("== TrainJob summary ==",
        "registered dxpipe-disease-classifier version 1 as challenger", "against no champion: PASSED",
        "-> alias champion moved to version 1", "(0 mismatches)");

    // the gate again with a bar the model cannot meet: exit code 3, the report names it, the alias stays
    SparkSubmitIT.Run refused = script("scripts/run-local.sh", "validate", "storage.root=file:" + root,
        "validate.min.macro_f1=0.999");
    assertThat(refused.exitCode()).as(refused.output()).isEqualTo(3);
    ranAgainstItsOwnServer(refused);
    assertThat(refused.output()).contains("version 1 (challenger=1)", ": FAILED", "FAIL min macro_f1 0.9990",
        "alias champion left where it is", "FAILED, not promoted");
  }

  /**
   * The Python read-back (as 903fd34 dropped it for the file store, now over run-local's SQLite store):
   * what a Python user with today's MLflow sees after run-local has ended. It reuses the model trained above.
   */
  @Test
  @Order(2)
  void runLocalsStoreReadsBackInJavaAndPythonAfterItEnds() throws Exception {
    SparkSubmitIT.Run server = script("scripts/mlflow-server.sh", "start");
    assertThat(server.exitCode()).as(server.output()).isZero();
    try {
      readBack();
    } finally {
      script("scripts/mlflow-server.sh", "stop"); // before the daily path opens the store with its own server
    }
  }

  private void readBack() throws Exception {
    // the Java side of the registry: the champion's files come back through the artifact proxy
    try (Tracking tracking = new RestTracking(SERVER, new org.apache.hadoop.conf.Configuration())) {
      Tracking.ModelVersion champion = tracking.version("dxpipe-disease-classifier",
          tracking.alias("dxpipe-disease-classifier", "champion").orElseThrow());
      assertThat(champion.version()).isEqualTo(1);
      Path local = tracking.download(champion, root.resolve("downloaded"));
      assertThat(Files.readString(local.resolve("MLmodel"))).contains("loader_module: mlflow.spark",
          "run_id: " + champion.runId());
      assertThat(local.resolve("sparkml/metadata/part-00000")).exists();
      assertThat(tracking.alias("dxpipe-disease-classifier", "no-such-alias")).isEmpty();
    }

    JsonNode result = check(SERVER);
    assertThat(result.get("problems")).isNotNull().isEmpty();
    assertThat(result.path("model_version").asInt()).isEqualTo(1);
    assertThat(result.path("model_source").asText()).startsWith("mlflow-artifacts:/");
    assertThat(result.path("candidate_runs").toString()).isEqualTo("[\"logistic-regression\",\"phenotype\"]");
    assertThat(result.path("cv_steps").path("logistic-regression").toString()).isEqualTo("[0,1]");
    assertThat(result.path("runs").asInt()).isEqualTo(3); // the parent and its 2 candidates
    int compared = result.path("records_compared").asInt();
    assertThat(compared).isPositive();
    assertThat(result.path("same_as_java_pyfunc").asInt()).isEqualTo(compared);
    assertThat(result.path("same_as_java_mlflow_spark").asInt()).isEqualTo(compared);
    assertThat(result.path("parent_metrics").path("test_macro_f1").asDouble()).isBetween(0.05, 1.0);
    assertThat(result.path("parent_tags").path("dxpipe.gold_version").asText()).matches("\\d+");
    assertThat(result.path("description").asText()).contains("PASSED", "-> alias champion moved to version 1",
        "FAILED"); // both gate reports, in order
    assertThat(result.path("parent_metrics").path("validation_passed").asDouble()).isZero(); // the latest verdict
    assertThat(result.path("artifacts").toString()).contains("plots", "metrics.json", "confusion-matrix.csv",
        "features", "model");
    assertThat(result.path("model_files").toString()).contains("model/MLmodel", "model/sparkml");
    assertThat(result.path("plots").toString()).contains("plots/confusion-matrix.png");
  }

  /** The summary's value of a counter line ("  written   1461"). */
  private static long counter(String output, String job, String name) {
    String summary = output.substring(output.indexOf("== " + job + " summary =="));
    return summary.lines().filter(l -> l.matches("  " + name + " +\\d+")).findFirst()
        .map(l -> Long.parseLong(l.trim().split(" +")[1])).orElseThrow(() -> new AssertionError(name + " in " + job));
  }

  @Test
  @Order(3)
  void theDailyPathScoresWithTheChampionAndTheMonitorSignalsADriftedDay() throws Exception {
    // a day where one source sends °F and half the patients are 30 years older, synthesised straight into
    // bronze and scored from there (the landing -> ingest -> clean part of the daily path is what the
    // pipeline above already ran); that a normal day stays quiet, raw-file input and re-runs are tested
    // in-process (ScoreAndMonitorTest, DriftDetectionTest)
    List<String> command = List.of("scripts/run-local.sh", "generate@daily", "score@daily", "monitor@daily",
        "storage.root=file:" + root, "generate.records=400",
        "generate.output=bronze", "score.input=bronze", "monitor.input=bronze",
        "generate.drift.fahrenheit-source=north_ehr_batch", "generate.drift.age-shift-share=0.5",
        "generate.drift.age-shift-years=30");
    SparkSubmitIT.Run run = SparkSubmitIT.run(command, Map.of("DXPIPE_DAY", "2026-02-02"), 10);
    String out = run.output();
    assertThat(run.exitCode()).as(out).isEqualTo(4);
    ranAgainstItsOwnServer(run);
    assertThat(out).contains("loaded dxpipe-disease-classifier version 1", "== ScoreJob summary ==",
        "== MonitorJob summary ==", "RETRAINING SIGNALLED").containsPattern("BREACH +data_quality +flag:unit +share")
        .containsPattern("BREACH +feature_drift +age +ks");
    long read = counter(out, "ScoreJob", "read");
    long scored = counter(out, "ScoreJob", "written");
    assertThat(read).isEqualTo(counter(out, "GenerateJob", "written")).isEqualTo(400);
    assertThat(scored + counter(out, "ScoreJob", "rejected")).isEqualTo(read);
    assertThat(counter(out, "MonitorJob", "written")).isEqualTo(scored); // what the predictions table holds
    assertThat(root.resolve("reports/monitoring/2026-02-02/drift.png")).isNotEmptyFile();
    assertThat(Files.readString(root.resolve("monitoring/daily/_signals/retrain-2026-02-02.json")))
        .contains("\"retrain\" : true", "flag:unit");
  }
}
