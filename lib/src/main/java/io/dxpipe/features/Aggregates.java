package io.dxpipe.features;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.stddev;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.dxpipe.catalogue.Disease;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Gold;
import io.dxpipe.schema.Silver;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import io.dxpipe.spark.SparkCompat;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/** The analysts' summary tables: per disease and per delivery day. Pure transforms over the zone tables. */
public final class Aggregates {
  private Aggregates() {}

  public static final int TOP_SYMPTOMS = 5;

  /**
   * Per diagnosed disease: records and share, orphan flag, age distribution, female share, mean and
   * standard deviation of each vital sign, and the most frequent symptoms with their share of records.
   */
  public static Dataset<Row> diseaseSummary(SparkSession spark, Dataset<Row> labelled, DiseaseCatalogue catalogue) {
    List<Column> aggs = new ArrayList<>();
    aggs.add(round(avg(col(Bronze.AGE)), 1).as("age_mean"));
    aggs.add(percentile_approx(col(Bronze.AGE), lit(0.25), lit(10000)).as("age_p25"));
    aggs.add(percentile_approx(col(Bronze.AGE), lit(0.5), lit(10000)).as("age_median"));
    aggs.add(percentile_approx(col(Bronze.AGE), lit(0.75), lit(10000)).as("age_p75"));
    aggs.add(round(avg(when(col(Bronze.GENDER).equalTo("female"), 1.0).when(col(Bronze.GENDER).isNotNull(), 0.0)), 3)
        .as("female_share"));
    for (String vital : Silver.VITAL_COLUMNS) {
      aggs.add(round(avg(col(vital)), 2).as(vital + "_mean"));
      aggs.add(round(stddev(col(vital)), 2).as(vital + "_stddev"));
    }
    Dataset<Row> stats = labelled.groupBy(col(Bronze.DIAGNOSIS_CODE))
        .agg(count(lit(1)).as("records"), aggs.toArray(Column[]::new));

    Dataset<Row> symptomCounts = labelled
        .select(col(Bronze.DIAGNOSIS_CODE), explode(col(Bronze.SYMPTOMS)).as("s"))
        .groupBy(col(Bronze.DIAGNOSIS_CODE), col("s." + Bronze.SYMPTOM_NAME).as("symptom")).count();
    Dataset<Row> top = symptomCounts
        .withColumn("rank", row_number().over(Window.partitionBy(Bronze.DIAGNOSIS_CODE)
            .orderBy(col("count").desc(), col("symptom"))))
        .filter(col("rank").leq(TOP_SYMPTOMS))
        .groupBy(col(Bronze.DIAGNOSIS_CODE))
        .agg(org.apache.spark.sql.functions.array_sort(collect_list(struct(col("rank"), col("symptom"), col("count"))))
            .as("top"));

    List<Row> diseases = new ArrayList<>();
    for (Disease d : catalogue.diseases()) {
      diseases.add(org.apache.spark.sql.RowFactory.create(d.code(), d.name(), d.isOrphan()));
    }
    Dataset<Row> names = spark.createDataFrame(diseases, new org.apache.spark.sql.types.StructType()
        .add(Bronze.DIAGNOSIS_CODE, "string").add("disease_name", "string").add(Gold.IS_ORPHAN, "boolean"));
    long total = labelled.count();
    return stats.join(top, SparkCompat.columns(Bronze.DIAGNOSIS_CODE), "left").join(names, SparkCompat.columns(Bronze.DIAGNOSIS_CODE), "left")
        .withColumn("share", round(col("records").divide(lit(Math.max(total, 1))), 5))
        .withColumn("top_symptoms", org.apache.spark.sql.functions.transform(
            coalesce(col("top"), org.apache.spark.sql.functions.array().cast(top.schema().apply("top").dataType())),
            t -> struct(t.getField("symptom").as("symptom"),
                round(t.getField("count").divide(col("records")), 3).as("share_of_records"))))
        .withColumn(Gold.IS_ORPHAN, coalesce(col(Gold.IS_ORPHAN), lit(false)))
        .drop("top")
        .orderBy(col("records").desc(), col(Bronze.DIAGNOSIS_CODE));
  }

  /**
   * Per delivery date: records ingested to bronze and quarantined (and the quarantine share), silver
   * records, duplicates removed, records with a cleaning flag, and labelled records.
   */
  public static Dataset<Row> dailySummary(Dataset<Row> bronze, Dataset<Row> quarantine, Dataset<Row> silver,
      Dataset<Row> duplicates) {
    String day = Bronze.DELIVERY_DATE;
    Dataset<Row> b = bronze.groupBy(day).agg(count(lit(1)).as("bronze_records"));
    Dataset<Row> q = quarantine.groupBy(day).agg(count(lit(1)).as("quarantined_records"));
    Dataset<Row> s = silver.groupBy(day).agg(count(lit(1)).as("silver_records"),
        sum(when(size(col(Silver.QUALITY_FLAGS)).gt(0), 1).otherwise(0)).as("flagged_records"),
        sum(when(col(Bronze.DIAGNOSIS_CODE).isNotNull(), 1).otherwise(0)).as("labelled_records"));
    Dataset<Row> d = duplicates.groupBy(day).agg(count(lit(1)).as("duplicates_removed"));
    Dataset<Row> joined = b.join(q, SparkCompat.columns(day), "full_outer").join(s, SparkCompat.columns(day), "full_outer")
        .join(d, SparkCompat.columns(day), "full_outer")
        .na().fill(0, SparkCompat.columns("bronze_records", "quarantined_records", "silver_records", "flagged_records",
            "labelled_records", "duplicates_removed"));
    return joined
        .withColumn("quarantine_share", round(col("quarantined_records").divide(
            col("bronze_records").plus(col("quarantined_records"))), 5))
        .filter(col(day).isNotNull())
        .orderBy(col(day));
  }

}
