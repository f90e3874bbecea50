package io.dxpipe.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded job jar as users get it: no Spark, Delta or Hadoop inside, and it runs under
 * {@code spark-submit} (Spark's SparkSubmit from the Maven-resolved jars, in a separate JVM).
 */
class SparkSubmitIT {
  static final Path JAR = Paths.get(System.getProperty("dxpipe.jobs.jar"));
  static final Path REPO = Paths.get(System.getProperty("test.repo.root"));

  /** What a process printed and how it ended. */
  record Run(int exitCode, String output) {}

  static Run sparkSubmit(Map<String, String> env, String... args) throws IOException, InterruptedException {
    Path classpathFile = Paths.get(System.getProperty("dxpipe.provided.classpath"));
    String classpath = Files.readString(classpathFile).trim() + java.io.File.pathSeparator
        + classpathFile.resolveSibling("distribution-jars").resolve("*");
    List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g"));
    command.addAll(Arrays.asList(extraJavaArgs()));
    command.addAll(List.of("-cp", classpath, "org.apache.spark.deploy.SparkSubmit"));
    command.addAll(Arrays.asList(args));
    return run(command, env, 5);
  }

  /** Runs a command in the repository root, output and errors together, within a time limit. */
  static Run run(List<String> command, Map<String, String> env, int minutes) throws IOException,
      InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(REPO.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(minutes, TimeUnit.MINUTES)).as(command.get(0) + " finished in " + minutes + " minutes")
        .isTrue();
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** The --add-opens flags from pom.xml's extraJavaTestArgs, which this JVM was started with. */
  private static String[] extraJavaArgs() {
    return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions"))
        .toArray(String[]::new);
  }

  @Test
  void jobJarHoldsOurCodeButNoSparkDeltaOrHadoop() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> entries = jar.stream().map(e -> e.getName()).toList();
      assertThat(entries).contains("io/dxpipe/jobs/GenerateJob.class", "io/dxpipe/generate/LandingGenerator.class",
          "catalogue/disease-catalogue.json", "conf/local.conf", "conf/vocabulary/symptoms.csv", "conf/databricks.conf", "conf/hdinsight.conf",
          "reference.conf");
      assertThat(entries).filteredOn(e -> e.endsWith(".class"))
          .noneMatch(e -> e.startsWith("org/apache/spark/") || e.startsWith("io/delta/")
              || e.startsWith("org/apache/hadoop/") || e.startsWith("scala/"));
      // Typesafe Config is shaded so the cluster's own copy cannot clash with ours
      assertThat(entries).contains("io/dxpipe/shaded/typesafe/config/Config.class")
          .noneMatch(e -> e.startsWith("com/typesafe/config/"));
    }
  }

  @Test
  void generateJobRunsUnderSparkSubmit(@TempDir Path root) throws Exception {
    Run run = sparkSubmit(Map.of(),
        "--master", "local[2]", "--conf", "spark.ui.enabled=false",
        "--class", "io.dxpipe.jobs.GenerateJob", JAR.toString(),
        "--conf", REPO.resolve("conf/local.conf").toString(),
        "storage.root=file:" + root, "generate.records=300", "generate.date=2026-11-25");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("== GenerateJob summary ==").containsPattern("patients\\s+300")
        .contains("dxpipe.generate.records = 300");
    Path manifest = root.resolve("_manifests/generate-historical-2026-11-25-seed42.json");
    JsonNode m = new ObjectMapper().readTree(manifest.toFile());
    assertThat(m.get("patients").asInt()).isEqualTo(300);
    try (Stream<Path> files = Files.walk(root.resolve("landing"))) {
      assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(m.get("files").asLong());
    }
  }

  /** Same settings on one core and on two: the same files, byte for byte. */
  @Test
  void outputDoesNotDependOnTheNumberOfCores(@TempDir Path one, @TempDir Path two) throws Exception {
    for (var run : List.of(Map.entry("local[1]", one), Map.entry("local[2]", two))) {
      Run r = sparkSubmit(Map.of(), "--master", run.getKey(), "--class", "io.dxpipe.jobs.GenerateJob", JAR.toString(),
          "--conf", "local", "storage.root=file:" + run.getValue(), "generate.records=400",
          "generate.records-per-partition=90", "generate.records-per-file=40");
      assertThat(r.exitCode()).as(r.output()).isZero();
    }
    Map<String, String> first = io.dxpipe.testing.FileDigests.of(one.resolve("landing"));
    assertThat(first).hasSizeGreaterThan(100);
    assertThat(io.dxpipe.testing.FileDigests.of(two.resolve("landing"))).isEqualTo(first);
  }


  @Test
  void environmentVariablesOverrideTheConfFile(@TempDir Path root) throws Exception {
    Run run = sparkSubmit(Map.of("DXPIPE_STORAGE_ROOT", "file:" + root, "CONFIG_FORCE_dxpipe_generate_records", "42"),
        "--master", "local[1]", "--class", "io.dxpipe.jobs.GenerateJob", JAR.toString(), "--conf", "local");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).containsPattern("patients\\s+42");
    assertThat(root.resolve("landing")).isDirectory();
  }

  @Test
  void badConfigurationExitsWithTwoAndNamesTheKey() throws Exception {
    Run run = sparkSubmit(Map.of(), "--master", "local[1]", "--class", "io.dxpipe.jobs.GenerateJob", JAR.toString(),
        "--conf", "local", "generate.records=0");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.output()).contains("dxpipe.generate.records must be between 1");
  }
}
