package io.dxpipe.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.dxpipe.schema.DeclaredInputs;
import io.dxpipe.serve.PrepareStatement;
import java.util.List;
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
          base.missingInput(), base.inputs(), base.excludeInputs());
      assertThat(PrepareStatement.expected(d)).as("default severity %d", d)
          .isEqualTo(FeaturePipeline.prepare(s).getStatement());
    }
    assertThat(PrepareStatement.expected(1)).isNotEqualTo(PrepareStatement.expected(2));
  }

  @Test
  void withDeclaredInputsTheStatementIsRecognisedAndItsInputsReadBackFromIt() {
    DeclaredInputs declared = DeclaredInputs.from(ConfigFactory.parseString("inputs {\n"
        + "  bp_category { type = ordinal, levels = [low, normal, high] }\n"
        + "  cholesterol_mg_dl { type = numeric }\n"
        + "  smoking { type = categorical }\n}"));
    FeatureSettings s = FeatureSettings.from(TestSettings.load().config().dxpipe()).withInputs(declared);
    String statement = FeaturePipeline.prepare(s).getStatement();
    assertThat(statement).isEqualTo(PrepareStatement.expected(s.defaultSeverity(), declared))
        .contains("CAST(CASE lower(inputs['bp_category']) WHEN 'low' THEN 0 WHEN 'normal' THEN 1 WHEN 'high' THEN 2"
            + " END AS DOUBLE) AS f_input_bp_category")
        .contains("CAST(inputs['cholesterol_mg_dl'] AS DOUBLE) AS f_input_cholesterol_mg_dl")
        .contains("COALESCE(inputs['smoking'], 'unknown') AS f_input_smoking");
    assertThat(PrepareStatement.declaredInputs(statement)).isEqualTo(declared);
    assertThat(PrepareStatement.declaredInputs(PrepareStatement.expected(2))).isEqualTo(DeclaredInputs.NONE);

    // anything else in the declared part is not prepare's statement: nothing is read back from it
    for (String changed : List.of(
        statement.replace("THEN 2 END", "THEN 3 END"),
        statement.replace("AS f_input_smoking", "AS f_input_smoker"),
        statement.replace(" FROM __THIS__", ", 1 AS x FROM __THIS__"),
        statement.replace("COALESCE(inputs['smoking'], 'unknown')", "COALESCE(inputs['smoking'], 'none')"))) {
      assertThat(changed).isNotEqualTo(statement);
      assertThat(PrepareStatement.declaredInputs(changed)).as(changed).isEqualTo(DeclaredInputs.NONE);
    }
  }
}
