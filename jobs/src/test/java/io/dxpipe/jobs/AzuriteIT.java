package io.dxpipe.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.storage.CloudStorageAccount;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generator and the ingest job against Azure Blob storage: the Azurite emulator (started by
 * scripts/azurite.sh) through hadoop-azure's wasb:// driver, landing files and Delta tables all
 * there. (Azurite has no ADLS Gen2 endpoint, so abfss:// itself cannot be emulated.)
 */
class AzuriteIT {
  private static final Path REPO = Paths.get(System.getProperty("test.repo.root"));
  private static final String CONTAINER = "dxpipe-it";
  private static final String EMULATOR = "spark.hadoop.fs.azure.storage.emulator.account.name=devstoreaccount1";

  @BeforeAll
  static void startAzurite() throws Exception {
    Process p = new ProcessBuilder("bash", REPO.resolve("scripts/azurite.sh").toString(), "start")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    CloudStorageAccount.getDevelopmentStorageAccount().createCloudBlobClient()
        .getContainerReference(CONTAINER).createIfNotExists();
  }

  @Test
  void generateAndIngestRunOnBlobStorage() throws Exception {
    String root = "wasb://" + CONTAINER + "@devstoreaccount1/run-" + UUID.randomUUID();
    SparkSubmitIT.Run generate = SparkSubmitIT.sparkSubmit(Map.of(), "--master", "local[2]", "--conf", EMULATOR,
        "--class", "io.dxpipe.jobs.GenerateJob", SparkSubmitIT.JAR.toString(), "--conf", "local",
        "storage.root=" + root, "generate.records=150", "generate.date=2026-11-25");
    assertThat(generate.exitCode()).as(generate.output()).isZero();
    assertThat(generate.output()).containsPattern("patients\\s+150");

    SparkSubmitIT.Run ingest = SparkSubmitIT.sparkSubmit(Map.of(), "--master", "local[2]", "--conf", EMULATOR,
        "--class", "io.dxpipe.jobs.IngestJob", SparkSubmitIT.JAR.toString(), "--conf", "local", "storage.root=" + root);
    assertThat(ingest.exitCode()).as(ingest.output()).isZero();
    assertThat(ingest.output()).contains("== IngestJob summary ==").containsPattern("written\\s+1[0-9]{2}\\b");

    Configuration conf = new Configuration();
    conf.set("fs.azure.storage.emulator.account.name", "devstoreaccount1");
    FileSystem fs = FileSystem.get(URI.create(root), conf);
    assertThat(fs.exists(new org.apache.hadoop.fs.Path(root + "/bronze/records/_delta_log/00000000000000000000.json"))).isTrue();
    assertThat(fs.exists(new org.apache.hadoop.fs.Path(root + "/quarantine/records/_delta_log/00000000000000000000.json")))
        .isTrue();

    SparkSubmitIT.Run again = SparkSubmitIT.sparkSubmit(Map.of(), "--master", "local[2]", "--conf", EMULATOR,
        "--class", "io.dxpipe.jobs.IngestJob", SparkSubmitIT.JAR.toString(), "--conf", "local", "storage.root=" + root);
    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(again.output()).containsPattern("written\\s+0\\b").contains("no new files");
  }
}
