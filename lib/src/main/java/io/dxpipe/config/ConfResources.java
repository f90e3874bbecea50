package io.dxpipe.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Reads files that configuration names, such as vocabulary mappings, on the driver: a path if it
 * exists (relative to the working directory; on Databricks {@code /dbfs/...} and {@code /Workspace/...}
 * are such paths), otherwise the file of that name bundled in the job jar
 * ({@code conf/vocabulary/symptoms.csv}), so cluster jobs need no upload. Storage URIs
 * ({@code abfss://}) are not read here: copy the file to a driver path or rebuild the jar.
 */
public final class ConfResources {
  private ConfResources() {}

  public static String read(String key, String location) {
    Path file = Paths.get(location);
    if (Files.isRegularFile(file)) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigurationException(key + ": cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
      }
    }
    String resource = location.replace('\\', '/').replaceFirst("^(\\./)+", "");
    try (InputStream in = ConfResources.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new ConfigurationException(key + " = '" + location + "': no such file (working directory "
            + Paths.get("").toAbsolutePath() + ") and none of that name bundled in the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigurationException(key + ": cannot read bundled " + resource + ": " + e.getMessage(), e);
    }
  }
}
