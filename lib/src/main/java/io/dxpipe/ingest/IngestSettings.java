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
    long openCostInBytes,
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
    Map<String, SourceSettings> sources = new TreeMap<>();
    Config sourcesConfig = c.getConfig("sources");
    for (String name : sourcesConfig.root().keySet()) {
      sources.put(name, SourceSettings.from(name, sourcesConfig.getConfig(name)));
    }
    if (sources.isEmpty()) {
      throw new ConfigurationException("dxpipe.ingest.sources is empty: declare at least one source");
    }
    return new IngestSettings(key, development, maxFiles, c.getBytes("open-cost-in-bytes"), Map.copyOf(sources));
  }
}
