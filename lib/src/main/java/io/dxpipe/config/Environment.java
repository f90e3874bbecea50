package io.dxpipe.config;

/** Where a job runs; only LOCAL may use development fallbacks such as a development HMAC key. */
public enum Environment {
  LOCAL,
  CLUSTER,
  DATABRICKS,
  HDINSIGHT
}
