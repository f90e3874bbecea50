package io.dxpipe.testing;

import static org.apache.spark.sql.functions.col;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.clean.CleanSettings;
import io.dxpipe.clean.SilverBuilder;
import io.dxpipe.config.Settings;
import io.dxpipe.features.FeaturePipeline;
import io.dxpipe.features.FeatureSettings;
import io.dxpipe.generate.BronzeSynthesizer;
import io.dxpipe.generate.GenerateSettings;
import io.dxpipe.model.ModelLayout;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import io.dxpipe.schema.Predictions;
import io.dxpipe.train.GoldenRows;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A model of the train job's shape (fitted feature stages, a logistic regression, the index-to-code
 * stage) on 800 generated, cleaned records, for the online service's tests: saved where the train job
 * saves one, with its golden rows beside it, as the train job writes them.
 */
public final class ServingFixture {
  public static final byte[] KEY = "test-patient-key-0123456789-0123456789-abcdefgh".getBytes(StandardCharsets.UTF_8);

  /** The fitted model, its silver records (the golden rows' source) and the settings it was made with. */
  public record Fixture(PipelineModel model, Dataset<Row> silver, SilverBuilder cleaning) {
    /** Saves the model as train run {@code run} under {@code modelsRoot}, with golden rows; returns the sparkml path. */
    public String save(String modelsRoot, String run) {
      String path = ModelLayout.sparkModel(ModelLayout.folder(modelsRoot, run));
      try {
        model.write().overwrite().save(path);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      GoldenRows.write(model, silver.select(Bronze.RECORD_KEY), silver, ModelLayout.folder(modelsRoot, run));
      return path;
    }
  }

  private ServingFixture() {}

  public static Fixture fit(SparkSession spark, Settings s) {
    DiseaseCatalogue catalogue = DiseaseCatalogue.fromClasspath();
    SilverBuilder cleaning = SilverBuilder.load(CleanSettings.from(s.config().dxpipe()), catalogue);
    Dataset<Row> silver = cleaning.clean(BronzeSynthesizer.records(spark, catalogue, GenerateSettings.from(s.config()),
        KEY, "test")).filter(col(Bronze.DIAGNOSIS_CODE).isNotNull()).cache();
    FeaturePipeline.Fitted features = FeaturePipeline.fit(silver, FeatureSettings.from(s.config().dxpipe()));
    StringIndexerModel labels = new StringIndexer().setInputCol(Bronze.DIAGNOSIS_CODE).setOutputCol(Gold.LABEL)
        .fit(silver);
    Dataset<Row> training = labels.transform(features.model().transform(silver));
    List<PipelineStage> stages = new ArrayList<>(List.of(features.model().stages()));
    stages.add(new LogisticRegression().setMaxIter(15).setFeaturesCol(Gold.FEATURES).setLabelCol(Gold.LABEL)
        .fit(training));
    stages.add(new IndexToString().setInputCol(ModelLayout.PREDICTION).setOutputCol(Predictions.PREDICTED_CODE)
        .setLabels(labels.labelsArray()[0]));
    PipelineModel model = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(silver.limit(0));
    return new Fixture(model, silver, cleaning);
  }
}
