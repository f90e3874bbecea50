package io.dxpipe.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.VectorAssembler;
import org.junit.jupiter.api.Test;

/** Which stages a prediction keeps ({@link RowEvaluator#forPrediction}): no Spark job needed. */
class RowEvaluatorPruneTest {
  @Test
  void stagesNobodyReadsAreLeftOutButAStageThatDropsRowsIsKept() {
    Transformer used = new VectorAssembler().setInputCols(new String[] {"a", "b"}).setOutputCol("prediction");
    Transformer unused = new VectorAssembler().setInputCols(new String[] {"a"}).setOutputCol("nobody_reads_this");
    Transformer skipping = new VectorAssembler().setInputCols(new String[] {"c"}).setOutputCol("nor_this")
        .setHandleInvalid("skip");
    Transformer last = new IndexToString().setInputCol("prediction").setOutputCol("predicted_code")
        .setLabels(new String[] {"x", "y"});
    List<Transformer> kept = RowEvaluator.prune(List.of(unused, skipping, used, last));
    assertThat(kept).containsExactly(skipping, used, last);
  }
}
