package io.dxpipe.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.config.ConfigurationException;
import io.dxpipe.testing.TestSettings;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.classification.OneVsRest;
import org.junit.jupiter.api.Test;

class TrainSettingsTest {
  private static TrainSettings load(String... overrides) {
    return TrainSettings.from(TestSettings.load(overrides).config().dxpipe());
  }

  @Test
  void gridsExpandToEveryCombination() {
    TrainSettings s = load("train.grids.logistic-regression.reg-param=[0.1, 0.01]",
        "train.grids.logistic-regression.elastic-net-param=[0.0, 0.5, 1.0]");
    List<Map<String, Object>> grid = s.grids().get(Learner.LOGISTIC_REGRESSION);
    // by default both features columns: each one more grid dimension
    assertThat(s.featuresColumns()).containsExactly("features", "features_full");
    assertThat(grid).hasSize(12);
    assertThat(grid.get(0)).containsEntry("reg-param", 0.1).containsEntry("elastic-net-param", 0.0)
        .containsEntry(TrainSettings.FEATURES_COLUMN, "features");
    assertThat(grid.get(11)).containsEntry("reg-param", 0.01).containsEntry("elastic-net-param", 1.0)
        .containsEntry(TrainSettings.FEATURES_COLUMN, "features_full");
    assertThat(s.grids().get(Learner.PHENOTYPE)).as("the phenotype model reads the symptoms")
        .allSatisfy(p -> assertThat(p).doesNotContainKey(TrainSettings.FEATURES_COLUMN));
    assertThat(s.candidates()).contains(Learner.MLP, Learner.LOGISTIC_REGRESSION);
  }

  @Test
  void oneFeaturesColumnIsAStringOrAOneElementList() {
    assertThat(load("train.features-column=features_full").grids().get(Learner.RANDOM_FOREST))
        .extracting(p -> p.get(TrainSettings.FEATURES_COLUMN)).containsExactly("features_full");
    assertThat(load("train.features-column=[features]").featuresColumns()).containsExactly("features");
    assertThatThrownBy(() -> load("train.features-column=[features, pca]"))
        .hasMessageContaining("dxpipe.train.features-column must be features (PCA), features_full or a list of "
            + "them but names 'pca'");
    assertThatThrownBy(() -> load("train.features-column=[features, features]"))
        .hasMessageContaining("names a column twice");
    assertThatThrownBy(() -> load("train.features-column=[]")).hasMessageContaining("needs at least one column");
  }

  @Test
  void learnersTakeWeightsTheirOwnWay() {
    TrainSettings s = load("train.grids.mlp.hidden-layers=[[32, 16]]", "train.candidates=[mlp, gbt-ovr]");
    Map<String, Object> mlp = s.grids().get(Learner.MLP).get(0);
    MultilayerPerceptronClassifier perceptron = (MultilayerPerceptronClassifier) Learner.MLP.estimator(mlp, "w", 10,
        4, 1, 2);
    assertThat(perceptron.getLayers()).containsExactly(10, 32, 16, 4);
    assertThat(Learner.MLP.supportsWeightColumn()).isFalse();
    OneVsRest ovr = (OneVsRest) Learner.GBT_OVR.estimator(s.grids().get(Learner.GBT_OVR).get(0), "w", 10, 4, 1, 2);
    assertThat(ovr.getWeightCol()).isEqualTo("w");
    assertThat(ovr.getParallelism()).isEqualTo(2);
  }

  @Test
  void badSettingsNameTheKey() {
    assertThatThrownBy(() -> load("train.candidates=[logistic-regression, xgboost]"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dxpipe.train.candidates 'xgboost' is not a learner");
    assertThatThrownBy(() -> load("train.grids.random-forest.depth=[3]"))
        .hasMessageContaining("unknown configuration key 'dxpipe.train.grids.random-forest.depth'");
    assertThatThrownBy(() -> load("train.grids.mlp.hidden-layers=[64]"))
        .hasMessageContaining("dxpipe.train.grids.mlp.hidden-layers must be a list of layer-size lists");
    assertThatThrownBy(() -> load("train.candidates=[naive-bayes]", "train.grids.naive-bayes.model-type=[gaussian, multinomial]"))
        .hasMessageContaining("dxpipe.train.grids.naive-bayes.model-type must be [gaussian] but names 'multinomial'");
    assertThatThrownBy(() -> load("train.selection-metric=log_loss"))
        .hasMessageContaining("dxpipe.train.selection-metric must be one of");
    assertThatThrownBy(() -> load("train.cv.folds=1")).hasMessageContaining("dxpipe.train.cv.folds must be between 2");
  }
}
