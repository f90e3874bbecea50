package io.dxpipe.serve;

import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Silver;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * The one SQL statement the row evaluator knows how to run in Java: the first stage of the feature
 * pipeline ({@code FeaturePipeline.prepare}), rebuilt here character for character for each default
 * severity the settings allow. A model whose statement is not one of these is refused, so a changed
 * statement cannot be evaluated with stale Java logic; {@code PrepareStatementTest} (in the features
 * package) fails when {@code FeaturePipeline.prepare} and this copy drift apart.
 */
public final class PrepareStatement {
  private PrepareStatement() {}

  static final String PREFIX = "f_";
  static final String SYMPTOM_TERMS = PREFIX + "symptom_terms";
  static final String HISTORY_TERMS = PREFIX + "history_terms";
  /** The range {@code features.default-severity} is validated to. */
  static final int MIN_SEVERITY = 1;
  static final int MAX_SEVERITY = 3;

  static String raw(String column) {
    return PREFIX + column;
  }

  static String missing(String column) {
    return PREFIX + column + "_missing";
  }

  /** The statement {@code FeaturePipeline.prepare} builds for this default severity. */
  public static String expected(int defaultSeverity) {
    List<String> select = new ArrayList<>();
    for (String c : Silver.NUMERIC_COLUMNS) {
      select.add("CAST(" + c + " AS DOUBLE) AS " + raw(c));
      select.add("CAST(" + c + " IS NULL AS DOUBLE) AS " + missing(c));
    }
    for (String c : Silver.CATEGORICAL_COLUMNS) {
      select.add("COALESCE(" + c + ", 'unknown') AS " + raw(c));
    }
    select.add(String.format(Locale.ROOT,
        "flatten(transform(%s, s -> array_repeat(CAST(s.%s AS STRING), CAST(COALESCE(s.%s, %d) AS INT)))) AS %s",
        Bronze.SYMPTOMS, Bronze.SYMPTOM_NAME, Bronze.SYMPTOM_SEVERITY, defaultSeverity, SYMPTOM_TERMS));
    select.add("COALESCE(" + Bronze.PREVIOUS_DIAGNOSES + ", array()) AS " + HISTORY_TERMS);
    return "SELECT *, " + String.join(", ", select) + " FROM __THIS__";
  }

  /** The default severity the statement was built with, or empty when it is not a statement of prepare's. */
  static OptionalInt recognise(String statement) {
    for (int d = MIN_SEVERITY; d <= MAX_SEVERITY; d++) {
      if (expected(d).equals(statement)) {
        return OptionalInt.of(d);
      }
    }
    return OptionalInt.empty();
  }
}
