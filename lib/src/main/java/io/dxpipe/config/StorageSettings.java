package io.dxpipe.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Paths;

/**
 * Storage locations as absolute URIs ({@code file:}, {@code wasb://}, {@code abfss://},
 * {@code dbfs:/}). A relative {@code file:} path is resolved against the working directory.
 */
public record StorageSettings(String root, String landing, String manifests, String bronze, String quarantine,
    String checkpoints, String ingestLog, String silver, String duplicates, String quality, String features, String aggregates,
    String models, String reports, String labels, String predictions, String scoringQuarantine, String monitoring) {

  static StorageSettings from(PipelineConfig config) {
    Keys keys = new Keys(config.dxpipe(), "storage");
    return new StorageSettings(
        uri(keys, "root"), uri(keys, "landing"), uri(keys, "manifests"), uri(keys, "bronze"), uri(keys, "quarantine"),
        uri(keys, "checkpoints"), uri(keys, "ingest-log"), uri(keys, "silver"), uri(keys, "duplicates"), uri(keys, "quality"),
        uri(keys, "features"), uri(keys, "aggregates"), uri(keys, "models"), uri(keys, "reports"), uri(keys, "labels"), uri(keys, "predictions"),
        uri(keys, "scoring-quarantine"), uri(keys, "monitoring"));
  }

  private static String uri(Keys keys, String key) {
    String value = keys.nonEmptyString(key);
    try {
      return absolute(value);
    } catch (IllegalArgumentException e) {
      throw keys.invalid(key, "is not a storage URI: '" + value + "' (" + e.getMessage() + ")");
    }
  }

  /** Normalises a location: plain and relative local paths become absolute file: URIs. */
  public static String absolute(String location) {
    String value = location.trim();
    if (value.startsWith("file:") && !value.startsWith("file:/")) {
      return Paths.get(value.substring("file:".length())).toAbsolutePath().normalize().toUri().toString()
          .replaceAll("/$", "");
    }
    if (!value.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
      return Paths.get(value).toAbsolutePath().normalize().toUri().toString().replaceAll("/$", "");
    }
    try {
      URI uri = new URI(value);
      if (uri.getScheme() == null) {
        throw new IllegalArgumentException("no scheme");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return value.replaceAll("/$", "");
  }
}
