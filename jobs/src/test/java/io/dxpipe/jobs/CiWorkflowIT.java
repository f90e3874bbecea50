package io.dxpipe.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GitHub Actions workflow users get: valid for actionlint, and testing with what .ci/run runs. */
class CiWorkflowIT {
  private static final Path WORKFLOW = SparkSubmitIT.REPO.resolve(".github/workflows/ci.yml");

  @Test
  void theWorkflowPassesActionlint(@TempDir Path dir) throws Exception {
    SparkSubmitIT.Run lint = SparkSubmitIT.run(List.of("scripts/lint-workflows.sh"), Map.of(), 5);
    assertThat(lint.exitCode()).as(lint.output()).isZero();
    assertThat(lint.output()).contains("workflows OK");
    // actionlint does catch mistakes: a job without runs-on
    Path broken = dir.resolve("broken.yml");
    Files.writeString(broken, Files.readString(WORKFLOW).replace("runs-on: ubuntu-latest\n    timeout-minutes: 20", "timeout-minutes: 20"));
    SparkSubmitIT.Run bad = SparkSubmitIT.run(List.of("scripts/lint-workflows.sh", broken.toString()), Map.of(), 5);
    assertThat(bad.exitCode()).as(bad.output()).isNotZero();
    assertThat(bad.output()).contains("runs-on");
  }

  @Test
  void theTestJobRunsWhatCiRunsAndTheDeployUsesTheBundle() throws Exception {
    JsonNode workflow = new ObjectMapper(new YAMLFactory()).readTree(WORKFLOW.toFile());
    List<String> testRuns = runs(workflow.at("/jobs/test/steps"));
    assertThat(testRuns).contains("bash .ci/run");
    assertThat(Files.readString(SparkSubmitIT.REPO.resolve(".ci/run"))).contains("exec scripts/test.sh");
    assertThat(runs(workflow.at("/jobs/package/steps"))).contains("mvn -B -DskipTests package",
        "mvn -B -Phdinsight -DskipTests package");
    JsonNode deploy = workflow.at("/jobs/deploy-databricks");
    assertThat(deploy.get("if").asText()).contains("refs/tags/v");
    assertThat(String.join("\n", runs(deploy.get("steps")))).contains("databricks bundle deploy -t prod");
    assertThat(deploy.at("/steps").findValues("working-directory")).extracting(JsonNode::asText).contains("databricks");
  }

  private static List<String> runs(JsonNode steps) {
    List<String> runs = new ArrayList<>();
    steps.forEach(s -> {
      if (s.has("run")) {
        runs.add(s.get("run").asText().strip());
      }
    });
    return runs;
  }
}
