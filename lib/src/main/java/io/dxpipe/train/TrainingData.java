package io.dxpipe.train;

import static org.apache.spark.sql.functions.col;

import io.dxpipe.config.StorageSettings;
import io.dxpipe.features.FeaturePipeline;
import io.dxpipe.features.FeatureStage;
import io.dxpipe.io.CommitMetadata;
import io.dxpipe.io.DeltaTables;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Training's first step: one pinned version of gold and its lineage. The silver version gold was
 * built from comes from gold's commit metadata ({@link FeatureStage#LINEAGE_SILVER_VERSION}; a
 * commit without it is an error, never a guess), and the silver records of that version that are
 * in gold are the full model's input for its check. The feature pipeline and label indexer are the
 * ones of the features run that wrote gold. The three splits are persisted until {@link #close()}.
 *
 * @param silver the silver records gold was built from (at the version gold's commit names)
 * @param input the snapshot as logged and reported, {@code gold@v<version>}
 * @param inputSizes the length of each features vector the classifiers read, by gold column
 * @param labels the disease codes, in the label indexer's (alphabetical) order: class i is labels[i]
 * @param orphans the class indices of orphan diseases
 * @param perSplit records per split, counted apart from {@code goldRows} so the two can be balanced
 */
record TrainingData(long goldVersion, Dataset<Row> gold, long goldRows, Dataset<Row> silver, String input,
    String featureRunId, Map<String, Integer> inputSizes, PipelineModel featurePipeline, List<String> labels, Set<Integer> orphans,
    Dataset<Row> train, Dataset<Row> validation, Dataset<Row> test, Map<String, Long> perSplit)
    implements AutoCloseable {

  /** Reads the latest version of gold (storage.features) and what it was built from. */
  static TrainingData load(SparkSession spark, StorageSettings storage, List<String> featuresColumns) {
    return load(spark, storage, featuresColumns, false);
  }

  /**
   * As above; with {@code phenotypeInputs}, each record also carries its prepared symptom codes
   * ({@link FeaturePipeline#SYMPTOM_TERMS}) and context columns (the feature pipeline applied to
   * its silver record), which the phenotype candidate reads instead of a gold column.
   */
  static TrainingData load(SparkSession spark, StorageSettings storage, List<String> featuresColumns,
      boolean phenotypeInputs) {
    long goldVersion = DeltaTables.version(spark, storage.features(), "the features job");
    Dataset<Row> gold = DeltaTables.read(spark, storage.features(), goldVersion);
    long goldRows = gold.count();
    long silverVersion = silverVersionOf(spark, storage.features(), goldVersion);
    // the silver records gold was built from: the combined model's input
    Dataset<Row> silver = io.dxpipe.schema.DeclaredInputs.withColumn(DeltaTables.read(spark, storage.silver(),
        silverVersion)).join(gold.select(Bronze.RECORD_KEY), Bronze.RECORD_KEY);
    String input = "gold@v" + goldVersion;
    Column[] firstColumns = java.util.stream.Stream.concat(java.util.stream.Stream.of(Gold.FEATURE_RUN_ID),
        featuresColumns.stream()).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    Row first = gold.select(firstColumns).first();
    String featureRunId = first.getString(0);
    Map<String, Integer> inputSizes = new java.util.LinkedHashMap<>();
    for (int i = 0; i < featuresColumns.size(); i++) {
      inputSizes.put(featuresColumns.get(i), ((org.apache.spark.ml.linalg.Vector) first.get(i + 1)).size());
    }
    String featureDir = storage.models() + "/" + FeatureStage.PIPELINE_DIR + "/" + featureRunId;
    PipelineModel featurePipeline = PipelineModel.load(featureDir + "/pipeline");
    List<String> labels = List.of(StringIndexerModel.load(featureDir + "/labels").labelsArray()[0]);
    int k = labels.size();
    Set<Integer> orphans = new HashSet<>();
    gold.filter(col(Gold.IS_ORPHAN)).select(Gold.LABEL).distinct().collectAsList()
        .forEach(r -> orphans.add((int) r.getDouble(0)));
    // the label column declares all k classes, so a fit part missing the last class still has k outputs
    Column label = col(Gold.LABEL).as(Gold.LABEL, NominalAttribute.defaultAttr().withName(Gold.LABEL)
        .withNumValues(k).toMetadata());
    // MLlib's iterative learners run a Spark job per iteration: one partition per core, not one per gold file
    List<Column> selected = new java.util.ArrayList<>(List.of(col(Bronze.RECORD_KEY), col(Bronze.PATIENT_KEY), label));
    featuresColumns.forEach(c -> selected.add(col(c)));
    selected.add(col(Gold.SPLIT));
    Dataset<Row> records = gold.select(selected.toArray(Column[]::new));
    if (phenotypeInputs) {
      records = withPhenotypeInputs(records, featurePipeline, silver);
    }
    Dataset<Row> data = records.coalesce(spark.sparkContext().defaultParallelism());
    Dataset<Row> train = split(data, Gold.TRAIN);
    Dataset<Row> validation = split(data, Gold.VALIDATION);
    Dataset<Row> test = split(data, Gold.TEST);
    TrainingData loaded = new TrainingData(goldVersion, gold, goldRows, silver, input, featureRunId,
        Map.copyOf(inputSizes), featurePipeline, labels, Set.copyOf(orphans), train, validation, test, new TreeMap<>());
    try {
      loaded.perSplit.put(Gold.TRAIN, train.count());
      loaded.perSplit.put(Gold.VALIDATION, validation.count());
      loaded.perSplit.put(Gold.TEST, test.count());
      loaded.requireValidationAndTest();
      return loaded;
    } catch (RuntimeException e) {
      loaded.close();
      throw e;
    }
  }

  /**
   * The silver version the features job read for this gold version, from its commit's metadata: an
   * error naming the table and version when the commit does not record it. Gold written before
   * {@code silver_version} was recorded names it only as its {@code input}, exactly
   * {@code silver@v<version>}: that is read too.
   */
  static long silverVersionOf(SparkSession spark, String goldTable, long goldVersion) {
    CommitMetadata metadata = CommitMetadata.read(spark, goldTable, goldVersion);
    if (!metadata.values().containsKey(FeatureStage.LINEAGE_SILVER_VERSION)
        && metadata.values().get("input") instanceof String input) {
      java.util.regex.Matcher legacy = LEGACY_INPUT.matcher(input);
      if (legacy.matches()) {
        return Long.parseLong(legacy.group(1));
      }
    }
    return metadata.number(FeatureStage.LINEAGE_SILVER_VERSION);
  }

  /**
   * Gold's records with what the phenotype candidate reads, as the full model's feature stages
   * prepare it from their silver records: the symptom codes (an empty list for a record without
   * symptoms) and the context columns (imputed numerics, one-hot age bands and categories).
   */
  static Dataset<Row> withPhenotypeInputs(Dataset<Row> records, PipelineModel featurePipeline, Dataset<Row> silver) {
    Dataset<Row> prepared = featurePipeline.transform(silver);
    List<Column> context = new java.util.ArrayList<>();
    PhenotypeFit.contextNumeric(prepared.columns()).forEach(c -> context.add(col(c)));
    PhenotypeFit.contextOneHot(prepared.columns()).forEach(c -> context.add(col(c)));
    Column[] selected = java.util.stream.Stream.concat(java.util.stream.Stream.of(col(Bronze.RECORD_KEY),
        col(FeaturePipeline.SYMPTOM_TERMS)), context.stream()).toArray(Column[]::new);
    Dataset<Row> terms = prepared.select(selected).withColumnRenamed(Bronze.RECORD_KEY, "_silver_key");
    List<Column> out = new java.util.ArrayList<>(List.of(records.col("*")));
    out.add(org.apache.spark.sql.functions.coalesce(terms.col(FeaturePipeline.SYMPTOM_TERMS),
        org.apache.spark.sql.functions.array().cast("array<string>")).as(FeaturePipeline.SYMPTOM_TERMS));
    for (String c : terms.columns()) {
      if (!c.equals("_silver_key") && !c.equals(FeaturePipeline.SYMPTOM_TERMS)) {
        out.add(terms.col(c));
      }
    }
    // inner: gold's records are silver's (the lineage version), and a context column cannot be missing
    Dataset<Row> joined = records.join(terms, records.col(Bronze.RECORD_KEY).equalTo(terms.col("_silver_key")));
    return joined.select(out.toArray(Column[]::new));
  }

  /** Records per label code in train + validation: what the refitted winner was fitted on. */
  Map<String, Long> refitCounts() {
    Map<String, Long> counts = new TreeMap<>();
    train.union(validation).groupBy(Gold.LABEL).count().collectAsList()
        .forEach(r -> counts.put(labels.get((int) r.getDouble(0)), r.getLong(1)));
    return counts;
  }

  /** Every record of the three splits, as the classifiers read them. */
  Dataset<Row> all() {
    return train.union(validation).union(test);
  }

  /** The input of a gold commit written by the features job before silver_version existed. */
  private static final java.util.regex.Pattern LEGACY_INPUT = java.util.regex.Pattern.compile("silver@v(\\d+)");

  private static Dataset<Row> split(Dataset<Row> data, String name) {
    return data.filter(col(Gold.SPLIT).equalTo(name)).persist(StorageLevel.MEMORY_AND_DISK());
  }

  void requireValidationAndTest() {
    if (perSplit.get(Gold.VALIDATION) == 0 || perSplit.get(Gold.TEST) == 0) {
      throw new IllegalStateException(input + " has no " + (perSplit.get(Gold.VALIDATION) == 0 ? "validation" : "test")
          + " records (" + perSplit + "): generate more records or change dxpipe.features.split");
    }
  }

  int classes() {
    return labels.size();
  }

  /** The step's line: what was read. */
  String describe() {
    String features = inputSizes.size() == 1 ? inputSizes.values().iterator().next() + " input features"
        : "input features " + new TreeMap<>(inputSizes);
    return String.format(Locale.ROOT, "read %s: %d classes (%d orphan), %s, split %s", input, classes(),
        orphans.size(), features, perSplit);
  }

  @Override
  public void close() {
    train.unpersist();
    validation.unpersist();
    test.unpersist();
  }
}
