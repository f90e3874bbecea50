package io.dxpipe.config;

import java.util.List;

/**
 * The settings every job shares, read and validated once at start-up from a {@link PipelineConfig}.
 * Construction fails with a {@link ConfigurationException} naming the first bad key. Each stage
 * reads its own section from {@link #config()} into its typed settings, in its own package.
 */
public record Settings(
    PipelineConfig config,
    Environment environment,
    StorageSettings storage,
    SparkSettings spark) {

  public static Settings load(String confFile, List<String> overrides) {
    return from(PipelineConfig.load(confFile, overrides));
  }

  public static Settings from(PipelineConfig config) {
    return new Settings(
        config,
        new Keys(config.dxpipe(), "").enumValue("environment", Environment.class),
        StorageSettings.from(config),
        SparkSettings.from(config));
  }
}
