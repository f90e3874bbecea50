package io.dxpipe.mlflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The artifact files of MLflow runs: upload, list, and where a run's artifacts live. */
public interface Artifacts {

  /** Where the artifacts go, for messages ("MLflow at http://127.0.0.1:5000"). */
  String describe();

  /** Writes one artifact file at {@code path} (relative, '/'-separated) under the run's artifacts. */
  void logArtifact(String runId, String path, byte[] content);

  /** Uploads every file under a local directory to {@code path}/... (Hadoop .crc files skipped). */
  default void logArtifacts(String runId, String path, Path localDir) {
    try (Stream<Path> files = Files.walk(localDir)) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".crc"))
          .sorted().toList()) {
        String relative = localDir.relativize(f).toString().replace('\\', '/');
        logArtifact(runId, path + "/" + relative, Files.readAllBytes(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot upload " + localDir + " as artifact " + path, e);
    }
  }

  /** The run's artifact root URI (mlflow-artifacts:, dbfs:, a storage path). */
  String artifactUri(String runId);

  /** The artifact files under a path of a run, relative to it (for tests and downloads). */
  List<String> listArtifacts(String runId, String path);
}
