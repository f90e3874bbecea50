package io.dxpipe.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The jobs on a real multi-process cluster: {@link SamplePipeline} submits generate (cluster deploy
 * mode), ingest, clean and features (client mode: features fits the ML pipeline on the executors) with {@code scripts/submit.sh} to a standalone
 * Master with two Workers. This checks what the cluster saw and what the jobs wrote; it catches
 * what local mode hides (classes, serialisation and configuration that only executors see).
 */
class ClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CLUSTER = SparkSubmitIT.REPO.resolve(".tools/spark-cluster");

  /** The other tests only read what the cluster wrote: its JVMs need not outlive this class. */
  @AfterAll
  static void stopTheCluster() {
    SamplePipeline.stopCluster();
  }

  @Test
  void theSamplePipelineRanOnTheClusterWithExecutorsInBothWorkers() throws Exception {
    Map<String, SparkSubmitIT.Run> runs = SamplePipeline.runs();
    JsonNode master = JSON.readTree(URI.create("http://127.0.0.1:"
        + System.getenv().getOrDefault("DXPIPE_CLUSTER_UI_PORT", "8080") + "/json/").toURL());
    assertThat(master.get("aliveworkers").asInt()).isEqualTo(2);

    List<String> finished = new ArrayList<>();
    master.get("completedapps").forEach(a -> {
      if (a.get("state").asText().equals("FINISHED")) {
        finished.add(a.get("name").asText());
      }
    });
    assertThat(finished).contains("dxpipe-GenerateJob", "dxpipe-IngestJob", "dxpipe-CleanJob", "dxpipe-FeaturesJob");

    // generate ran in cluster deploy mode: its driver ran on a Worker, and its output is there
    Matcher driver = Pattern.compile("\\[submit\\] driver (driver-\\S+) FINISHED").matcher(runs.get("generate").output());
    assertThat(driver.find()).as(runs.get("generate").output()).isTrue();
    Path driverOut = find(driver.group(1)).resolve("stdout");
    assertThat(Files.readString(driverOut)).contains("== GenerateJob summary ==")
        .containsPattern("patients\\s+" + SamplePipeline.RECORDS);

    // every client-mode job had executors in both Workers' JVMs (each Worker has its own work folder)
    // (features fits its ML stages there: the fitting's aggregations ran as executor tasks)
    for (String app : List.of("IngestJob", "CleanJob", "FeaturesJob")) {
      String id = appId(master, "dxpipe-" + app);
      for (int worker = 1; worker <= 2; worker++) {
        Path appDir = CLUSTER.resolve("work-" + worker).resolve(id);
        assertThat(appDir).as(app + " executors on worker " + worker).isDirectory();
        try (Stream<Path> executors = Files.list(appDir)) {
          assertThat(executors.filter(p -> Files.isRegularFile(p.resolve("stderr"))).count()).isPositive();
        }
      }
    }
  }

  @Test
  void theDeltaTablesHoldWhatTheJobsReported() throws Exception {
    Path root = SamplePipeline.root();
    Map<String, SparkSubmitIT.Run> runs = SamplePipeline.runs();
    long ingested = figure(runs.get("ingest"), "written");
    long ingestRejected = figure(runs.get("ingest"), "rejected");
    long cleaned = figure(runs.get("clean"), "written");
    long duplicates = figure(runs.get("clean"), "rejected");
    long features = figure(runs.get("features"), "written");

    assertThat(figure(runs.get("ingest"), "read")).isEqualTo(ingested + ingestRejected).isGreaterThanOrEqualTo(
        SamplePipeline.RECORDS);
    assertThat(committedRows(root.resolve("bronze/records"))).isEqualTo(ingested);
    assertThat(committedRows(root.resolve("quarantine/records"))).isEqualTo(ingestRejected);
    assertThat(figure(runs.get("clean"), "read")).isEqualTo(ingested).isEqualTo(cleaned + duplicates);
    assertThat(committedRows(root.resolve("silver/records"))).isEqualTo(cleaned);
    assertThat(committedRows(root.resolve("gold/features"))).isEqualTo(features).isPositive();
  }

  @Test
  void aDriverThatFailsOnAWorkerFailsTheSubmission() throws Exception {
    SamplePipeline.root(); // the cluster is up
    SparkSubmitIT.Run run = SamplePipeline.submit("generate", "cluster", SamplePipeline.root().resolve("unused"),
        "generate.records=0");
    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    Matcher driver = Pattern.compile("\\[submit\\] driver (driver-\\S+) FAILED").matcher(run.output());
    assertThat(driver.find()).as(run.output()).isTrue();
    assertThat(Files.readString(find(driver.group(1)).resolve("stdout")))
        .contains("dxpipe.generate.records must be between 1");
  }

  @Test
  void clientModeReturnsTheJobsExitCode() throws Exception {
    SamplePipeline.root();
    SparkSubmitIT.Run run = SamplePipeline.submit("score", "client", SamplePipeline.root(), "score.input=gold");
    assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
    assertThat(run.output()).contains("dxpipe.score.input");
  }

  /** A driver's or application's folder, in whichever Worker ran it. */
  private static Path find(String id) {
    return Stream.of(CLUSTER.resolve("work-1").resolve(id), CLUSTER.resolve("work-2").resolve(id))
        .filter(Files::isDirectory).findFirst()
        .orElseThrow(() -> new AssertionError(id + " is in no Worker's work folder under " + CLUSTER));
  }

  private static String appId(JsonNode master, String name) {
    for (JsonNode a : master.get("completedapps")) {
      if (a.get("name").asText().equals(name)) {
        return a.get("id").asText();
      }
    }
    throw new AssertionError("the Master has no completed application " + name + ": " + master);
  }

  /** A figure of a job summary's line, e.g. "  written   294". */
  private static long figure(SparkSubmitIT.Run run, String label) {
    Matcher m = Pattern.compile("(?m)^  " + label + "\\s+([0-9,]+)").matcher(run.output());
    assertThat(m.find()).as(label + " in\n" + run.output()).isTrue();
    return Long.parseLong(m.group(1).replace(",", ""));
  }

  /** Rows the table's commits wrote, from the Delta log's operation metrics (every commit appends or replaces). */
  private static long committedRows(Path table) throws IOException {
    long rows = 0;
    try (Stream<Path> commits = Files.list(table.resolve("_delta_log"))) {
      for (Path commit : commits.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        for (String line : Files.readAllLines(commit)) {
          JsonNode info = JSON.readTree(line).get("commitInfo");
          if (info != null && info.path("operationMetrics").has("numOutputRows")) {
            rows += info.get("operationMetrics").get("numOutputRows").asLong();
          }
        }
      }
    }
    return rows;
  }
}
