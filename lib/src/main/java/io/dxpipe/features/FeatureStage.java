package io.dxpipe.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dxpipe.catalogue.Disease;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.config.Settings;
import io.dxpipe.config.StorageSettings;
import io.dxpipe.io.CommitMetadata;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.io.StorageFiles;
import io.dxpipe.quality.EvaluationContext;
import io.dxpipe.quality.QualityReport;
import io.dxpipe.quality.QualityResultsTable;
import io.dxpipe.quality.QualitySettings;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import io.dxpipe.schema.Schemas;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The features job's work: labelled silver records to the gold feature table, the fitted feature
 * pipeline (saved under {@code models/feature-pipeline/<run id>}, linked from every gold row and the
 * gold commit), the PCA report and plot, and the aggregate tables. Gold is replaced as a whole on each
 * run; Delta time travel keeps the earlier versions, and training records the version it read.
 */
public final class FeatureStage {
  public static final String JOB = "FeaturesJob";
  public static final String PIPELINE_DIR = "feature-pipeline";
  /** Key of gold's commit metadata holding the silver version gold was built from: training's lineage. */
  public static final String LINEAGE_SILVER_VERSION = "silver_version";

  /**
   * What the run read and wrote. silver = gold + unlabelled + not trained (a diagnosis outside the
   * label set: unmapped, outside the catalogue, or of a class with too few records; see {@code labels}).
   */
  public record Totals(String runId, String input, long silver, long gold, long unlabelled, long notTrained,
      LabelSet labels, Map<String, String> inputsDropped,
      Map<String, Long> perSplit, List<String> smallClasses, FeaturePipeline.PcaSelection pca, String pipelinePath,
      long goldVersion, String reportDir, QualityReport quality) {}

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Everything the stage reads from the configuration, read once by {@link #parse}: that is the
   * validation (it runs before Spark starts), and the stage reads nothing else.
   */
  public record Options(StorageSettings storage, FeatureSettings features, QualitySettings quality,
      io.dxpipe.catalogue.LabelSettings labels) {

    /** Reads every setting the stage needs, failing on the first bad one. */
    public static Options parse(Settings settings) {
      return new Options(settings.storage(), FeatureSettings.from(settings.config().dxpipe()),
          QualitySettings.from(settings.config().dxpipe()), io.dxpipe.catalogue.LabelSettings.from(
              settings.config().dxpipe()));
    }
  }

  private final SparkSession spark;
  private final Options settings;
  private final FeatureSettings features;
  private final PrintStream out;

  public FeatureStage(SparkSession spark, Options settings, PrintStream out) {
    this.spark = spark;
    this.settings = settings;
    this.features = settings.features();
    this.out = out;
  }

  /** A run id that sorts by time: yyyyMMdd-HHmmss (UTC) plus 6 random hex digits. */
  public static String newRunId() {
    return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
        + UUID.randomUUID().toString().substring(0, 6);
  }

  public Totals run() {
    StorageSettings storage = settings.storage();
    DiseaseCatalogue catalogue = DiseaseCatalogue.fromClasspath();
    QualitySettings quality = settings.quality();
    String runId = newRunId();

    io.dxpipe.job.StepTimer step = new io.dxpipe.job.StepTimer(out);
    long silverVersion = DeltaTables.version(spark, storage.silver(), "the clean job");
    Dataset<Row> silver = io.dxpipe.schema.DeclaredInputs.withColumn(DeltaTables.read(spark, storage.silver(), silverVersion));
    String input = "silver@v" + silverVersion;
    List<String> orphan = catalogue.diseases().stream().filter(Disease::isOrphan).map(Disease::code).toList();
    Column code = col(Bronze.DIAGNOSIS_CODE);
    LabelSet labelSet = LabelSet.of(silver, catalogue, settings.labels());
    List<String> known = labelSet.classes();
    long silverRows = labelSet.records();
    Dataset<Row> labelled = silver.filter(code.isin(known.toArray()));
    Dataset<Row> split = StratifiedSplit.assign(labelled, Bronze.DIAGNOSIS_CODE,
        org.apache.spark.sql.functions.coalesce(col(Bronze.PERSON_KEY), col(Bronze.PATIENT_KEY)), Bronze.RECORD_KEY,
        features).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<String, Long> perSplit = new TreeMap<>();
      split.groupBy(Gold.SPLIT).count().collectAsList().forEach(r -> perSplit.put(r.getString(0), r.getLong(1)));
      List<String> small = split.groupBy(code).count().filter(col("count").lt(3)).orderBy(code).collectAsList().stream()
          .map(r -> r.getString(0) + " (" + r.getLong(1) + ")").toList();
      step.done(String.format(java.util.Locale.ROOT, "split %,d labelled records of %s (%d classes, labels from %s): %s",
          labelSet.trained(), input, known.size(), settings.labels().from().name().toLowerCase(java.util.Locale.ROOT),
          perSplit));
      if (!labelSet.notTrained().isEmpty()) {
        out.println("[dxpipe] not trained on: " + labelSet.describeNotTrained());
      }
      FeaturePipeline.Fitted fitted = FeaturePipeline.fit(split.filter(col(Gold.SPLIT).equalTo(Gold.TRAIN)), features);
      step.done("fitted the feature pipeline on the train split");
      if (!fitted.dropped().isEmpty()) {
        out.println("[dxpipe] inputs left out (dxpipe.features.missing-input = drop): " + fitted.dropped());
      }
      FeaturePipeline.PcaSelection pca = fitted.pca();
      out.printf("[dxpipe] %d features -> %d principal components keep %.1f%% of the variance (target %.0f%%%s)%n",
          pca.inputDimension(), pca.components(), 100 * pca.kept(), 100 * pca.varianceToKeep(),
          pca.targetReached() ? "" : ", NOT reached within features.pca.max-components");
      StringIndexerModel labels = new StringIndexer().setInputCol(Bronze.DIAGNOSIS_CODE).setOutputCol(Gold.LABEL)
          .setStringOrderType("alphabetAsc").fit(split);

      Dataset<Row> gold = Schemas.conform(labels.transform(fitted.model().transform(split))
          .withColumn(Gold.IS_ORPHAN, code.isin(orphan.toArray()))
          .withColumn(Gold.FEATURE_RUN_ID, lit(runId)), Gold.SCHEMA, "gold feature")
          .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        long goldRows = gold.count();
        step.done("transformed " + goldRows + " records");
        QualityReport report = quality.suite("features").run(gold, input, EvaluationContext.of(LocalDate.now(ZoneOffset.UTC)));
        new QualityResultsTable(spark, storage.quality()).writeAndEnforce(JOB, runId, report, out);
        step.done("checked the feature table");

        String pipelinePath = storage.models() + "/" + PIPELINE_DIR + "/" + runId;
        save(fitted, labels, pipelinePath);
        DeltaTables.replace(gold, storage.features(), List.of(), null, CommitMetadata.of("feature_run_id", runId,
            "feature_pipeline", pipelinePath, "input", input, LINEAGE_SILVER_VERSION, silverVersion,
            "pca_components", pca.components()));
        long goldVersion = DeltaTables.version(spark, storage.features());
        step.done("saved the pipeline and wrote gold version " + goldVersion);
        String reportDir = writeReports(runId, input, pca, fitted.featureNames(), fitted.dropped(), perSplit, small,
            pipelinePath, goldVersion);
        writeAggregates(catalogue, silver, labelled);
        step.done("wrote the PCA report and the aggregate tables");
        return new Totals(runId, input, silverRows, goldRows, labelSet.unlabelled(), labelSet.notTrainedRecords(),
            labelSet, fitted.dropped(), perSplit, small, pca, pipelinePath, goldVersion, reportDir, report);
      } finally {
        gold.unpersist();
      }
    } finally {
      split.unpersist();
    }
  }

  private void save(FeaturePipeline.Fitted fitted, StringIndexerModel labels, String path) {
    try {
      fitted.model().write().overwrite().save(path + "/pipeline");
      labels.write().overwrite().save(path + "/labels");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the feature pipeline to " + path, e);
    }
  }

  private String writeReports(String runId, String input, FeaturePipeline.PcaSelection pca, List<String> names,
      Map<String, String> dropped, Map<String, Long> perSplit, List<String> small, String pipelinePath, long goldVersion) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("feature_run_id", runId);
    report.put("input", input);
    report.put("gold_table", settings.storage().features());
    report.put("gold_version", goldVersion);
    report.put("feature_pipeline", pipelinePath);
    report.put("records_per_split", perSplit);
    report.put("classes_with_fewer_than_3_records", small);
    report.put("input_dimension", pca.inputDimension());
    report.put("components", pca.components());
    report.put("variance_to_keep", pca.varianceToKeep());
    report.put("variance_kept", pca.kept());
    report.put("target_reached", pca.targetReached());
    List<Double> cumulative = new ArrayList<>();
    double sum = 0;
    for (double v : pca.explainedVariance()) {
      sum += v;
      cumulative.add(sum);
    }
    report.put("explained_variance", pca.explainedVariance());
    report.put("cumulative_explained_variance", cumulative);
    report.put("feature_names", names);
    report.put("inputs_dropped", dropped);
    String json = json(report);
    byte[] png = Plots.explainedVariance(pca);
    StorageFiles files = new StorageFiles(settings.storage().reports(), spark.sparkContext().hadoopConfiguration());
    String dir = settings.storage().reports() + "/features/" + runId;
    for (String target : List.of(dir, settings.storage().reports() + "/features/latest")) {
      files.writeString(target + "/pca-report.json", json);
      files.write(target + "/pca-explained-variance.png", png);
    }
    return dir;
  }

  private void writeAggregates(DiseaseCatalogue catalogue, Dataset<Row> silver, Dataset<Row> labelled) {
    StorageSettings storage = settings.storage();
    Dataset<Row> bronze = DeltaTables.read(spark, storage.bronze(), "the ingest job");
    Dataset<Row> quarantine = DeltaTables.readOrEmpty(spark, storage.quarantine(), io.dxpipe.schema.Quarantine.SCHEMA);
    Dataset<Row> duplicates = DeltaTables.read(spark, storage.duplicates(), "the clean job");
    io.dxpipe.job.StepTimer step = new io.dxpipe.job.StepTimer(out);
    DeltaTables.replace(Aggregates.diseaseSummary(spark, labelled, catalogue).coalesce(1),
        storage.aggregates() + "/" + Gold.DISEASE_SUMMARY, List.of(), null, null);
    DeltaTables.replace(Aggregates.dailySummary(bronze, quarantine, silver, duplicates).coalesce(1),
        storage.aggregates() + "/" + Gold.DAILY_SUMMARY, List.of(), null, null);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
