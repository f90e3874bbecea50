package io.dxpipe.serve;

import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.DeclaredInputs;
import io.dxpipe.schema.Silver;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one SQL statement the row evaluator knows how to run in Java: the first stage of the feature
 * pipeline ({@code FeaturePipeline.prepare}), rebuilt here character for character for each default
 * severity the settings allow and the declared inputs ({@code dxpipe.inputs}) the statement names. A
 * model whose statement is not one of these is refused, so a changed
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

  /** The statement {@code FeaturePipeline.prepare} builds for this default severity, without declared inputs. */
  public static String expected(int defaultSeverity) {
    return expected(defaultSeverity, DeclaredInputs.NONE);
  }

  /** The statement {@code FeaturePipeline.prepare} builds for this default severity and these declared inputs. */
  public static String expected(int defaultSeverity, DeclaredInputs inputs) {
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
    return "SELECT *, " + String.join(", ", select) + declared(inputs) + " FROM __THIS__";
  }

  /** The feature column key of a declared input: its columns are {@code f_input_<name>} (and {@code _missing}). */
  public static String key(DeclaredInputs.Input input) {
    return INPUT_KEY + input.name();
  }

  /** The prefix of a declared input's feature key ({@link #key}). */
  public static final String INPUT_KEY = "input_";

  /**
   * The select list's part for the declared inputs, each read from the {@code inputs} map: a numeric
   * one cast to a double, an ordinal one as its level's position (case ignored; not a level: null),
   * both with a 0/1 missing indicator; a categorical one with "unknown" for null.
   */
  public static String declared(DeclaredInputs inputs) {
    StringBuilder sql = new StringBuilder();
    for (DeclaredInputs.Input in : inputs.inputs()) {
      String value = DeclaredInputs.COLUMN + "['" + in.name() + "']";
      String column = raw(key(in));
      switch (in.type()) {
        case NUMERIC -> {
          String number = "CAST(" + value + " AS DOUBLE)";
          sql.append(", ").append(number).append(" AS ").append(column);
          sql.append(", CAST(").append(number).append(" IS NULL AS DOUBLE) AS ").append(missing(key(in)));
        }
        case ORDINAL -> {
          StringBuilder position = new StringBuilder("CAST(CASE lower(" + value + ")");
          for (int i = 0; i < in.levels().size(); i++) {
            position.append(" WHEN '").append(in.levels().get(i)).append("' THEN ").append(i);
          }
          position.append(" END AS DOUBLE)");
          sql.append(", ").append(position).append(" AS ").append(column);
          sql.append(", CAST(").append(position).append(" IS NULL AS DOUBLE) AS ").append(missing(key(in)));
        }
        case CATEGORICAL -> sql.append(", COALESCE(").append(value).append(", 'unknown') AS ").append(column);
        default -> throw new IllegalStateException("input type " + in.type());
      }
    }
    return sql.toString();
  }

  /** What a statement of prepare's was built with. */
  record Recognised(int defaultSeverity, DeclaredInputs inputs) {}

  private static final String NAME = "(" + DeclaredInputs.NAME.pattern() + ")";
  private static final Pattern NUMERIC = Pattern.compile("\\G, CAST\\(inputs\\['" + NAME + "'\\] AS DOUBLE\\) AS f_input_\\1"
      + ", CAST\\(CAST\\(inputs\\['\\1'\\] AS DOUBLE\\) IS NULL AS DOUBLE\\) AS f_input_\\1_missing");
  private static final Pattern ORDINAL = Pattern.compile("\\G, CAST\\(CASE lower\\(inputs\\['" + NAME
      + "'\\]\\)((?: WHEN '[^']*' THEN \\d+)+) END AS DOUBLE\\) AS f_input_\\1, CAST\\(CAST\\(CASE lower\\(inputs\\['\\1'\\]\\)\\2"
      + " END AS DOUBLE\\) IS NULL AS DOUBLE\\) AS f_input_\\1_missing");
  private static final Pattern CATEGORICAL = Pattern.compile("\\G, COALESCE\\(inputs\\['" + NAME
      + "'\\], 'unknown'\\) AS f_input_\\1");
  private static final Pattern LEVEL = Pattern.compile(" WHEN '([^']*)' THEN \\d+");

  /**
   * The default severity and declared inputs the statement was built with, or empty when it is not a
   * statement of prepare's. The declared inputs are read back from the statement and the statement is
   * rebuilt from them: only a statement equal, character for character, to one {@link #expected}
   * builds is recognised.
   */
  static Optional<Recognised> recognise(String statement) {
    String end = " FROM __THIS__";
    for (int d = MIN_SEVERITY; d <= MAX_SEVERITY; d++) {
      String base = expected(d);
      String head = base.substring(0, base.length() - end.length());
      if (!statement.startsWith(head) || !statement.endsWith(end)) {
        continue;
      }
      String rest = statement.substring(head.length(), statement.length() - end.length());
      List<DeclaredInputs.Input> inputs = new ArrayList<>();
      Matcher numeric = NUMERIC.matcher(rest);
      Matcher ordinal = ORDINAL.matcher(rest);
      Matcher categorical = CATEGORICAL.matcher(rest);
      int at = 0;
      while (at < rest.length()) {
        if (numeric.find(at) && numeric.start() == at) {
          inputs.add(new DeclaredInputs.Input(numeric.group(1), DeclaredInputs.Type.NUMERIC, List.of()));
          at = numeric.end();
        } else if (ordinal.find(at) && ordinal.start() == at) {
          List<String> levels = new ArrayList<>();
          Matcher level = LEVEL.matcher(ordinal.group(2));
          while (level.find()) {
            levels.add(level.group(1));
          }
          inputs.add(new DeclaredInputs.Input(ordinal.group(1), DeclaredInputs.Type.ORDINAL, List.copyOf(levels)));
          at = ordinal.end();
        } else if (categorical.find(at) && categorical.start() == at) {
          inputs.add(new DeclaredInputs.Input(categorical.group(1), DeclaredInputs.Type.CATEGORICAL, List.of()));
          at = categorical.end();
        } else {
          return Optional.empty();
        }
      }
      DeclaredInputs declared = new DeclaredInputs(List.copyOf(inputs));
      if (expected(d, declared).equals(statement)) {
        return Optional.of(new Recognised(d, declared));
      }
    }
    return Optional.empty();
  }

  /** The declared inputs a fitted feature pipeline reads, from its SQL stage; none for a statement not of prepare's. */
  public static DeclaredInputs declaredInputs(String statement) {
    return recognise(statement).map(Recognised::inputs).orElse(DeclaredInputs.NONE);
  }
}
