package io.dxpipe.testing;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local disk under another scheme ({@code otherfs:}): a file system that code must reach through
 * Hadoop's API, as it reaches object stores, with none of the java.nio shortcuts taken for {@code file:}.
 */
public final class OtherSchemeFileSystem extends RawLocalFileSystem {
  @Override
  public URI getUri() {
    return URI.create("otherfs:///");
  }

  @Override
  public String getScheme() {
    return "otherfs";
  }
}
