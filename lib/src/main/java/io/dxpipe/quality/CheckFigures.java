package io.dxpipe.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** What several check types compute alike: default names, shares and offending values. */
final class CheckFigures {
  private CheckFigures() {}

  static String nameOr(String name, String type, String column) {
    return name != null ? name : type + "(" + column + ")";
  }

  static String share(double value) {
    return String.format(Locale.ROOT, "%.4g", value);
  }

  /** Share of rows where the condition holds among rows where {@code of} holds (1 when none). */
  static List<Column> shareAggregates(Column condition, Column of) {
    return List.of(sum(when(of.and(condition), 1).otherwise(0)), sum(when(of, 1).otherwise(0)));
  }

  static double shareOf(Row values) {
    long hits = values.isNullAt(0) ? 0 : values.getLong(0);
    long total = values.isNullAt(1) ? 0 : values.getLong(1);
    return total == 0 ? 1.0 : (double) hits / total;
  }

  /** Distinct offending values with their counts, most frequent first. */
  static List<String> valueCounts(Dataset<Row> offending, String column, int limit) {
    return offending.groupBy(col(column)).count().orderBy(col("count").desc(), col(column)).limit(limit)
        .collectAsList().stream().map(r -> r.get(0) + " (" + r.getLong(1) + ")").collect(Collectors.toList());
  }
}
