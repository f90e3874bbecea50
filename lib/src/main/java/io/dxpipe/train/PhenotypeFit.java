package io.dxpipe.train;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.features.FeaturePipeline;
import io.dxpipe.schema.Gold;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Fits the {@code phenotype} candidate: a {@link PhenotypeModel} over the catalogue's diseases,
 * blended with the fitted records' counts, as two standard stages: the binary set of the record's
 * catalogue symptoms ({@link FeaturePipeline#SYMPTOM_TERMS}, the feature pipeline's first stage's
 * output, into {@link #FEATURES}) and the multinomial logistic regression that is the naive Bayes.
 * Its classes are the training labels, in their index order, then every other catalogue disease
 * ({@link PhenotypeModel#classes}), so it ranks all diseases, including those without a record.
 * Class weights do not apply: the model's class prior is its own ({@code prior}: uniform over the
 * diseases, the balanced choice, or leaning towards the diseases with records).
 */
final class PhenotypeFit {
  /** The binary symptom vector the phenotype classifier reads. */
  static final String FEATURES = "phenotype_features";

  private PhenotypeFit() {}

  /** The model's classes for training labels {@code labels}. */
  static List<String> classes(List<String> labels) {
    return PhenotypeModel.classes(labels, DiseaseCatalogue.fromClasspath());
  }

  /** Settings of one grid point: presentation, background, strength and prior; the other two at their defaults. */
  static PhenotypeModel.Settings settings(Map<String, Object> params) {
    PhenotypeModel.Settings d = PhenotypeModel.DEFAULTS;
    return new PhenotypeModel.Settings(num(params, "presentation", d.presentation()),
        num(params, "background", d.background()), d.excluded(), num(params, "strength", d.strength()),
        d.maxProbability(), num(params, "prior", d.prior()));
  }

  private static double num(Map<String, Object> params, String key, double otherwise) {
    return params.get(key) instanceof Number n ? n.doubleValue() : otherwise;
  }

  /**
   * Fitted on {@code data} ({@link Gold#LABEL} and {@link FeaturePipeline#SYMPTOM_TERMS}): the
   * vectorizer and the classifier as one {@link PipelineModel}.
   */
  static PipelineModel fit(Map<String, Object> params, Dataset<Row> data, List<String> labels) {
    DiseaseCatalogue catalogue = DiseaseCatalogue.fromClasspath();
    PhenotypeModel model = PhenotypeModel.build(catalogue, PhenotypeModel.classes(labels, catalogue),
        counts(data, labels), settings(params));
    LogisticRegressionModel classifier = model.classifier();
    classifier.setFeaturesCol(FEATURES);
    PipelineStage[] stages = {model.vectorizer(FeaturePipeline.SYMPTOM_TERMS, FEATURES), classifier};
    // transformers only: fit checks the schema and assembles them, no Spark job
    return new Pipeline().setStages(stages).fit(data.limit(0));
  }

  /** Records per label and, per label, records with each symptom (a record counts once per symptom). */
  static PhenotypeModel.Counts counts(Dataset<Row> data, List<String> labels) {
    Map<String, Long> records = new HashMap<>();
    for (Row r : data.groupBy(Gold.LABEL).count().collectAsList()) {
      records.put(labels.get((int) r.getDouble(0)), r.getLong(1));
    }
    Map<String, Map<String, Long>> withSymptom = new HashMap<>();
    for (Row r : data.select(col(Gold.LABEL), explode(array_distinct(col(FeaturePipeline.SYMPTOM_TERMS))).as("term"))
        .groupBy(Gold.LABEL, "term").count().collectAsList()) {
      withSymptom.computeIfAbsent(labels.get((int) r.getDouble(0)), c -> new HashMap<>()).put(r.getString(1),
          r.getLong(2));
    }
    return new PhenotypeModel.Counts(records, withSymptom);
  }
}
