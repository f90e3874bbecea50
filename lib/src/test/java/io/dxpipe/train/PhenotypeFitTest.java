package io.dxpipe.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.features.FeaturePipeline;
import io.dxpipe.schema.Gold;
import io.dxpipe.testing.SharedSpark;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.CountVectorizerModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The phenotype candidate's fit on gold-shaped records: its counts, its classes, its two stages. */
class PhenotypeFitTest {
  private static final StructType SCHEMA = new StructType().add(Gold.LABEL, "double")
      .add(FeaturePipeline.SYMPTOM_TERMS, DataTypes.createArrayType(DataTypes.StringType));
  /** Two training labels of the catalogue and one of the user's own. */
  private static final List<String> LABELS = List.of("common_cold", "own_label", "psoriasis");

  private static Dataset<Row> records() {
    return SharedSpark.session().createDataFrame(List.of(
        RowFactory.create(0.0, List.of("cough", "cough", "high_fever")), // severity 2: counted once
        RowFactory.create(0.0, List.of("cough")),
        RowFactory.create(1.0, List.of("blackheads", "high_fever", "cough")),
        RowFactory.create(1.0, List.of("blackheads", "high_fever")),
        RowFactory.create(1.0, List.of("blackheads", "high_fever", "not_a_catalogue_symptom")),
        RowFactory.create(2.0, List.of("skin_rash"))), SCHEMA);
  }

  @Test
  void countsRecordsPerLabelAndEachSymptomOncePerRecord() {
    PhenotypeModel.Counts c = PhenotypeFit.counts(records(), LABELS);
    assertThat(c.records()).containsExactlyInAnyOrderEntriesOf(Map.of("common_cold", 2L, "own_label", 3L,
        "psoriasis", 1L));
    assertThat(c.withSymptom().get("common_cold")).containsExactlyInAnyOrderEntriesOf(Map.of("cough", 2L,
        "high_fever", 1L));
    assertThat(c.withSymptom().get("own_label")).containsEntry("blackheads", 3L).containsEntry("cough", 1L);
  }

  @Test
  void ranksTheLabelsFirstThenEveryOtherCatalogueDisease() {
    DiseaseCatalogue catalogue = DiseaseCatalogue.fromClasspath();
    PipelineModel fitted = PhenotypeFit.fit(Map.of("presentation", 0.5, "background", 0.002, "strength", 10.0),
        records(), LABELS);
    assertThat(fitted.stages()).hasSize(2);
    CountVectorizerModel vectorizer = (CountVectorizerModel) fitted.stages()[0];
    assertThat(vectorizer.getBinary()).isTrue();
    assertThat(vectorizer.getInputCol()).isEqualTo(FeaturePipeline.SYMPTOM_TERMS);
    assertThat(vectorizer.vocabulary()).hasSize(catalogue.symptoms().size());
    LogisticRegressionModel classifier = (LogisticRegressionModel) fitted.stages()[1];
    assertThat(classifier.getFeaturesCol()).isEqualTo(PhenotypeFit.FEATURES);
    List<String> classes = PhenotypeFit.classes(LABELS);
    assertThat(classes).startsWith(LABELS.toArray(String[]::new)).hasSize(catalogue.diseases().size() + 1)
        .doesNotHaveDuplicates();
    assertThat(classifier.numClasses()).isEqualTo(classes.size());

    // a label of the user's own is learnt from its records alone; the catalogue's diseases keep their annotations
    List<Row> out = fitted.transform(SharedSpark.session().createDataFrame(List.of(
        RowFactory.create(1.0, List.of("blackheads", "high_fever")),
        RowFactory.create(2.0, List.of("skin_rash", "joint_pain", "silver_like_dusting", "small_dents_in_nails"))),
        SCHEMA)).select("prediction", "probability").collectAsList();
    assertThat(out.get(0).getDouble(0)).isEqualTo(1.0);
    assertThat(out.get(1).getDouble(0)).as("psoriasis from its textbook picture").isEqualTo(2.0);
    assertThat(((Vector) out.get(1).get(1)).size()).isEqualTo(classes.size());
  }

  /**
   * With the feature pipeline's columns beside the symptoms, the record's context joins them: a
   * vital sign in quantile bands of the fitted records and a one-hot category. Two labels of the
   * user's own with the same symptoms are told apart by temperature alone; with {@code context = 0}
   * they cannot be.
   */
  @Test
  void theContextOfVitalSignsAndCategoriesTellsApartDiseasesWithTheSameSymptoms() {
    StructType schema = SCHEMA.add("f_temperature_c_imputed", "double")
        .add("f_gender_index_onehot", org.apache.spark.ml.linalg.SQLDataTypes.VectorType())
        .add("f_age_imputed", "double").add("f_age_bin_onehot", org.apache.spark.ml.linalg.SQLDataTypes.VectorType());
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      double label = i % 2; // own_hot (0), own_normal (1): the same two symptoms, told apart by temperature
      rows.add(RowFactory.create(label, List.of("cough", "headache"), label == 0 ? 39.0 + i * 0.01 : 36.8 + i * 0.01,
          org.apache.spark.ml.linalg.Vectors.dense(i % 4 < 2 ? 1 : 0, i % 4 < 2 ? 0 : 1), 30.0 + i,
          org.apache.spark.ml.linalg.Vectors.dense(1, 0)));
    }
    Dataset<Row> data = SharedSpark.session().createDataFrame(rows, schema);
    assertThat(PhenotypeFit.contextNumeric(data.columns())).as("age is in bands already")
        .containsExactly("f_temperature_c_imputed");
    assertThat(PhenotypeFit.contextOneHot(data.columns())).containsExactly("f_gender_index_onehot", "f_age_bin_onehot");
    List<String> labels = List.of("own_hot", "own_normal");
    PipelineModel fitted = PhenotypeFit.fit(Map.of("context", 1.0), data, labels);
    LogisticRegressionModel classifier = (LogisticRegressionModel) fitted.stages()[fitted.stages().length - 1];
    assertThat(classifier.numFeatures()).isEqualTo(DiseaseCatalogue.fromClasspath().symptoms().size() + 2 + 2
        + PhenotypeFit.BANDS);
    long right = fitted.transform(data).filter(org.apache.spark.sql.functions.col("prediction")
        .equalTo(org.apache.spark.sql.functions.col(Gold.LABEL))).count();
    assertThat(right).as("told apart by temperature (the middle band holds both)").isGreaterThanOrEqualTo(32);
    PipelineModel symptomsOnly = PhenotypeFit.fit(Map.of("context", 0.0), data, labels);
    assertThat(symptomsOnly.stages()).hasSize(2);
    assertThat(symptomsOnly.transform(data).select("prediction").distinct().count()).as("the same symptoms, the same "
        + "prediction").isEqualTo(1);
  }

  @Test
  void aGridPointSetsPresentationBackgroundStrengthAndPrior() {
    PhenotypeModel.Settings s = PhenotypeFit.settings(Map.of("presentation", 0.3, "background", 0.01, "strength", 2.0,
        "prior", 1.0));
    assertThat(s).isEqualTo(new PhenotypeModel.Settings(0.3, 0.01, PhenotypeModel.DEFAULTS.excluded(), 2.0,
        PhenotypeModel.DEFAULTS.maxProbability(), 1.0));
  }
}
