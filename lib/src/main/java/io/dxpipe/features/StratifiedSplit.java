package io.dxpipe.features;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.dxpipe.schema.Gold;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Assigns train / validation / test by person, so no person's records are in two splits (a person
 * with two diseases would otherwise be fitted on for one and tested on for the other), while every
 * split keeps the class mix of the whole as well as whole persons allow.
 *
 * <p>Each class has record targets: a class with n records gets round(n * test) test and
 * round(n * validation) validation records, each at least 1 when n >= 3 and the share is not 0; the
 * rest (at least 1) is train. A class with 2 records gets one train and one validation record, a
 * class with 1 record only a train record: they cannot be evaluated on test.
 *
 * <p>Persons with records of several classes (repeat visits with different diagnoses; few in real
 * sources) are assigned first, on the driver: rarest class first, then by a seeded hash, each to the
 * split whose targets of the person's classes are least filled (as a share of the target). The
 * persons with one class fill the remaining targets of that class in the order of a seeded hash of
 * the person (then record key): test first, then validation, then train, a whole person at a time;
 * the last of them goes to train when the class has no train record yet. With one record per person this is exactly the record-level
 * stratified split. Deterministic and independent of partitioning.
 */
public final class StratifiedSplit {
  private static final String PERSON = "_split_person";
  private static final String HASH = "_split_hash";
  private static final String RECORDS = "_split_records";
  private static final String TEST_LEFT = "_split_test_left";
  private static final String VALIDATION_LEFT = "_split_validation_left";
  private static final String TRAIN_NEEDED = "_split_train_needed";
  private static final List<String> SPLITS = List.of(Gold.TRAIN, Gold.VALIDATION, Gold.TEST);

  private StratifiedSplit() {}

  public static Dataset<Row> assign(Dataset<Row> records, String classColumn, Column person, String keyColumn,
      FeatureSettings settings) {
    SparkSession spark = records.sparkSession();
    Column[] output = outputColumns(records);
    // a record without a person is a person of its own: nothing to keep together
    Dataset<Row> keyed = records
        .withColumn(PERSON, org.apache.spark.sql.functions.coalesce(person.cast("string"),
            org.apache.spark.sql.functions.concat(lit("\u0000record:"), col(keyColumn))))
        .withColumn(HASH, xxhash64(person, lit(settings.splitSeed())));
    Dataset<Row> perPersonClass = keyed.groupBy(col(PERSON), col(classColumn))
        .agg(count(lit(1)).as(RECORDS), first(col(HASH)).as(HASH), min(col(keyColumn)).as(keyColumn));
    Dataset<Row> classesPerPerson = perPersonClass.groupBy(PERSON).agg(countDistinct(col(classColumn)).as("_k"));

    // class sizes and targets (driver: one row per class)
    Map<String, long[]> targets = new TreeMap<>();
    for (Row r : records.groupBy(col(classColumn)).count().collectAsList()) {
      targets.put(r.getString(0), targets(r.getLong(1), settings));
    }

    // persons with several classes, greedily on the driver
    Dataset<Row> mixedRows = perPersonClass.join(classesPerPerson.filter(col("_k").gt(1)), PERSON);
    Map<String, long[]> assigned = new HashMap<>();
    List<Row> mixedAssignments = assignMixed(mixedRows.select(PERSON, classColumn, RECORDS, HASH).collectAsList(),
        targets, assigned);

    // what the persons with one class still have to fill, per class
    List<Row> left = new ArrayList<>();
    targets.forEach((label, t) -> {
      long[] a = assigned.getOrDefault(label, new long[3]);
      left.add(RowFactory.create(label, Math.max(0, t[2] - a[2]), Math.max(0, t[1] - a[1]), a[0] == 0));
    });
    Dataset<Row> quotas = spark.createDataFrame(left, new StructType()
        .add(classColumn, DataTypes.StringType).add(TEST_LEFT, DataTypes.LongType)
        .add(VALIDATION_LEFT, DataTypes.LongType).add(TRAIN_NEEDED, DataTypes.BooleanType));

    WindowSpec byClass = Window.partitionBy(col(classColumn)).orderBy(col(HASH), col(keyColumn));
    Column before = sum(col(RECORDS)).over(byClass.rowsBetween(Window.unboundedPreceding(), -1));
    Column last = row_number().over(Window.partitionBy(col(classColumn))
        .orderBy(col(HASH).desc(), col(keyColumn).desc())).equalTo(1);
    Column startsAt = org.apache.spark.sql.functions.coalesce(before, lit(0L));
    Dataset<Row> single = perPersonClass.join(classesPerPerson.filter(col("_k").equalTo(1)), PERSON)
        .join(broadcast(quotas), classColumn)
        .withColumn("_last", last)
        .withColumn("_before", startsAt)
        .withColumn(Gold.SPLIT, when(col("_last").and(col(TRAIN_NEEDED)), lit(Gold.TRAIN))
            .when(col("_before").lt(col(TEST_LEFT)), lit(Gold.TEST))
            .when(col("_before").lt(col(TEST_LEFT).plus(col(VALIDATION_LEFT))), lit(Gold.VALIDATION))
            .otherwise(lit(Gold.TRAIN)))
        .select(PERSON, Gold.SPLIT);
    Dataset<Row> mixed = spark.createDataFrame(mixedAssignments, new StructType()
        .add(PERSON, DataTypes.StringType).add(Gold.SPLIT, DataTypes.StringType));

    return keyed.join(single.unionByName(mixed), PERSON).select(output);
  }

  private static Column[] outputColumns(Dataset<Row> records) {
    List<Column> columns = new ArrayList<>(Arrays.stream(records.columns()).map(c -> col(c)).toList());
    columns.add(col(Gold.SPLIT));
    return columns.toArray(Column[]::new);
  }

  /** Record targets of a class with n records, as {train, validation, test}. */
  static long[] targets(long n, FeatureSettings settings) {
    long test = n >= 3 ? share(n, settings.testShare()) : 0;
    long validation = n >= 3 ? Math.min(share(n, settings.validationShare()), n - 1 - test)
        : n == 2 && settings.validationShare() > 0 ? 1 : 0;
    return new long[] {n - test - validation, validation, test};
  }

  /** round(n * share), at least 1 if the share is not 0, leaving at least one record for the others. */
  private static long share(long n, double share) {
    if (share <= 0) {
      return 0;
    }
    return Math.min(Math.max(Math.round(n * share), 1), n - 2);
  }

  /**
   * Rows (person, class, records, hash) of persons with several classes -> (person, split); adds what
   * it assigned to {@code assigned} (class -> {train, validation, test} records).
   */
  private static List<Row> assignMixed(List<Row> rows, Map<String, long[]> targets, Map<String, long[]> assigned) {
    Map<String, Map<String, Long>> mix = new TreeMap<>();
    Map<String, Long> hashes = new HashMap<>();
    for (Row r : rows) {
      mix.computeIfAbsent(r.getString(0), k -> new LinkedHashMap<>()).put(r.getString(1), r.getLong(2));
      hashes.put(r.getString(0), r.getLong(3));
    }
    Comparator<String> rarestFirst = Comparator.comparingLong(
        (String p) -> mix.get(p).keySet().stream().mapToLong(c -> total(targets.get(c))).min().orElse(0))
        .thenComparingLong(hashes::get).thenComparing(Comparator.naturalOrder());
    List<Row> out = new ArrayList<>();
    mix.keySet().stream().sorted(rarestFirst).forEach(p -> {
      int best = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int s = 0; s < SPLITS.size(); s++) {
        // the share of the split's target of each of the person's classes still open after taking the
        // person (so the splits fill at the same pace, in proportion to their targets), rarer classes
        // weighing more; a target of 0 counts as 1, so taking records there is strongly negative
        double score = 0;
        for (Map.Entry<String, Long> e : mix.get(p).entrySet()) {
          long[] t = targets.get(e.getKey());
          long[] a = assigned.getOrDefault(e.getKey(), new long[3]);
          score += (double) (t[s] - a[s] - e.getValue()) / Math.max(t[s], 1) / total(t);
        }
        if (score > bestScore) { // ties keep the earlier split: train, then validation
          best = s;
          bestScore = score;
        }
      }
      for (Map.Entry<String, Long> e : mix.get(p).entrySet()) {
        assigned.computeIfAbsent(e.getKey(), k -> new long[3])[best] += e.getValue();
      }
      out.add(RowFactory.create(p, SPLITS.get(best)));
    });
    return out;
  }

  private static long total(long[] t) {
    return t[0] + t[1] + t[2];
  }
}
