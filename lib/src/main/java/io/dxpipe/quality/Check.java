package io.dxpipe.quality;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One declarative rule over a table, in the spirit of a Deequ constraint. A check contributes
 * aggregate expressions to the single pass {@link QualitySuite} makes over the data, turns their
 * values into a metric and a verdict, and, when it fails, can show offending values.
 */
public interface Check extends Serializable {

  /** Config name of the type ({@code completeness}, {@code range}, ...). */
  String type();

  /** Display name, unique within its table ({@code completeness(age)} unless configured). */
  String name();

  /** The column checked, or null (row-count, quarantine-share). */
  String column();

  /** The constraint in words, e.g. {@code ">= 0.98"}, for the results table and messages. */
  String constraint();

  /** Aggregates to evaluate over the data; their values come back to {@link #verdict} in this order. */
  List<Column> aggregates(EvaluationContext context);

  /** The metric and whether it meets the constraint, from the values of {@link #aggregates}. */
  Verdict verdict(Row values, long rows, EvaluationContext context);

  /** A few offending values (with counts where useful), evaluated only when the check fails. */
  List<String> examples(Dataset<Row> data, EvaluationContext context, int limit);

  /** The metric of a check and whether it passed. */
  record Verdict(Double metric, boolean passed) {}
}
