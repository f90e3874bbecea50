package io.dxpipe.serve;

import static io.dxpipe.testing.BronzeRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import io.dxpipe.clean.RecordCleaning;
import io.dxpipe.features.FeaturePipeline;
import io.dxpipe.features.FeatureSettings;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.DeclaredInputs;
import io.dxpipe.schema.Gold;
import io.dxpipe.testing.BronzeRecords;
import io.dxpipe.testing.SharedSpark;
import io.dxpipe.testing.TestSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import io.dxpipe.score.TopClasses;
import java.util.Set;
import org.apache.spark.ml.classification.LinearSVC;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.NaiveBayes;
import org.apache.spark.ml.classification.OneVsRest;
import org.apache.spark.ml.feature.Bucketizer;
import org.apache.spark.ml.feature.CountVectorizer;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.Normalizer;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.PCA;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.Tokenizer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each stage type the row evaluator knows, against {@code transform} on small inputs: every column
 * the stages add holds the same doubles (bit for bit), strings, term lists and vectors (dense or
 * sparse as Spark chose), and what it does not know is refused by name.
 */
class RowEvaluatorStagesTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final FeatureSettings SETTINGS = FeatureSettings.from(TestSettings.load().config().dxpipe());
  private static FeaturePipeline.Fitted fitted;
  private static Dataset<Row> training;

  /** Ages, vitals and categories with gaps; symptom patterns with and without severity. */
  private static Dataset<Row> silver(String prefix, int n, int offset) {
    List<BronzeRecords> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int j = i + offset;
      records.add(record(prefix + i).with(Bronze.AGE, j % 7 == 0 ? null : 5 + 7 * j % 90)
          .with(Bronze.HEART_RATE, j % 5 == 0 ? null : 55.0 + j * 1.37)
          .with(Bronze.TEMPERATURE_C, 36.2 + (j % 9) * 0.3).with(Bronze.SPO2, j % 4 == 0 ? null : 90.0 + j % 9)
          .with(Bronze.GENDER, j % 3 == 0 ? "female" : j % 3 == 1 ? "male" : null)
          .with(Bronze.ETHNICITY, j % 4 == 0 ? "asian" : "white")
          .symptoms(j % 2 == 0 ? "cough" : "headache", j % 3 == 0 ? null : 1 + j % 3, "fatigue", 2,
              j % 5 == 0 ? "fever" : "nausea", 3)
          .previousDiagnoses(j % 3 == 0 ? new String[] {"diabetes"} : new String[] {}));
    }
    return RecordCleaning.selectSilverColumns(BronzeRecords.dataset(records.toArray(BronzeRecords[]::new)));
  }

  @BeforeAll
  static void fit() {
    training = silver("t", 30, 0).cache();
    fitted = FeaturePipeline.fit(training, SETTINGS);
  }

  /** Compares every row of {@code data} column by column; returns the number of values compared. */
  private static int compare(PipelineModel model, Dataset<Row> data) {
    RowEvaluator evaluator = RowEvaluator.of(model);
    List<Row> inputs = data.collectAsList();
    List<Row> outputs = model.transform(data).collectAsList();
    assertThat(outputs).hasSameSizeAs(inputs);
    int compared = 0;
    for (int i = 0; i < inputs.size(); i++) {
      Map<String, Object> input = RowEvaluator.toMap(inputs.get(i));
      compared += SameValues.assertSameColumns(outputs.get(i), evaluator.columns(input), input);
    }
    return compared;
  }

  @Test
  void theFeatureStagesAndAClassifierGiveTransformsValuesOnEveryColumn() {
    Dataset<Row> scoring = training.unionByName(silver("s", 12, 100)).unionByName(
        RecordCleaning.selectSilverColumns(BronzeRecords.dataset(
            record("u1").with(Bronze.GENDER, "other").with(Bronze.ETHNICITY, null).symptoms("never_seen", 3)
                .previousDiagnoses("also_new"),
            record("u2").with(Bronze.AGE, 130).with(Bronze.HEART_RATE, 0.0).symptoms("cough", 0, "fever", -1))));
    Dataset<Row> labelled = fitted.model().transform(training).withColumn(Gold.LABEL,
        expr("CAST(abs(hash(record_key)) % 3 AS DOUBLE)"));
    List<PipelineStage> stages = new ArrayList<>(List.of(fitted.model().stages()));
    stages.add(new LogisticRegression().setMaxIter(5).setFeaturesCol(Gold.FEATURES).setLabelCol(Gold.LABEL)
        .fit(labelled));
    stages.add(new IndexToString().setInputCol("prediction").setOutputCol("predicted_code")
        .setLabels(new String[] {"a", "b", "c"}));
    PipelineModel full = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(training.limit(0));
    int compared = compare(full, scoring);
    // 44 records x (SQL 24 + imputer 9 + bin 1 + indexes 4 + one-hot 5 + terms 2 + vectors 3 + PCA 1 + classifier 4)
    assertThat(compared).isEqualTo(44 * 53);
    assertThat(RowEvaluator.of(full).defaultSeverity()).hasValue(SETTINGS.defaultSeverity());
  }

  @Test
  void declaredNumericOrdinalAndCategoricalInputsGiveTransformsValues() {
    DeclaredInputs declared = DeclaredInputs.from(com.typesafe.config.ConfigFactory.parseString("inputs {\n"
        + "  bp_category { type = ordinal, levels = [low, normal, high] }\n"
        + "  cholesterol_mg_dl { type = numeric }\n"
        + "  smoking { type = categorical }\n}"));
    FeatureSettings settings = SETTINGS.withInputs(declared);
    List<BronzeRecords> records = new ArrayList<>();
    String[] levels = {"low", "normal", "high", null};
    String[] smoking = {"never", "former", "current"};
    for (int j = 0; j < 30; j++) {
      records.add(record("t" + j).with(Bronze.HEART_RATE, 55.0 + j).symptoms(j % 2 == 0 ? "cough" : "headache", 2)
          .inputs("bp_category", levels[j % 4], "cholesterol_mg_dl", j % 5 == 0 ? null : String.valueOf(150.0 + 3.5 * j),
              "smoking", smoking[j % 3]));
    }
    Dataset<Row> train = RecordCleaning.selectSilverColumns(BronzeRecords.dataset(records.toArray(BronzeRecords[]::new)))
        .cache();
    FeaturePipeline.Fitted withInputs = FeaturePipeline.fit(train, settings);
    assertThat(withInputs.featureNames()).contains("bp_category (scaled)", "cholesterol_mg_dl (scaled)",
        "bp_category missing", "cholesterol_mg_dl missing", "smoking=current", "smoking=never", "smoking=(unseen)");
    Dataset<Row> scoring = train.unionByName(RecordCleaning.selectSilverColumns(BronzeRecords.dataset(
        record("no-map").symptoms("cough", 1),
        record("other-keys").symptoms("cough", 1).inputs("not_declared", "1"),
        record("upper-case").symptoms("fatigue", 1).inputs("bp_category", "HIGH", "smoking", "cigar"),
        record("not-values").symptoms("cough", 1).inputs("bp_category", "extreme", "cholesterol_mg_dl", "abc"),
        record("spaces").symptoms("cough", 1).inputs("bp_category", " low", "cholesterol_mg_dl", " 200 "))));
    Dataset<Row> labelled = withInputs.model().transform(train).withColumn(Gold.LABEL,
        expr("CAST(abs(hash(record_key)) % 3 AS DOUBLE)"));
    List<PipelineStage> stages = new ArrayList<>(List.of(withInputs.model().stages()));
    stages.add(new LogisticRegression().setMaxIter(5).setFeaturesCol(Gold.FEATURES).setLabelCol(Gold.LABEL)
        .fit(labelled));
    stages.add(new IndexToString().setInputCol("prediction").setOutputCol("predicted_code")
        .setLabels(new String[] {"a", "b", "c"}));
    PipelineModel full = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(train.limit(0));
    int compared = compare(full, scoring);
    assertThat(compared).as("35 records, the declared inputs' 5 SQL columns and 2 more imputed among them")
        .isGreaterThan(35 * 7);
    assertThat(RowEvaluator.of(full).declaredInputs()).isEqualTo(declared);
    assertThat(FeaturePipeline.inputColumns(full)).endsWith(DeclaredInputs.COLUMN);
    Map<String, Object> upper = RowEvaluator.of(full).columns(RowEvaluator.toMap(scoring.filter(
        "record_key = 'upper-case'").first()));
    assertThat(upper).containsEntry("f_input_bp_category", 2.0).containsEntry("f_input_bp_category_missing", 0.0)
        .containsEntry("f_input_cholesterol_mg_dl_missing", 1.0).containsEntry("f_input_smoking", "cigar");
    train.unpersist();
  }

  private static final StructType NUMBERS = createStructType(List.of(createStructField("a", DoubleType, false),
      createStructField("b", DoubleType, false), createStructField("c", DoubleType, false),
      createStructField("v", SQLDataTypes.VectorType(), false)));

  @Test
  void theAssemblersDenseOrSparseChoiceDecidesWhatScalerAndPcaSeeAsInSpark() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      boolean few = i % 2 == 0; // few non-zeros: compressed() keeps it sparse; many: dense
      rows.add(RowFactory.create(few ? 0.0 : 1.1 * i, few ? 0.0 : -0.3 * i + 0.01, i * 0.7 + 0.13,
          few ? Vectors.sparse(6, new int[] {i % 6}, new double[] {2.5 + i})
              : Vectors.dense(0.1 * i, 1.0 / (i + 1), 3.3, -2.0 + i, 0.0, 7.77 * i)));
    }
    Dataset<Row> data = SPARK.createDataFrame(rows, NUMBERS);
    List<PipelineStage> stages = new ArrayList<>();
    stages.add(new VectorAssembler().setInputCols(new String[] {"a", "b", "c", "v"}).setOutputCol("full"));
    for (boolean mean : new boolean[] {true, false}) {
      for (boolean std : new boolean[] {true, false}) {
        stages.add(new StandardScaler().setInputCol("full").setOutputCol("scaled_" + mean + "_" + std)
            .setWithMean(mean).setWithStd(std));
      }
    }
    stages.add(new PCA().setInputCol("full").setOutputCol("pcs").setK(3));
    stages.add(new PCA().setInputCol("scaled_true_true").setOutputCol("pcs_scaled").setK(2));
    PipelineModel model = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(data);
    List<Row> assembled = model.transform(data).select("full").collectAsList();
    assertThat(assembled).extracting(r -> r.get(0).getClass().getSimpleName()).contains("SparseVector", "DenseVector");
    assertThat(compare(model, data)).isEqualTo(12 * 7);
  }

  private static final StructType MIXED = createStructType(List.of(createStructField("x", DoubleType, true),
      createStructField("y", DoubleType, true), createStructField("cat", StringType, true),
      createStructField("terms", createArrayType(StringType, true), true)));

  private static Row mixed(Double x, Double y, String cat, String... terms) {
    return RowFactory.create(x, y, cat, Arrays.asList(terms));
  }

  @Test
  void bucketsIndexesOneHotAndTermCountsFollowTheStagesSettings() {
    Dataset<Row> fit = SPARK.createDataFrame(List.of(mixed(1.0, 10.0, "a", "p", "q", "p"),
        mixed(2.5, 20.0, "b", "q", "r"), mixed(4.0, 30.0, "a", "p", "p", "p", "s"), mixed(0.0, 40.0, "c", "r"),
        mixed(5.0, 50.0, "a", "q", "s", "s")), MIXED);
    Dataset<Row> score = fit.unionByName(SPARK.createDataFrame(List.of(mixed(Double.NaN, 50.0, "z", "p", "unknown"),
        mixed(3.0, 0.0, null, "s", "s", "q", "q", "q", "r"), mixed(5.0, 25.0, "b")), MIXED));
    List<PipelineStage> stages = List.of(
        new Bucketizer().setInputCols(new String[] {"x", "y"}).setOutputCols(new String[] {"xb", "yb"})
            .setSplitsArray(new double[][] {{Double.NEGATIVE_INFINITY, 1, 2.5, 5}, {0, 25, 50}})
            .setHandleInvalid("keep"),
        new StringIndexer().setInputCol("cat").setOutputCol("ci").setHandleInvalid("keep"),
        new OneHotEncoder().setInputCols(new String[] {"ci", "xb", "yb"}).setOutputCols(new String[] {"co", "xo", "yo"})
            .setHandleInvalid("keep"),
        new CountVectorizer().setInputCol("terms").setOutputCol("tf").setMinTF(0.3),
        new CountVectorizer().setInputCol("terms").setOutputCol("tb").setMinTF(2).setBinary(true)
            .setMinDF(2));
    PipelineModel model = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(fit);
    assertThat(compare(model, score)).isEqualTo(8 * 8);
  }

  /**
   * The phenotype model over every catalogue disease (a multinomial logistic regression with a
   * sparse coefficient matrix over the binary symptom set) is served like any classifier, and saves
   * and loads as the standard stage it is.
   */
  @Test
  void thePhenotypeModelOverTheWholeCatalogueIsServedAndRoundTripsThroughSaveAndLoad(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    io.dxpipe.train.PhenotypeModel phenotype = io.dxpipe.train.PhenotypeModel.build(
        io.dxpipe.catalogue.DiseaseCatalogue.fromClasspath(), io.dxpipe.train.PhenotypeModel.Counts.NONE,
        io.dxpipe.train.PhenotypeModel.DEFAULTS);
    List<PipelineStage> stages = new ArrayList<>(List.of(fitted.model().stages()));
    stages.add(phenotype.vectorizer(PrepareStatement.SYMPTOM_TERMS, "symptom_set"));
    stages.add(phenotype.classifier().setFeaturesCol("symptom_set"));
    stages.add(new IndexToString().setInputCol("prediction").setOutputCol("predicted_code")
        .setLabels(phenotype.classes().toArray(String[]::new)));
    PipelineModel full = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(training.limit(0));
    assertThat(compare(full, training)).isGreaterThan(30 * 50);
    full.write().save(dir.resolve("model").toString());
    PipelineModel loaded = PipelineModel.load(dir.resolve("model").toString());
    org.apache.spark.ml.classification.LogisticRegressionModel lr =
        (org.apache.spark.ml.classification.LogisticRegressionModel) loaded.stages()[loaded.stages().length - 2];
    assertThat(lr.coefficientMatrix()).isInstanceOf(org.apache.spark.ml.linalg.SparseMatrix.class);
    assertThat(lr.numClasses()).isEqualTo(phenotype.classes().size());
    RowEvaluator before = RowEvaluator.of(full);
    RowEvaluator after = RowEvaluator.of(loaded);
    for (Row r : training.collectAsList()) {
      RowEvaluator.Prediction a = before.predict(r, 10);
      RowEvaluator.Prediction b = after.predict(r, 10);
      assertThat(b.top()).isEqualTo(a.top());
      assertThat(a.top()).hasSize(10);
    }
  }

  @Test
  void gaussianNaiveBayesGivesTransformsValues() {
    Dataset<Row> labelled = fitted.model().transform(training).withColumn(Gold.LABEL,
        expr("CAST(abs(hash(record_key)) % 3 AS DOUBLE)"));
    List<PipelineStage> stages = new ArrayList<>(List.of(fitted.model().stages()));
    stages.add(new NaiveBayes().setModelType("gaussian").setFeaturesCol(Gold.FEATURES).setLabelCol(Gold.LABEL)
        .fit(labelled));
    stages.add(new IndexToString().setInputCol("prediction").setOutputCol("predicted_code")
        .setLabels(new String[] {"a", "b", "c"}));
    PipelineModel full = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(training.limit(0));
    // 30 records x the 53 columns of the feature stages and the classifier, as with logistic regression
    assertThat(compare(full, training)).isEqualTo(30 * 53);
  }

  @Test
  void oneVsRestGivesTransformsMarginsAndTheTopThreeOfTheirSoftmaxAsScoring() {
    Dataset<Row> labelled = fitted.model().transform(training).withColumn(Gold.LABEL,
        expr("CAST(abs(hash(record_key)) % 3 AS DOUBLE)"));
    List<PipelineStage> stages = new ArrayList<>(List.of(fitted.model().stages()));
    stages.add(new OneVsRest().setClassifier(new LinearSVC().setMaxIter(5)).setFeaturesCol(Gold.FEATURES)
        .setLabelCol(Gold.LABEL).fit(labelled));
    List<String> codes = List.of("a", "b", "c");
    stages.add(new IndexToString().setInputCol("prediction").setOutputCol("predicted_code")
        .setLabels(codes.toArray(String[]::new)));
    PipelineModel full = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(training.limit(0));
    // 30 records x (53 columns of the feature stages and LR above, less probability)
    assertThat(compare(full, training)).isEqualTo(30 * 52);
    RowEvaluator evaluator = RowEvaluator.of(full);
    List<Row> inputs = training.orderBy(Bronze.RECORD_KEY).collectAsList();
    List<Row> scored = full.transform(training).orderBy(Bronze.RECORD_KEY)
        .select(TopClasses.udf(codes, Set.of("b"), 3, true).apply(expr("rawPrediction"))).collectAsList();
    for (int i = 0; i < inputs.size(); i++) {
      RowEvaluator.Prediction p = evaluator.predict(inputs.get(i), 3);
      List<Row> top = scored.get(i).getList(0);
      assertThat(p.top()).extracting(RowEvaluator.Ranked::code)
          .containsExactlyElementsOf(top.stream().map(t -> t.getString(0)).toList());
      for (int j = 0; j < top.size(); j++) {
        assertThat(p.top().get(j).probability()).isEqualTo(top.get(j).getDouble(1));
        assertThat(p.probability()[p.top().get(j).index()]).isEqualTo(top.get(j).getDouble(1));
      }
    }
  }

  @Test
  void unknownStagesAndAnotherStatementAreRefusedByName() {
    List<PipelineStage> stages = new ArrayList<>(List.of(fitted.model().stages()));
    stages.add(new Normalizer().setInputCol(Gold.FEATURES).setOutputCol("normalized"));
    stages.add(new Tokenizer().setInputCol(Bronze.NOTE).setOutputCol("tokens"));
    PipelineModel unknown = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(training.limit(0));
    assertThatThrownBy(() -> RowEvaluator.of(unknown)).isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("unsupported stage type org.apache.spark.ml.feature.Normalizer")
        .hasMessageContaining("unsupported stage type org.apache.spark.ml.feature.Tokenizer");

    List<PipelineStage> changed = new ArrayList<>(List.of(fitted.model().stages()));
    String statement = ((SQLTransformer) changed.get(0)).getStatement().replace("'unknown'", "'missing'");
    changed.set(0, new SQLTransformer().setStatement(statement));
    PipelineModel other = new Pipeline().setStages(changed.toArray(PipelineStage[]::new)).fit(training.limit(0));
    assertThatThrownBy(() -> RowEvaluator.of(other)).isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("SQLTransformer").hasMessageContaining(statement);
  }

  @Test
  void aRecordSparkWouldFailOnFailsToo() {
    RowEvaluator evaluator = RowEvaluator.of(fitted.model());
    Map<String, Object> record = RowEvaluator.toMap(training.first());
    record.put(Bronze.SYMPTOMS, null);
    assertThatThrownBy(() -> evaluator.columns(record)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("symptoms");
    Vector features = (Vector) evaluator.columns(RowEvaluator.toMap(training.first())).get(Gold.FEATURES);
    assertThat(features.size()).isEqualTo(fitted.pca().components());
  }
}
