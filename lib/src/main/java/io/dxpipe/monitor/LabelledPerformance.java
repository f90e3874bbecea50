package io.dxpipe.monitor;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.dxpipe.config.Secrets;
import io.dxpipe.io.StorageFiles;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.DelayedLabels;
import io.dxpipe.schema.Monitoring;
import io.dxpipe.schema.Predictions;
import java.io.PrintStream;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The model's performance on the days whose confirmed diagnoses (delayed labels, {@link DelayedLabels})
 * have arrived: the labels matched by record key to the predictions of the last
 * {@code dxpipe.monitor.performance.days} scoring days give per day the accuracy, macro-F1 and
 * orphan macro-recall, judged against the model's test figures in the baseline. Spark does the
 * matching and counting; only per-day, per-class counts reach the driver.
 */
final class LabelledPerformance {
  private static final String TRUTH = "truth";

  private final MonitorSettings monitor;
  private final Set<String> orphans;

  /** @param orphans the orphan disease codes (orphan recall is over these) */
  LabelledPerformance(MonitorSettings monitor, Set<String> orphans) {
    this.monitor = monitor;
    this.orphans = orphans;
  }

  /**
   * The figures of each labelled day up to {@code date}; none, with a line on {@code out}, when no
   * labels have arrived.
   *
   * @param predictions the predictions table (all days)
   */
  List<Finding> measure(SparkSession spark, StorageFiles files, String labelsPath, Dataset<Row> predictions,
      LocalDate date, Profile baseline, PrintStream out) {
    if (!files.exists(labelsPath)) {
      out.println("[dxpipe] no delayed labels at " + Secrets.mask(labelsPath) + ": performance not measured");
      return List.of();
    }
    return findings(countsPerDay(predictions, labels(spark, labelsPath), date), baseline);
  }

  /** Every label CSV below the path, read with the declared schema: record key and the true code, once per record. */
  static Dataset<Row> labels(SparkSession spark, String labelsPath) {
    return spark.read().schema(DelayedLabels.SCHEMA).option("header", "true")
        .option("enforceSchema", "false").option("recursiveFileLookup", "true")
        .option("pathGlobFilter", "*.csv").csv(labelsPath)
        .select(Bronze.recordKey(col(DelayedLabels.SOURCE), col(DelayedLabels.SOURCE_RECORD_ID))
            .as(Bronze.RECORD_KEY), col(DelayedLabels.DIAGNOSIS_CODE).as(TRUTH))
        .dropDuplicates(Bronze.RECORD_KEY);
  }

  /**
   * Per scoring day in the window and per class: {records of the class, records predicted as it,
   * correct ones}, over the predictions that have a label.
   */
  Map<LocalDate, Map<String, long[]>> countsPerDay(Dataset<Row> predictions, Dataset<Row> labels, LocalDate date) {
    Dataset<Row> matched = predictions
        .filter(col(Predictions.SCORING_DATE).between(lit(Date.valueOf(date.minusDays(monitor.performanceDays() - 1))),
            lit(Date.valueOf(date))))
        .select(Predictions.SCORING_DATE, Bronze.RECORD_KEY, Predictions.PREDICTED_CODE)
        .join(labels, Bronze.RECORD_KEY);
    Map<LocalDate, Map<String, long[]>> perDay = new TreeMap<>();
    for (Row r : matched.groupBy(col(Predictions.SCORING_DATE), col(TRUTH).as("class")).agg(count(lit(1)),
        sum(when(col(TRUTH).equalTo(col(Predictions.PREDICTED_CODE)), 1L).otherwise(0L))).collectAsList()) {
      long[] c = perDay.computeIfAbsent(r.getDate(0).toLocalDate(), d -> new HashMap<>())
          .computeIfAbsent(r.getString(1), k -> new long[3]);
      c[0] = r.getLong(2);
      c[2] = r.getLong(3);
    }
    for (Row r : matched.groupBy(col(Predictions.SCORING_DATE), col(Predictions.PREDICTED_CODE)).count()
        .collectAsList()) {
      perDay.computeIfAbsent(r.getDate(0).toLocalDate(), d -> new HashMap<>())
          .computeIfAbsent(r.getString(1), k -> new long[3])[1] = r.getLong(2);
    }
    return perDay;
  }

  /** The figures of each day from its counts, judged against the baseline's test metrics. */
  List<Finding> findings(Map<LocalDate, Map<String, long[]>> perDay, Profile baseline) {
    MonitorSettings.Thresholds t = monitor.thresholds();
    Double testF1 = baseline.performance().get("macro_f1");
    Double loggedOrphan = baseline.performance().get("orphan_macro_recall");
    // NaN: the model's test set had no orphan class, so there is nothing to judge a day's against
    Double testOrphan = loggedOrphan == null || loggedOrphan.isNaN() ? null : loggedOrphan;
    List<Finding> f = new ArrayList<>();
    perDay.forEach((day, classes) -> {
      DayPerformance p = DayPerformance.of(classes, orphans);
      boolean judged = p.labelled() >= monitor.minLabelled();
      boolean orphansJudged = judged && p.orphanLabelled() >= monitor.minOrphanLabelled();
      String few = judged ? null : "fewer than " + monitor.minLabelled() + " labelled records: not judged";
      f.add(new Finding(day, Monitoring.PERFORMANCE, null, "labelled", p.labelled(), null, null, false, p.labelled(),
          null));
      f.add(new Finding(day, Monitoring.PERFORMANCE, null, "accuracy", p.accuracy(),
          baseline.performance().get("accuracy"), null, false, p.labelled(), few));
      f.add(new Finding(day, Monitoring.PERFORMANCE, null, "macro_f1", p.macroF1(), testF1,
          testF1 == null ? null : testF1 - t.macroF1Drop(),
          judged && testF1 != null && p.macroF1() < testF1 - t.macroF1Drop(), p.labelled(), few));
      f.add(new Finding(day, Monitoring.PERFORMANCE, null, "orphan_macro_recall", p.orphanRecall(), testOrphan,
          testOrphan == null ? null : testOrphan - t.orphanRecallDrop(),
          orphansJudged && testOrphan != null && p.orphanRecall() < testOrphan - t.orphanRecallDrop(),
          p.orphanLabelled(), orphansJudged ? null : "fewer than " + monitor.minOrphanLabelled()
              + " labelled orphan records: not judged"));
    });
    return f;
  }
}
