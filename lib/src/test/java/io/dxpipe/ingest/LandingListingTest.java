package io.dxpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.io.NoForkLocalFileSystem;
import io.dxpipe.testing.HostileLanding;
import io.dxpipe.testing.OtherSchemeFileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The landing listing: every entry, names as they are, the same on java.nio and on Hadoop file systems. */
class LandingListingTest {
  @Test
  void theForkFreeLocalFileSystemListsNonAsciiNames(@TempDir Path dir) throws Exception {
    for (String name : List.of("Müller.json", "é.json", "ünïcødé-😀.json", "g4*.json")) {
      Files.writeString(dir.resolve(name), "{}");
    }
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", NoForkLocalFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    FileSystem fs = FileSystem.get(dir.toUri(), conf);
    assertThat(fs).isInstanceOf(NoForkLocalFileSystem.class);
    // (threw IllegalArgumentException: Bad escape, and so stopped all ingest)
    assertThat(Stream.of(fs.listStatus(new org.apache.hadoop.fs.Path(dir.toUri()))).map(FileStatus::getPath)
        .map(org.apache.hadoop.fs.Path::getName))
        .containsExactlyInAnyOrder("Müller.json", "é.json", "ünïcødé-😀.json", "g4*.json");
  }

  @Test
  void objectStoresAreListedLikeTheLocalDisk(@TempDir Path dir) throws Exception {
    new HostileLanding(dir.resolve("landing")).write();
    Files.delete(dir.resolve("landing/" + HostileLanding.JSON_DIR + "/passwd.json")); // object stores have no links
    Configuration conf = new Configuration();
    conf.set("fs.otherfs.impl", OtherSchemeFileSystem.class.getName());
    List<String> local = describe(LandingListing.list(dir.resolve("landing").toUri().toString(), conf, 4));
    List<String> other = describe(LandingListing.list("otherfs://" + dir.resolve("landing").toUri().getPath(), conf, 4));
    assertThat(other).isEqualTo(local);
    assertThat(local).contains("north_ehr/2026-11-24/g4*.json 1", "north_ehr/2026-11-24/Müller.json 1",
        "north_ehr/2026-11-24/sub NOT_A_FILE", "north_ehr/2026-11-24/empty.json EMPTY_FILE",
        "north_ehr/2026-11-24/.in-progress.json HIDDEN_FILE", "stray.json 1", "north_ehr/no-date-folder.json 1");
  }

  @Test
  void aSymbolicLinkIsNotFollowed(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("landing/north_ehr/2026-11-24"));
    Files.createSymbolicLink(dir.resolve("landing/north_ehr/2026-11-24/passwd.json"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(dir.resolve("landing/north_ehr/2026-11-25"), Path.of("/etc"));
    assertThat(describe(LandingListing.list(dir.resolve("landing").toUri().toString(), new Configuration(), 1)))
        .containsExactly("north_ehr/2026-11-24/passwd.json NOT_A_FILE", "north_ehr/2026-11-25 NOT_A_FILE");
  }

  @Test
  void aJvmThatCannotNameNonAsciiFilesIsRefused() {
    String before = System.getProperty("sun.jnu.encoding");
    try {
      System.setProperty("sun.jnu.encoding", "ANSI_X3.4-1968");
      assertThatThrownBy(LandingListing::requireUtf8FileNames)
          .hasMessageContaining("reads file names as ANSI_X3.4-1968")
          .hasMessageContaining("LC_ALL=C.UTF-8");
    } finally {
      System.setProperty("sun.jnu.encoding", before);
    }
  }

  /** Entries as "relative size-class-or-skip-reason" ("1": a file with content). */
  private static List<String> describe(List<LandingListing.Entry> entries) {
    return entries.stream().map(e -> e.relative() + " " + (e.skip() != null ? e.skip().name() : e.size() > 0 ? "1" : "0"))
        .sorted().toList();
  }
}
