package io.dxpipe.features;

import static io.dxpipe.testing.BronzeRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.clean.RecordCleaning;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import io.dxpipe.testing.BronzeRecords;
import io.dxpipe.testing.TestSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.feature.ImputerModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturePipelineTest {
  private static final FeatureSettings SETTINGS = FeatureSettings.from(TestSettings.load().config().dxpipe());

  /** Training records: ages 20..29, heart rate 60..69, two symptom patterns. */
  private static Dataset<Row> training() {
    List<BronzeRecords> records = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      records.add(record("t" + i).with(Bronze.AGE, 20 + i).with(Bronze.HEART_RATE, 60.0 + i)
          .with(Bronze.GENDER, i % 2 == 0 ? "female" : "male")
          .symptoms(i % 2 == 0 ? "cough" : "headache", 1 + i % 3, "fatigue", 2)
          .previousDiagnoses(i % 3 == 0 ? new String[] {"diabetes"} : new String[] {}));
    }
    records.add(record("t-missing").with(Bronze.AGE, null).with(Bronze.HEART_RATE, null));
    return RecordCleaning.selectSilverColumns(BronzeRecords.dataset(records.toArray(BronzeRecords[]::new)));
  }

  private static FeaturePipeline.Fitted fitted;

  @org.junit.jupiter.api.BeforeAll
  static void fitOnce() {
    fitted = FeaturePipeline.fit(training(), SETTINGS);
  }

  private static double valueOf(Row r, FeaturePipeline.Fitted fitted, String featureName) {
    int i = fitted.featureNames().indexOf(featureName);
    assertThat(i).as(featureName).isGreaterThanOrEqualTo(0);
    return r.<Vector>getAs(Gold.FEATURES_FULL).apply(i);
  }

  /** A source without vital signs, duration or previous diagnoses: age, gender and symptoms only. */
  private static Dataset<Row> withoutVitals() {
    List<BronzeRecords> records = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      BronzeRecords r = record("v" + i).with(Bronze.AGE, 20 + i).with(Bronze.SYMPTOM_DURATION_DAYS, null)
          .symptoms(i % 2 == 0 ? "cough" : "headache", 2, "fatigue", 2).previousDiagnoses(new String[] {});
      for (String vital : io.dxpipe.schema.Silver.VITAL_COLUMNS) {
        r = r.with(vital, null);
      }
      records.add(r);
    }
    return RecordCleaning.selectSilverColumns(BronzeRecords.dataset(records.toArray(BronzeRecords[]::new)));
  }

  @Test
  void anInputWithoutValuesIsLeftOutAndNamedInsteadOfCrashingTheImputer() {
    FeaturePipeline.Fitted f = FeaturePipeline.fit(withoutVitals(), SETTINGS);
    List<String> expected = new ArrayList<>(List.of(Bronze.SYMPTOM_DURATION_DAYS));
    expected.addAll(io.dxpipe.schema.Silver.VITAL_COLUMNS);
    expected.add(Bronze.PREVIOUS_DIAGNOSES);
    assertThat(f.dropped()).containsOnlyKeys(expected);
    assertThat(f.dropped().get(Bronze.TEMPERATURE_C)).isEqualTo("no value in the train split");
    assertThat(f.featureNames()).contains("age (scaled)", "symptom cough", "symptom fatigue")
        .noneMatch(n -> n.startsWith("temperature_c") || n.startsWith("previous "));
    // the fitted pipeline scores records that do have vital signs, ignoring them
    Row scored = f.model().transform(training()).first();
    assertThat(scored.<Vector>getAs(Gold.FEATURES_FULL).size()).isEqualTo(f.featureNames().size());

    FeatureSettings strict = FeatureSettings.from(TestSettings.load("features.missing-input=fail").config().dxpipe());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> FeaturePipeline.fit(withoutVitals(), strict))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inputs without values in the train split")
        .hasMessageContaining("temperature_c=no value in the train split")
        .hasMessageContaining("dxpipe.features.missing-input = fail");
  }

  @Test
  void excludedInputsAreLeftOutByNameAndAnUnknownNameIsRefused() {
    FeatureSettings excluding = FeatureSettings.from(TestSettings.load(
        "features.exclude-inputs=[gender, heart_rate, previous_diagnoses]").config().dxpipe());
    FeaturePipeline.Fitted f = FeaturePipeline.fit(training(), excluding);
    assertThat(f.featureNames()).contains("age (scaled)", "ethnicity=white", "symptom cough")
        .noneMatch(n -> n.startsWith("gender") || n.startsWith("heart_rate") || n.startsWith("previous "));
    assertThat(f.dropped()).containsEntry("gender", "excluded (dxpipe.features.exclude-inputs)")
        .containsEntry("heart_rate", "excluded (dxpipe.features.exclude-inputs)")
        .containsEntry("previous_diagnoses", "excluded (dxpipe.features.exclude-inputs)");
    FeatureSettings strict = FeatureSettings.from(TestSettings.load("features.exclude-inputs=[heart_rate]",
        "features.missing-input=fail").config().dxpipe());
    assertThat(FeaturePipeline.fit(training(), strict).dropped()).as("an excluded input is not a missing one")
        .containsOnlyKeys("heart_rate");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> FeatureSettings.from(TestSettings.load(
        "features.exclude-inputs=[hart_rate]").config().dxpipe()))
        .hasMessageContaining("dxpipe.features.exclude-inputs").hasMessageContaining("names 'hart_rate', which is not an input");
  }

  @Test
  void imputationUsesTrainingStatisticsOnlyAndMarksWhatWasMissing() {
    ImputerModel imputer = (ImputerModel) List.of(fitted.model().stages()).stream()
        .filter(s -> s instanceof ImputerModel).findFirst().orElseThrow();
    Row surrogate = imputer.surrogateDF().first();
    // medians of the training values (20..29 and 60..69; Spark's median is the lower middle value)
    assertThat(surrogate.<Double>getAs("f_age")).isEqualTo(24.0);
    assertThat(surrogate.<Double>getAs("f_heart_rate")).isEqualTo(64.0);

    // scoring data with very different values must not move the imputed value
    Dataset<Row> scoring = RecordCleaning.selectSilverColumns(BronzeRecords.dataset(
        record("s1").with(Bronze.AGE, 90).with(Bronze.HEART_RATE, 150.0),
        record("s2").with(Bronze.AGE, null).with(Bronze.HEART_RATE, null)));
    Row missing = fitted.model().transform(scoring).filter("record_key = 's2'").first();
    assertThat(missing.<Double>getAs("f_age_imputed")).isEqualTo(24.0);
    assertThat(missing.<Double>getAs("f_heart_rate_imputed")).isEqualTo(64.0);
    assertThat(valueOf(missing, fitted, "age missing")).isEqualTo(1.0);
    assertThat(valueOf(missing, fitted, "heart_rate missing")).isEqualTo(1.0);
    Row present = fitted.model().transform(scoring).filter("record_key = 's1'").first();
    assertThat(valueOf(present, fitted, "age missing")).isEqualTo(0.0);
  }

  @Test
  void symptomsAreWeightedBySeverityAndHistoryIsZeroOrOne() {
    Dataset<Row> one = RecordCleaning.selectSilverColumns(BronzeRecords.dataset(
        record("x").symptoms("cough", 3, "fatigue", null).previousDiagnoses("diabetes")));
    Row r = fitted.model().transform(one).first();
    assertThat(valueOf(r, fitted, "symptom cough")).isEqualTo(3.0);
    assertThat(valueOf(r, fitted, "symptom fatigue")).isEqualTo(SETTINGS.defaultSeverity());
    assertThat(valueOf(r, fitted, "symptom headache")).isEqualTo(0.0);
    assertThat(valueOf(r, fitted, "previous diabetes")).isEqualTo(1.0);
    assertThat(valueOf(r, fitted, "gender=female")).isEqualTo(1.0);
    assertThat(valueOf(r, fitted, "age bin [30,45)")).isEqualTo(1.0);
  }

  @Test
  void pcaKeepsTheFewestComponentsThatReachTheVarianceTarget() {
    FeaturePipeline.PcaSelection pca = fitted.pca();
    assertThat(pca.targetReached()).isTrue();
    assertThat(pca.kept()).isGreaterThanOrEqualTo(SETTINGS.varianceToKeep() - 1e-9);
    double withOneLess = pca.kept() - pca.explainedVariance()[pca.components() - 1];
    assertThat(withOneLess).isLessThan(SETTINGS.varianceToKeep());
    Row r = fitted.model().transform(training()).first();
    assertThat(r.<Vector>getAs(Gold.FEATURES).size()).isEqualTo(pca.components());
    assertThat(r.<Vector>getAs(Gold.FEATURES_FULL).size()).isEqualTo(pca.inputDimension())
        .isEqualTo(fitted.featureNames().size());
  }

  @Test
  void theSavedPipelineGivesTheSameFeaturesAndToleratesUnseenValues(@TempDir Path dir) throws Exception {
    String path = dir.resolve("pipeline").toUri().toString();
    fitted.model().write().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    Dataset<Row> unseen = RecordCleaning.selectSilverColumns(BronzeRecords.dataset(
        record("u").with(Bronze.GENDER, "other").with(Bronze.ETHNICITY, null).symptoms("never_seen_before", 3)
            .previousDiagnoses("also_new")));
    Dataset<Row> both = training().unionByName(unseen);
    List<Row> expected = fitted.model().transform(both).select(Bronze.RECORD_KEY, Gold.FEATURES)
        .orderBy(Bronze.RECORD_KEY).collectAsList();
    List<Row> actual = loaded.transform(both).select(Bronze.RECORD_KEY, Gold.FEATURES).orderBy(Bronze.RECORD_KEY)
        .collectAsList();
    assertThat(actual).isEqualTo(expected);
    Row u = fitted.model().transform(unseen).first();
    assertThat(valueOf(u, fitted, "gender=(unseen)")).isEqualTo(1.0);
  }
}
