package io.dxpipe.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dxpipe.evaluate.ClassificationMetrics;
import io.dxpipe.schema.Gold;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class MajorityBaselineTest {
  @Test
  void predictsTheMostFrequentTrainingClassEverywhere() {
    // training: class 1 is the majority (3 of 5); evaluation: 2 of class 1, 2 of class 0, 1 of class 2
    Dataset<Row> train = TrainFixtures.rows(3, List.of(TrainFixtures.row("t1", 1, 0, Gold.TRAIN),
        TrainFixtures.row("t2", 1, 0, Gold.TRAIN), TrainFixtures.row("t3", 1, 0, Gold.TRAIN),
        TrainFixtures.row("t4", 0, 0, Gold.TRAIN), TrainFixtures.row("t5", 2, 0, Gold.TRAIN)));
    Dataset<Row> evaluation = TrainFixtures.rows(3, List.of(TrainFixtures.row("v1", 1, 0, Gold.VALIDATION),
        TrainFixtures.row("v2", 1, 0, Gold.VALIDATION), TrainFixtures.row("v3", 0, 0, Gold.VALIDATION),
        TrainFixtures.row("v4", 0, 0, Gold.VALIDATION), TrainFixtures.row("v5", 2, 0, Gold.VALIDATION)));
    ClassificationMetrics m = MajorityBaseline.evaluate(train, evaluation, TrainFixtures.LABELS, Set.of(2));
    assertThat(m.records()).isEqualTo(5);
    assertThat(m.accuracy()).isCloseTo(0.4, within(1e-9));
    assertThat(m.perClass().get(1).recall()).isEqualTo(1.0);
    assertThat(m.perClass().get(0).recall()).isEqualTo(0.0);
    // the probabilities are the training shares (0.2, 0.6, 0.2): the true class is in the top 3 of 3 always
    assertThat(m.top3Accuracy()).isEqualTo(1.0);
  }
}
