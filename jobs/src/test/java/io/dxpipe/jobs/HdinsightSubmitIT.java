package io.dxpipe.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Livy batches scripts/submit-hdinsight.sh would post (its --dry-run prints the request
 * bodies): Livy's batch fields, the job classes, the JDK 17 archive and JAVA_HOME for Java 8 nodes.
 * No HDInsight or Livy here: what a real cluster does with them is untested (README, HDInsight).
 */
class HdinsightSubmitIT {
  private static final String STORAGE = "abfss://dxpipe@account.dfs.core.windows.net";

  @Test
  void eachStageBecomesOneLivyBatchWithTheJdkAndTheJobsArguments() throws Exception {
    SparkSubmitIT.Run run = SparkSubmitIT.run(List.of("scripts/submit-hdinsight.sh", "--dry-run",
        "--jar", STORAGE + "/jars/dxpipe.jar",
        "--jdk", STORAGE + "/jdk/OpenJDK17U-jdk_x64_linux_hotspot_17.0.13_11.tar.gz",
        "--spark", "spark.executor.instances=4", "--executor-memory", "8g", "--num-executors", "4",
        "score", "monitor", "--", "storage.root=" + STORAGE + "/lake", "score.date=2026-11-25"), Map.of(), 1);
    assertThat(run.exitCode()).as(run.output()).isZero();
    List<JsonNode> batches = run.output().lines().filter(l -> l.startsWith("{")).map(HdinsightSubmitIT::json).toList();
    assertThat(batches).hasSize(2);
    assertThat(batches).extracting(b -> b.get("className").asText())
        .containsExactly("io.dxpipe.jobs.ScoreJob", "io.dxpipe.jobs.MonitorJob");
    for (JsonNode b : batches) {
      assertThat(b.get("file").asText()).isEqualTo(STORAGE + "/jars/dxpipe.jar");
      assertThat(b.get("args")).extracting(JsonNode::asText).containsExactly("--conf", "hdinsight",
          "storage.root=" + STORAGE + "/lake", "score.date=2026-11-25");
      assertThat(b.at("/archives/0").asText()).endsWith("OpenJDK17U-jdk_x64_linux_hotspot_17.0.13_11.tar.gz#jdk");
      assertThat(b.at("/conf/spark.yarn.appMasterEnv.JAVA_HOME").asText()).isEqualTo("./jdk/jdk-17.0.13+11");
      assertThat(b.at("/conf/spark.executorEnv.JAVA_HOME").asText()).isEqualTo("./jdk/jdk-17.0.13+11");
      assertThat(b.at("/conf/spark.executor.instances").asText()).isEqualTo("4");
      assertThat(b.get("executorMemory").asText()).isEqualTo("8g");
      assertThat(b.get("numExecutors").asInt()).isEqualTo(4);
    }
  }

  @Test
  void aConfigurationFileOnStorageIsShippedAndNamedByItsFileName() throws Exception {
    SparkSubmitIT.Run run = SparkSubmitIT.run(List.of("scripts/submit-hdinsight.sh", "--dry-run",
        "--jar", STORAGE + "/jars/dxpipe.jar", "--jdk", STORAGE + "/jdk/jdk17.tar.gz", "--jdk-dir", "jdk-17",
        "train", "--", "--conf", STORAGE + "/conf/prod.conf"), Map.of(), 1);
    assertThat(run.exitCode()).as(run.output()).isZero();
    JsonNode b = json(run.output().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
    assertThat(b.get("files")).extracting(JsonNode::asText).containsExactly(STORAGE + "/conf/prod.conf");
    assertThat(b.get("args")).extracting(JsonNode::asText).containsExactly("--conf", "prod.conf");
    assertThat(b.at("/conf/spark.executorEnv.JAVA_HOME").asText()).isEqualTo("./jdk/jdk-17");
  }

  @Test
  void mistakesAreRefusedBeforeAnythingIsSent() throws Exception {
    SparkSubmitIT.Run unknown = SparkSubmitIT.run(List.of("scripts/submit-hdinsight.sh", "--dry-run", "--jar", "x.jar",
        "scoring"), Map.of(), 1);
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.output()).contains("unknown stage 'scoring'");
    SparkSubmitIT.Run noJdkDir = SparkSubmitIT.run(List.of("scripts/submit-hdinsight.sh", "--dry-run", "--jar", "x.jar",
        "--jdk", STORAGE + "/jdk/my-jdk.tgz", "ingest"), Map.of(), 1);
    assertThat(noJdkDir.exitCode()).isEqualTo(2);
    assertThat(noJdkDir.output()).contains("--jdk-dir is needed");
    SparkSubmitIT.Run noPassword = SparkSubmitIT.run(List.of("scripts/submit-hdinsight.sh", "--cluster", "c",
        "--jar", "x.jar", "ingest"), Map.of("HDI_PASSWORD", ""), 1);
    assertThat(noPassword.exitCode()).isEqualTo(2);
    assertThat(noPassword.output()).contains("HDI_PASSWORD");
  }

  private static JsonNode json(String line) {
    try {
      return new ObjectMapper().readTree(line);
    } catch (java.io.IOException e) {
      throw new AssertionError(line, e);
    }
  }
}
