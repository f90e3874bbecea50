package io.dxpipe.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported EDA notebook runs end to end against tables the pipeline wrote: the local pipeline
 * ({@code scripts/run-local.sh generate ingest clean features}, shared: {@link SamplePipeline}), then the notebook
 * with PySpark + delta-spark ({@code scripts/run-notebook.sh}), so the notebook cannot rot; and the
 * pipeline-check notebook, which loads the Java-fitted feature pipeline in PySpark.
 */
class NotebookIT {
  private static SparkSubmitIT.Run script(String... command) throws IOException, InterruptedException {
    return SparkSubmitIT.run(List.of(command), Map.of(), 10);
  }

  @Test
  void theEdaNotebookRunsOnTheTablesThePipelineWrote(@TempDir Path out) throws Exception {
    Path root = SamplePipeline.root();
    Path figures = out.resolve("figures");
    SparkSubmitIT.Run notebook = script("scripts/run-notebook.sh", "notebooks-export/eda.py",
        "storage_root=file:" + root, "--output", figures.toString());
    assertThat(notebook.exitCode()).as(notebook.output()).isZero();
    assertThat(notebook.output()).contains("[notebook] all 16 cells ran; 7 figures",
        "failed error-severity checks in the latest results: 0");
    try (Stream<Path> files = Files.list(figures)) {
      List<Path> pngs = files.filter(f -> f.toString().endsWith(".png")).sorted().toList();
      assertThat(pngs).hasSize(7);
      for (Path png : pngs) {
        assertThat(Files.size(png)).as(png.toString()).isGreaterThan(10_000);
      }
      assertThat(pngs.get(0).getFileName().toString()).isEqualTo("01-records-per-disease-red-orphan.png");
    }

    // the Java-fitted feature pipeline loads in PySpark and reproduces gold's vectors
    SparkSubmitIT.Run parity = script("scripts/run-notebook.sh", "notebooks-export/feature_pipeline_check.py",
        "storage_root=file:" + root, "--output", out.resolve("parity").toString());
    assertThat(parity.exitCode()).as(parity.output()).isZero();
    assertThat(parity.output()).containsPattern("(\\d+) of \\1 gold records recomputed in Python; largest difference 0.0");
  }

  @Test
  void aFailingCellStopsTheRunAndIsNamed(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.py");
    Files.writeString(broken, String.join("\n", "# Databricks notebook source", "x = 1", "",
        "# COMMAND ----------", "", "assert x == 2, 'x is not 2'", "", "# COMMAND ----------", "", "print('never')"));
    List<String> command = new ArrayList<>(List.of("scripts/run-notebook.sh", broken.toString(), "--output",
        dir.resolve("out").toString()));
    SparkSubmitIT.Run run = script(command.toArray(String[]::new));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.output()).contains("AssertionError: x is not 2", "FAILED in cell 2 of " + broken)
        .doesNotContain("never");
  }
}
