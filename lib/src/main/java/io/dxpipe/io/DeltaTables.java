package io.dxpipe.io;

import io.delta.tables.DeltaTable;
import java.util.List;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/** Reads and idempotent writes of the pipeline's Delta tables, with errors that say what to run first. */
public final class DeltaTables {
  private DeltaTables() {}

  public static boolean exists(SparkSession spark, String path) {
    return DeltaTable.isDeltaTable(spark, path);
  }

  /**
   * The table at its latest version.
   *
   * @param producedBy the job that writes it, named in the error when the table does not exist
   */
  public static Dataset<Row> read(SparkSession spark, String path, String producedBy) {
    requireExists(spark, path, producedBy);
    return spark.read().format("delta").load(path);
  }

  /** The table, or no rows of {@code schema} when it does not exist yet (e.g. nothing was quarantined). */
  public static Dataset<Row> readOrEmpty(SparkSession spark, String path, org.apache.spark.sql.types.StructType schema) {
    return exists(spark, path) ? spark.read().format("delta").load(path)
        : spark.createDataFrame(java.util.List.of(), schema);
  }

  private static void requireExists(SparkSession spark, String path, String producedBy) {
    if (!exists(spark, path)) {
      throw new IllegalStateException("no Delta table at " + path + ": run " + producedBy + " first "
          + "(or check dxpipe.storage.* in the configuration)");
    }
  }

  /** The latest version of a table (its Delta commit number), for lineage and time travel. */
  public static long version(SparkSession spark, String path) {
    return DeltaTable.forPath(spark, path).history(1).select("version").first().getLong(0);
  }

  /**
   * The latest version of a table that must exist, for reading it pinned ({@link #read(SparkSession, String, long)}).
   *
   * @param producedBy the job that writes it, named in the error when the table does not exist
   */
  public static long version(SparkSession spark, String path, String producedBy) {
    requireExists(spark, path, producedBy);
    return version(spark, path);
  }

  /**
   * The table as of one version: every action on the result sees the same data even if another job
   * commits meanwhile, and the version recorded for lineage is the one read.
   */
  public static Dataset<Row> read(SparkSession spark, String path, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(path);
  }

  /**
   * Replaces data: the whole table when {@code replaceWhere} is null, else only the rows matching it
   * (e.g. one delivery date). Either way a re-run replaces its own output instead of adding to it.
   *
   * @param metadata recorded in the Delta commit's userMetadata (lineage: run id, inputs), or null
   */
  public static void replace(Dataset<Row> data, String path, List<String> partitionBy, String replaceWhere,
      CommitMetadata metadata) {
    DataFrameWriter<Row> writer = data.write().format("delta").mode(SaveMode.Overwrite)
        .partitionBy(partitionBy.toArray(String[]::new));
    if (metadata != null) {
      writer = writer.option("userMetadata", metadata.json());
    }
    if (replaceWhere != null && exists(data.sparkSession(), path)) {
      // mergeSchema: a table from before a column was added (silver's inputs) gains it
      writer = writer.option("replaceWhere", replaceWhere).option("mergeSchema", "true");
    } else {
      writer = writer.option("overwriteSchema", "true");
    }
    writer.save(path);
  }

  /**
   * {@link #replace}, returning the number of rows written, from Delta's {@code numOutputRows} metric
   * of the write's commit, so the output is not read again. A write that commits nothing (an empty
   * input may leave the table as it was) wrote 0 rows.
   */
  public static long replaceCounting(Dataset<Row> data, String path, List<String> partitionBy, String replaceWhere,
      CommitMetadata metadata) {
    SparkSession spark = data.sparkSession();
    long before = versionOrNone(spark, path);
    replace(data, path, partitionBy, replaceWhere, metadata);
    return rowsCommittedSince(spark, path, before);
  }

  /** The table's latest version, or -1 when there is no table yet: the "before" of {@link #rowsCommittedSince}. */
  public static long versionOrNone(SparkSession spark, String path) {
    return exists(spark, path) ? version(spark, path) : -1;
  }

  /**
   * The rows the latest commit wrote (Delta's {@code numOutputRows} metric), or 0 when nothing was
   * committed after version {@code before}: a count of the output taken from the write itself,
   * independent of any count of its input.
   */
  public static long rowsCommittedSince(SparkSession spark, String path, long before) {
    Row last = io.delta.tables.DeltaTable.forPath(spark, path).history(1).select("version", "operationMetrics")
        .first();
    if (last.getLong(0) == before) {
      return 0;
    }
    scala.collection.Map<String, String> metrics = last.getMap(1);
    if (!metrics.contains("numOutputRows")) {
      throw new IllegalStateException("the commit of version " + last.getLong(0) + " of " + path
          + " records no numOutputRows: " + metrics);
    }
    return Long.parseLong(metrics.apply("numOutputRows"));
  }
}
