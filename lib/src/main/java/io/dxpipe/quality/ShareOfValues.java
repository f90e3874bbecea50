package io.dxpipe.quality;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A check whose metric is the share of non-null values of its column that satisfy a condition,
 * required to be at least a minimum; offending values are listed with their counts.
 */
interface ShareOfValues extends Check {
  Column satisfied(EvaluationContext context);

  double minShare();

  @Override
  default List<Column> aggregates(EvaluationContext context) {
    return CheckFigures.shareAggregates(satisfied(context), col(column()).isNotNull());
  }

  @Override
  default Verdict verdict(Row values, long rows, EvaluationContext context) {
    double metric = CheckFigures.shareOf(values);
    return new Verdict(metric, metric >= minShare());
  }

  @Override
  default List<String> examples(Dataset<Row> data, EvaluationContext context, int limit) {
    return CheckFigures.valueCounts(data.filter(col(column()).isNotNull().and(satisfied(context).unary_$bang())),
        column(), limit);
  }
}
