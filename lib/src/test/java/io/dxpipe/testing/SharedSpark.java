package io.dxpipe.testing;

import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of a test JVM (creating one per test makes the suite slow): local[2],
 * two shuffle partitions, no UI, loopback only, Delta enabled. Created on first use, stopped by
 * the JVM's shutdown hook.
 */
public final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      session = SparkSession.builder()
          .appName("dxpipe-tests")
          .master("local[2]")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.databricks.delta.snapshotPartitions", "2")
          .config("spark.default.parallelism", "2")
          .config("spark.ui.enabled", "false")
          .config("spark.ui.showConsoleProgress", "false")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.session.timeZone", "UTC")
          .config("spark.hadoop.fs.file.impl", io.dxpipe.io.NoForkLocalFileSystem.class.getName())
          .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .getOrCreate();
    }
    return session;
  }
}
