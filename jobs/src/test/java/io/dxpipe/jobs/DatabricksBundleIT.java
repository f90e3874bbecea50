package io.dxpipe.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the Databricks Asset Bundle ({@code databricks/}) honest without a workspace: it matches the
 * Databricks CLI's own JSON schema of databricks.yml, every JAR task's class is in the built jar and
 * its parameters pass that job's own argument and configuration check ({@code --check}) with the
 * job cluster's environment variables, the configuration each task names exists, and the tasks are
 * wired as the README says.
 */
class DatabricksBundleIT {
  private static final Path BUNDLE = SparkSubmitIT.REPO.resolve("databricks");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String DAY = "2026-11-25";
  /** Values a deployment passes with --var for the variables that have no default. */
  private static final Map<String, String> DEPLOY_VARS = Map.of(
      "storage_root", "abfss://lake@account.dfs.core.windows.net/dxpipe",
      "tenant_id", "00000000-0000-0000-0000-00000000000a",
      "sp_client_id", "00000000-0000-0000-0000-00000000000b");

  /** databricks.yml and the files its include patterns name, by path relative to the bundle. */
  private static Map<String, JsonNode> files() throws IOException {
    Map<String, JsonNode> files = new LinkedHashMap<>();
    JsonNode root = YAML.readTree(BUNDLE.resolve("databricks.yml").toFile());
    files.put("databricks.yml", root);
    for (JsonNode pattern : root.get("include")) {
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.asText());
      try (Stream<Path> all = Files.walk(BUNDLE)) {
        for (Path p : all.filter(Files::isRegularFile).sorted().toList()) {
          if (matcher.matches(BUNDLE.relativize(p))) {
            files.put(BUNDLE.relativize(p).toString(), YAML.readTree(p.toFile()));
          }
        }
      }
    }
    assertThat(files).as("included resource files").hasSizeGreaterThan(1);
    return files;
  }

  /** The bundle's configuration as the CLI merges it (top-level sections, resources by type and key). */
  private static ObjectNode merged() throws IOException {
    ObjectNode merged = YAML.createObjectNode();
    ObjectNode resources = merged.putObject("resources");
    for (JsonNode file : files().values()) {
      file.fields().forEachRemaining(e -> {
        if (e.getKey().equals("resources")) {
          e.getValue().fields().forEachRemaining(type -> {
            ObjectNode byKey = resources.has(type.getKey()) ? (ObjectNode) resources.get(type.getKey())
                : resources.putObject(type.getKey());
            type.getValue().fields().forEachRemaining(r -> {
              assertThat(byKey.has(r.getKey())).as("resource " + r.getKey() + " declared twice").isFalse();
              byKey.set(r.getKey(), r.getValue());
            });
          });
        } else {
          merged.set(e.getKey(), e.getValue());
        }
      });
    }
    return merged;
  }

  @Test
  void everyFileMatchesTheDatabricksCliSchema() throws Exception {
    JsonSchema schema = schema();
    for (Map.Entry<String, JsonNode> file : files().entrySet()) {
      Set<ValidationMessage> errors = schema.validate(file.getValue());
      assertThat(errors).as(file.getKey()).isEmpty();
    }
    // the schema is strict enough to catch a misspelt key
    ObjectNode typo = files().get("resources/daily.yml").deepCopy();
    ObjectNode task = (ObjectNode) typo.at("/resources/jobs/dxpipe_daily/tasks/0");
    task.set("spark_jar_tsk", task.remove("spark_jar_task"));
    assertThat(schema.validate(typo)).isNotEmpty();
  }

  private static JsonSchema schema() throws Exception {
    SparkSubmitIT.Run fetch = SparkSubmitIT.run(List.of("scripts/databricks-schema.sh"), Map.of(), 2);
    assertThat(fetch.exitCode()).as(fetch.output()).isZero();
    List<String> lines = fetch.output().strip().lines().toList();
    JsonNode schema = new ObjectMapper().readTree(Paths.get(lines.get(lines.size() - 1)).toFile());
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909).getSchema(schema);
  }

  @Test
  void theJobsAreWiredAsDocumented() throws Exception {
    ObjectNode bundle = merged();
    JsonNode jobs = bundle.at("/resources/jobs");
    assertThat(taskKeys(jobs.get("dxpipe_daily")))
        .containsExactly("ingest", "clean", "score", "monitor", "retrain_signal", "drifted", "retrain");
    assertThat(taskKeys(jobs.get("dxpipe_training"))).containsExactly("features", "train", "validate");
    for (JsonNode job : jobs) {
      // every task after the first depends on the one before it: one chain, in this order
      JsonNode tasks = job.get("tasks");
      for (int i = 1; i < tasks.size(); i++) {
        assertThat(tasks.get(i).at("/depends_on/0/task_key").asText()).isEqualTo(tasks.get(i - 1).get("task_key").asText());
      }
      assertThat(job.at("/schedule/quartz_cron_expression").asText()).isNotBlank();
      assertThat(job.at("/email_notifications/on_failure/0").asText()).isNotBlank();
      assertThat(job.get("permissions")).isNotEmpty();
      assertThat(job.get("max_concurrent_runs").asInt()).isEqualTo(1);
    }
    // retraining: the monitor's flag -> task value -> condition -> the training job
    JsonNode daily = jobs.get("dxpipe_daily");
    JsonNode condition = task(daily, "drifted").get("condition_task");
    assertThat(condition.get("left").asText()).isEqualTo("{{tasks.retrain_signal.values.retrain}}");
    assertThat(condition.get("right").asText()).isEqualTo("true");
    assertThat(task(daily, "retrain").at("/depends_on/0/outcome").asText()).isEqualTo("true");
    assertThat(task(daily, "retrain").at("/run_job_task/job_id").asText()).isEqualTo("${resources.jobs.dxpipe_training.id}");
    String notebook = task(daily, "retrain_signal").at("/notebook_task/notebook_path").asText();
    Path notebookFile = BUNDLE.resolve("resources").resolve(notebook).normalize();
    assertThat(notebookFile).exists();
    assertThat(Files.readString(notebookFile)).startsWith("# Databricks notebook source")
        .contains("dbutils.jobs.taskValues.set(key=\"retrain\"");
    // the cluster: Runtime 16.4 LTS, no secret in clear
    JsonNode cluster = bundle.at("/variables/cluster/default");
    assertThat(cluster.get("spark_version").asText()).isEqualTo("16.4.x-scala2.12");
    for (JsonNode section : List.of(cluster.get("spark_conf"), cluster.get("spark_env_vars"))) {
      section.fields().forEachRemaining(e -> {
        if (e.getKey().toLowerCase().contains("secret") || e.getKey().contains("KEY")) {
          assertThat(resolveVariables(e.getValue().asText(), bundle)).as(e.getKey()).matches("\\{\\{secrets/[^}]+}}");
        }
      });
    }
    for (JsonNode job : jobs) {
      assertThat(job.at("/job_clusters/0/new_cluster").asText()).isEqualTo("${var.cluster}");
    }
    assertThat(bundle.at("/resources/experiments/dxpipe/name").asText()).isNotBlank();
    assertThat(bundle.at("/resources/models/dxpipe_classifier/name").asText()).isNotBlank();
    assertThat(bundle.get("targets").fieldNames()).toIterable().containsExactly("dev", "staging", "prod");
  }

  @Test
  void everyJarTaskIsInTheJarAndItsParametersPassTheJobsCheck() throws Exception {
    ObjectNode bundle = merged();
    Map<String, String> env = clusterEnvironment(bundle);
    String builtJar = bundle.at("/artifacts/dxpipe_jobs/files/0/source").asText();
    Path jar = BUNDLE.resolve(builtJar).normalize();
    assertThat(jar).as("the artifact the bundle uploads is the jar Maven builds").isEqualTo(SparkSubmitIT.JAR.normalize());
    List<String> entries;
    try (JarFile j = new JarFile(jar.toFile())) {
      entries = j.stream().map(e -> e.getName()).toList();
    }
    int checked = 0;
    for (JsonNode job : bundle.at("/resources/jobs")) {
      for (JsonNode task : job.get("tasks")) {
        JsonNode jarTask = task.get("spark_jar_task");
        if (jarTask == null) {
          continue;
        }
        String key = task.get("task_key").asText();
        String cls = jarTask.get("main_class_name").asText();
        assertThat(entries).as(key).contains(cls.replace('.', '/') + ".class");
        assertThat(BUNDLE.resolve("resources").resolve(task.at("/libraries/0/jar").asText()).normalize())
            .as(key + " library").isEqualTo(jar);
        List<String> params = new ArrayList<>();
        jarTask.get("parameters").forEach(p -> params.add(resolve(p.asText(), bundle)));
        String conf = params.get(params.indexOf("--conf") + 1);
        assertThat(SparkSubmitIT.REPO.resolve("conf/" + conf + ".conf")).as(key + " configuration").exists();
        assertThat(entries).contains("conf/" + conf + ".conf");

        SparkSubmitIT.Run check = check(cls, params, env);
        assertThat(check.exitCode()).as(key + " " + params + "\n" + check.output()).isZero();
        assertThat(check.output()).contains("arguments and configuration OK")
            .contains("dxpipe.storage.root = \"" + DEPLOY_VARS.get("storage_root") + "\"")
            .contains("dxpipe.environment = \"databricks\"");
        checked++;
      }
    }
    assertThat(checked).isEqualTo(7);
    // the check is real: a bad value fails it with exit code 2
    List<String> bad = List.of("--conf", "databricks", "score.date=tomorrow");
    assertThat(check("io.dxpipe.jobs.ScoreJob", bad, env).exitCode()).isEqualTo(2);
  }

  /** Runs a job class from the shaded jar with --check, in a JVM with the cluster's environment variables. */
  private static SparkSubmitIT.Run check(String cls, List<String> params, Map<String, String> env) throws Exception {
    String classpath = SparkSubmitIT.JAR + java.io.File.pathSeparator
        + Files.readString(Paths.get(System.getProperty("dxpipe.provided.classpath"))).trim();
    List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, cls));
    command.addAll(params);
    command.add("--check");
    return SparkSubmitIT.run(command, env, 2);
  }

  /** The job cluster's spark_env_vars as the cluster sees them (secrets stand in as dummy values). */
  private static Map<String, String> clusterEnvironment(ObjectNode bundle) {
    Map<String, String> env = new HashMap<>();
    bundle.at("/variables/cluster/default/spark_env_vars").fields()
        .forEachRemaining(e -> env.put(e.getKey(), resolve(e.getValue().asText(), bundle)));
    assertThat(env).containsKeys("DXPIPE_STORAGE_ROOT", "DXPIPE_PATIENT_KEY");
    return env;
  }

  private static final Pattern BUNDLE_REFERENCE = Pattern.compile("\\$\\{([^}]+)}");
  private static final Pattern RUN_REFERENCE = Pattern.compile("\\{\\{(secrets/[^}]+|job\\.parameters\\.day)}}");

  /** Resolves ${var.x}, ${resources.t.k.name}, then {{job.parameters.day}} and {{secrets/...}}, as a deployment and a run would. */
  private static String resolve(String value, ObjectNode bundle) {
    return RUN_REFERENCE.matcher(resolveVariables(value, bundle)).replaceAll(m -> Matcher.quoteReplacement(
        m.group(1).equals("job.parameters.day") ? DAY : "secret-value-of-" + m.group(1) + "-at-least-32-bytes"));
  }

  /** The bundle's own ${...} references, resolved as `bundle deploy` does. */
  private static String resolveVariables(String value, ObjectNode bundle) {
    return BUNDLE_REFERENCE.matcher(value).replaceAll(m -> {
      String replacement;
      if (m.group(1).startsWith("var.")) {
        String name = m.group(1).substring(4);
        JsonNode def = bundle.at("/variables/" + name + "/default");
        replacement = def.isMissingNode() ? DEPLOY_VARS.get(name) : resolveVariables(def.asText(), bundle);
        assertThat(replacement).as("variable " + name).isNotNull();
      } else {
        JsonNode node = bundle.at("/" + m.group(1).replace('.', '/'));
        assertThat(node.isMissingNode()).as(m.group(1)).isFalse();
        replacement = node.asText();
      }
      return Matcher.quoteReplacement(replacement);
    });
  }

  private static List<String> taskKeys(JsonNode job) {
    List<String> keys = new ArrayList<>();
    job.get("tasks").forEach(t -> keys.add(t.get("task_key").asText()));
    return keys;
  }

  private static JsonNode task(JsonNode job, String key) {
    for (JsonNode t : job.get("tasks")) {
      if (t.get("task_key").asText().equals(key)) {
        return t;
      }
    }
    throw new AssertionError("no task " + key);
  }
}
