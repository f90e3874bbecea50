package io.dxpipe.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes and reads whole small files on any Hadoop file system (file:, wasb://, abfss://, dbfs:/).
 * On the local file system no .crc side files are written: landing folders must hold only what a
 * source would deliver.
 */
public final class StorageFiles {
  private final FileSystem fs;

  public StorageFiles(String anyUriOnTheFileSystem, Configuration conf) {
    try {
      this.fs = FileSystem.get(URI.create(anyUriOnTheFileSystem), conf);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the file system of " + anyUriOnTheFileSystem
          + ": check the storage URI and its credentials in the Hadoop configuration (fs.azure.*)", e);
    }
    fs.setWriteChecksum(false);
    fs.setVerifyChecksum(false);
  }

  /** Creates or replaces a file (so a re-run with the same names replaces, never duplicates). */
  public void write(String uri, byte[] content) {
    try (FSDataOutputStream out = fs.create(new Path(uri), true)) {
      out.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + uri, e);
    }
  }

  public void writeString(String uri, String content) {
    write(uri, content.getBytes(StandardCharsets.UTF_8));
  }

  public String readString(String uri) {
    try (var in = fs.open(new Path(uri))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + uri, e);
    }
  }

  public boolean exists(String uri) {
    try {
      return fs.exists(new Path(uri));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + uri, e);
    }
  }
}
