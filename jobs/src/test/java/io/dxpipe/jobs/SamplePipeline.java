package io.dxpipe.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The pipeline up to gold (generate, ingest, clean, features; 400 records), run once per test JVM
 * and shared by the integration tests that read it or only add to it (new tables, model runs, other
 * delivery dates). It runs where users run it: {@code scripts/submit.sh} (spark-submit) against a
 * real standalone cluster on this machine ({@code scripts/spark-cluster.sh}: a Master and two
 * Workers, each its own JVM): generate in cluster deploy mode (the driver runs on a Worker), ingest,
 * clean and features in client mode, each with two executors in the Workers' JVMs (features fits
 * its ML stages there). {@link ClusterIT} checks
 * what the cluster did and stops it; the folder is removed (and the cluster stopped, if still up)
 * when the JVM exits.
 */
final class SamplePipeline {
  static final String MASTER = "spark://127.0.0.1:" + System.getenv().getOrDefault("DXPIPE_CLUSTER_PORT", "7077");
  static final int RECORDS = 400;
  private static Path root;
  private static final Map<String, SparkSubmitIT.Run> RUNS = new LinkedHashMap<>();

  private SamplePipeline() {}

  static synchronized Path root() throws IOException, InterruptedException {
    if (root == null) {
      Path dir = Files.createTempDirectory("dxpipe-it-sample-");
      startCluster();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        stopCluster();
        delete(dir);
      }));
      run("generate", "cluster", dir, "generate.records=" + RECORDS);
      run("ingest", "client", dir);
      run("clean", "client", dir);
      // features fits the feature pipeline (imputer, indexers, scaler, PCA) with the executors' tasks
      run("features", "client", dir);
      root = dir;
    }
    return root;
  }

  /** What each stage's spark-submit printed, by stage. */
  static synchronized Map<String, SparkSubmitIT.Run> runs() throws IOException, InterruptedException {
    root();
    return RUNS;
  }

  /** Submits a job to the cluster with scripts/submit.sh; two one-core executors of 1 GiB. */
  static SparkSubmitIT.Run submit(String job, String deployMode, Path storageRoot, String... overrides)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("scripts/submit.sh", "--master", MASTER, "--deploy-mode", deployMode,
        "--conf", "spark.cores.max=2", "--conf", "spark.executor.cores=1", "--conf", "spark.executor.memory=1g",
        "--driver-memory", "1g",
        // short jobs in fresh JVMs on 2 cores: the C1 compiler alone starts faster (a clean job: 98 s -> 65 s)
        "--driver-java-options", "-XX:TieredStopAtLevel=1", "--conf", "spark.executor.extraJavaOptions=-XX:TieredStopAtLevel=1",
        job, "--conf", "conf/local.conf", "storage.root=file:" + storageRoot));
    command.addAll(List.of(overrides));
    return SparkSubmitIT.run(command, Map.of(), 10);
  }

  private static void run(String job, String deployMode, Path dir, String... overrides)
      throws IOException, InterruptedException {
    SparkSubmitIT.Run run = submit(job, deployMode, dir, overrides);
    assertThat(run.exitCode()).as(job + " on the cluster:\n" + run.output()).isZero();
    RUNS.put(job, run);
  }

  static void startCluster() throws IOException, InterruptedException {
    SparkSubmitIT.Run start = SparkSubmitIT.run(List.of("scripts/spark-cluster.sh", "start"), Map.of(), 3);
    assertThat(start.exitCode()).as(start.output()).isZero();
  }

  static void stopCluster() {
    try {
      SparkSubmitIT.run(List.of("scripts/spark-cluster.sh", "stop"), Map.of(), 1);
    } catch (Exception | AssertionError e) {
      System.err.println("could not stop the Spark cluster: " + e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not remove " + dir + ": " + e);
    }
  }
}
