package io.dxpipe.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import io.dxpipe.testing.OtherSchemeFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageFilesTest {
  @Test
  void localFilesAreWrittenWithoutChecksumFiles(@TempDir Path dir) throws Exception {
    StorageFiles files = new StorageFiles(dir.toUri().toString(), new Configuration());
    files.write(dir.toUri() + "/a/b/c.json", "{}".getBytes());
    files.writeString(dir.toUri() + "/a/b/c.json", "{\"x\":1}"); // replaces
    assertThat(Files.readString(dir.resolve("a/b/c.json"))).isEqualTo("{\"x\":1}");
    try (var listing = Files.list(dir.resolve("a/b"))) {
      assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("c.json");
    }
    assertThat(files.readString(dir.toUri() + "/a/b/c.json")).isEqualTo("{\"x\":1}");
    assertThat(files.exists(dir.toUri() + "/a/b/c.json")).isTrue();
  }

  @Test
  void otherFileSystemsAreWrittenThroughHadoop(@TempDir Path dir) throws Exception {
    Configuration conf = new Configuration();
    conf.set("fs.otherfs.impl", OtherSchemeFileSystem.class.getName());
    conf.setBoolean("fs.otherfs.impl.disable.cache", true);
    String base = "otherfs://" + dir.toAbsolutePath();
    StorageFiles files = new StorageFiles(base, conf);
    files.writeString(base + "/x/y.txt", "hello");
    files.writeString(base + "/x/y.txt", "hello again");
    assertThat(Files.readString(dir.resolve("x/y.txt"))).isEqualTo("hello again");
    assertThat(files.readString(base + "/x/y.txt")).isEqualTo("hello again");
  }

  @Test
  void unknownSchemeIsExplained() {
    assertThatThrownBy(() -> new StorageFiles("nosuchfs://bucket/x", new Configuration()))
        .hasMessageContaining("cannot open the file system of nosuchfs://bucket/x");
  }
}
