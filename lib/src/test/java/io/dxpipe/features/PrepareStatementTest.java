package io.dxpipe.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.serve.PrepareStatement;
import io.dxpipe.testing.TestSettings;
import org.junit.jupiter.api.Test;

/**
 * The row evaluator (io.dxpipe.serve) runs the SQL stage in Java and recognises it by its own copy
 * of the statement: when {@link FeaturePipeline#prepare} changes, this fails, so the evaluator's
 * Java logic is updated with it instead of refusing every new model in production.
 */
class PrepareStatementTest {
  @Test
  void theEvaluatorsCopyOfTheStatementIsPreparesForEveryDefaultSeverity() {
    FeatureSettings base = FeatureSettings.from(TestSettings.load().config().dxpipe());
    for (int d = 1; d <= 3; d++) {
      FeatureSettings s = new FeatureSettings(base.varianceToKeep(), base.maxComponents(), base.ageBins(), d,
          base.minTermRecords(), base.trainShare(), base.validationShare(), base.testShare(), base.splitSeed(),
          base.missingInput());
      assertThat(PrepareStatement.expected(d)).as("default severity %d", d)
          .isEqualTo(FeaturePipeline.prepare(s).getStatement());
    }
    assertThat(PrepareStatement.expected(1)).isNotEqualTo(PrepareStatement.expected(2));
  }
}
