package io.dxpipe.quality;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The checks of one table. {@link #run} evaluates all of them in one aggregation pass over the data
 * (plus one small query per failing check for offending values) and returns their results; it never
 * throws on a failing check: the caller stores the results first, then applies {@link QualityReport#enforce()}.
 * Runs on the driver; the data is read once per pass, so callers cache data they reuse.
 */
public final class QualitySuite {
  private static final int EXAMPLES = 5;

  private final String table;
  private final List<CheckGroup> groups;

  public QualitySuite(String table, List<CheckGroup> groups) {
    this.table = table;
    this.groups = groups;
  }

  public String table() {
    return table;
  }

  public boolean isEmpty() {
    return groups.stream().allMatch(g -> g.checks().isEmpty());
  }

  /**
   * @param input what is evaluated, e.g. {@code "bronze@v3 deliveries=all"}: results of the same input
   *     replace each other when stored
   */
  public QualityReport run(Dataset<Row> data, String input, EvaluationContext context) {
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)));
    List<int[]> slices = new ArrayList<>();
    for (CheckGroup group : groups) {
      for (Check check : group.checks()) {
        List<Column> own = check.aggregates(context);
        slices.add(new int[] {aggregates.size(), own.size()});
        aggregates.addAll(own);
      }
    }
    Row values = data.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new)).first();
    long rows = values.getLong(0);
    List<CheckResult> results = new ArrayList<>();
    int i = 0;
    for (CheckGroup group : groups) {
      for (Check check : group.checks()) {
        int[] slice = slices.get(i++);
        Object[] own = new Object[slice[1]];
        for (int k = 0; k < slice[1]; k++) {
          own[k] = values.get(slice[0] + k);
        }
        Check.Verdict verdict = check.verdict(org.apache.spark.sql.RowFactory.create(own), rows, context);
        List<String> examples = verdict.passed() ? List.of() : check.examples(data, context, EXAMPLES);
        results.add(new CheckResult(group.name(), group.severity(), check, verdict.metric(), verdict.passed(), rows,
            examples));
      }
    }
    return new QualityReport(table, input, results);
  }
}
