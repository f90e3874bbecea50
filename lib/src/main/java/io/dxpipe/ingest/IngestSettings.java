package io.dxpipe.ingest;

import com.typesafe.config.Config;
import io.dxpipe.config.ConfigurationException;
import io.dxpipe.config.Environment;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings of the ingest job ({@code dxpipe.ingest}): the pseudonymization key, batching, and one
 * {@link SourceSettings} per landing folder. Serializable: shipped to executors.
 */
public record IngestSettings(
    byte[] patientKey,
    boolean developmentKey,
    int maxFilesPerBatch,
    long maxFileSize,
    java.time.Duration settleTime,
    int readAhead,
    int listingThreads,
    Map<String, SourceSettings> sources) implements Serializable {

  /** Used in local mode only when no key is configured; patient keys made with it are not secret. */
  public static final String DEVELOPMENT_KEY = "dxpipe-DEVELOPMENT-ONLY-patient-key-never-use-with-real-data";

  public static IngestSettings from(Config dxpipe, Environment environment) {
    Config c = dxpipe.getConfig("ingest");
    byte[] key;
    boolean development = false;
    if (c.hasPath("patient-key") && !c.getString("patient-key").isBlank()) {
      key = c.getString("patient-key").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      if (key.length < 32) {
        throw new ConfigurationException("dxpipe.ingest.patient-key is too short (" + key.length
            + " bytes): use at least 32 random bytes, e.g. openssl rand -base64 48");
      }
    } else if (environment == Environment.LOCAL) {
      key = DEVELOPMENT_KEY.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      development = true;
    } else {
      throw new ConfigurationException("dxpipe.ingest.patient-key is not set: the ingest job refuses to run outside "
          + "local mode without it. Set DXPIPE_PATIENT_KEY from a secret store (on Databricks, a cluster environment "
          + "variable DXPIPE_PATIENT_KEY={{secrets/<scope>/<key>}})");
    }
    int maxFiles = c.getInt("max-files-per-batch");
    if (maxFiles < 1) {
      throw new ConfigurationException("dxpipe.ingest.max-files-per-batch must be at least 1 but is " + maxFiles);
    }
    io.dxpipe.schema.DeclaredInputs declared = io.dxpipe.schema.DeclaredInputs.from(dxpipe);
    Map<String, SourceSettings> sources = new TreeMap<>();
    Config sourcesConfig = c.getConfig("sources");
    for (String name : sourcesConfig.root().keySet()) {
      sources.put(name, SourceSettings.from(name, sourcesConfig.getConfig(name), declared));
    }
    if (sources.isEmpty()) {
      throw new ConfigurationException("dxpipe.ingest.sources is empty: declare at least one source");
    }
    long maxFileSize = c.getBytes("max-file-bytes");
    if (maxFileSize < 1 || maxFileSize > Integer.MAX_VALUE - 8) {
      throw new ConfigurationException("dxpipe.ingest.max-file-bytes must be between 1 byte and 2g but is " + maxFileSize);
    }
    java.time.Duration settle = c.getDuration("settle-time");
    if (settle.isNegative()) {
      throw new ConfigurationException("dxpipe.ingest.settle-time must not be negative but is " + settle);
    }
    return new IngestSettings(key, development, maxFiles, maxFileSize, settle,
        positive(c, "read-ahead"), positive(c, "listing-threads"), Map.copyOf(sources));
  }

  private static int positive(Config c, String key) {
    int value = c.getInt(key);
    if (value < 1) {
      throw new ConfigurationException("dxpipe.ingest." + key + " must be at least 1 but is " + value);
    }
    return value;
  }
}
