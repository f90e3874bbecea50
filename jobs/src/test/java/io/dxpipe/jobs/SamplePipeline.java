package io.dxpipe.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The local pipeline up to gold ({@code scripts/run-local.sh generate ingest clean features}, 400
 * records) run once per test JVM and shared by the integration tests that read it or only add to it
 * (new tables, model runs, other delivery dates): each used to run its own copy, about 100 s each.
 * The folder is removed when the JVM exits.
 */
final class SamplePipeline {
  private static Path root;

  private SamplePipeline() {}

  static synchronized Path root() throws IOException, InterruptedException {
    if (root == null) {
      Path dir = Files.createTempDirectory("dxpipe-it-sample-");
      SparkSubmitIT.Run pipeline = SparkSubmitIT.run(List.of("scripts/run-local.sh", "generate", "ingest", "clean",
          "features", "storage.root=file:" + dir, "generate.records=400"), Map.of(), 10);
      assertThat(pipeline.exitCode()).as(pipeline.output()).isZero();
      assertThat(pipeline.output()).contains("== CleanJob summary ==", "== FeaturesJob summary ==");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
      root = dir;
    }
    return root;
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not remove " + dir + ": " + e);
    }
  }
}
