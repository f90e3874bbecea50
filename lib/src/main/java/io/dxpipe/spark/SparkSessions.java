package io.dxpipe.spark;

import io.dxpipe.config.SparkSettings;
import io.dxpipe.io.NoForkLocalFileSystem;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the job's SparkSession with Delta Lake enabled. The master comes from spark-submit or the
 * cluster when set there; {@code dxpipe.spark.master} applies only when nothing else set one.
 */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession create(String appName, SparkSettings settings) {
    SparkConf launched = new SparkConf(); // what spark-submit / the cluster passed as spark.* properties
    SparkSession.Builder builder = SparkSession.builder().appName("dxpipe-" + appName);
    if (!launched.contains("spark.master") && !settings.master().isBlank()) {
      builder.master(settings.master());
    }
    builder.config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    builder.config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    builder.config("spark.sql.session.timeZone", "UTC");
    // file: listings without a forked `ls` per file (see NoForkLocalFileSystem)
    builder.config("spark.hadoop.fs.file.impl", NoForkLocalFileSystem.class.getName());
    for (Map.Entry<String, String> e : settings.conf().entrySet()) {
      builder.config(e.getKey(), e.getValue());
    }
    return builder.getOrCreate();
  }
}
