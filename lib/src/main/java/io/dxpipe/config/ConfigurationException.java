package io.dxpipe.config;

/** Invalid or missing configuration, detected at start-up; the message names the key. */
public final class ConfigurationException extends RuntimeException {
  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
