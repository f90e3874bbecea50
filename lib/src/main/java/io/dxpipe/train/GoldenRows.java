package io.dxpipe.train;

import static org.apache.spark.sql.functions.col;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.features.FeaturePipeline;
import io.dxpipe.model.ModelLayout;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Predictions;
import io.dxpipe.score.TopClasses;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Training's golden rows: silver records of gold with what the batch path predicts for them
 * ({@code transform}, then the top 3 as the score job ranks them with {@link TopClasses}), written
 * as Parquet beside the model ({@link ModelLayout#goldenRows}). The online service evaluates them
 * with its row evaluator before it serves a model and refuses the model unless it gives the same
 * predicted code and top 3 codes with probabilities within 1e-12: a stage it does not know, or a
 * changed SQL statement, is then caught at load instead of answering wrongly.
 */
public final class GoldenRows {
  /** How many records: enough to reach most classes and every feature stage, a few seconds to check. */
  public static final int ROWS = 500;

  private GoldenRows() {}

  /** Writes the golden rows of {@code model} into the model folder; returns how many. */
  public static long write(PipelineModel model, Dataset<Row> gold, Dataset<Row> silver, String folder) {
    List<Column> input = new ArrayList<>();
    input.add(col(Bronze.RECORD_KEY));
    FeaturePipeline.inputColumns(model).forEach(c -> input.add(col(c)));
    Dataset<Row> records = silver.join(gold.select(Bronze.RECORD_KEY), Bronze.RECORD_KEY)
        .select(input.toArray(Column[]::new)).orderBy(Bronze.RECORD_KEY).limit(ROWS);
    Dataset<Row> scored = model.transform(records);
    boolean margins = !Arrays.asList(scored.columns()).contains("probability");
    IndexToString codes = (IndexToString) model.stages()[model.stages().length - 1];
    Column top3 = TopClasses.udf(List.of(codes.getLabels()), DiseaseCatalogue.fromClasspath().orphanCodes(), 3, margins)
        .apply(col(margins ? "rawPrediction" : "probability"));
    List<Column> out = new ArrayList<>(input);
    out.add(col(Predictions.PREDICTED_CODE));
    out.add(top3.as(Predictions.TOP3));
    String path = ModelLayout.goldenRows(folder);
    Dataset<Row> golden = scored.select(out.toArray(Column[]::new)).coalesce(1);
    golden.write().mode(SaveMode.Overwrite).parquet(path);
    return golden.sparkSession().read().parquet(path).count();
  }
}
