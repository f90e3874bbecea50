package io.dxpipe.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system, minus a process fork per file. Without Hadoop's native library (the
 * norm outside a cluster) every file status it lists reads its permissions lazily by running
 * {@code ls -ld}; Spark's file listing asks for them, so listing a landing folder of 100,000 small
 * files takes minutes. This one reads the same attributes with java.nio. Installed for
 * {@code file:} by {@code SparkSessions} ({@code spark.hadoop.fs.file.impl}); other schemes are
 * untouched. It must stay a {@link LocalFileSystem} (not the raw one): Spark ML's model loading calls
 * {@code FileSystem.getLocal}, which casts to it.
 */
public class NoForkLocalFileSystem extends LocalFileSystem {
  public NoForkLocalFileSystem() {
    super(new Raw());
  }

  /** The raw local file system with eager, fork-free file statuses. */
  public static class Raw extends RawLocalFileSystem {
    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
      FileStatus[] statuses = super.listStatus(f);
      for (int i = 0; i < statuses.length; i++) {
        statuses[i] = eager(statuses[i]);
      }
      return statuses;
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
      return eager(super.getFileStatus(f));
    }

    /** uid/gid to name: looking a name up reads the user database, so once per id. */
    private static final Map<Integer, String> USERS = new ConcurrentHashMap<>();
    private static final Map<Integer, String> GROUPS = new ConcurrentHashMap<>();

    private static FileStatus eager(FileStatus s) throws IOException {
      java.nio.file.Path p = Paths.get(s.getPath().toUri());
      Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) a.get("mode") & 0777;
      int uid = (Integer) a.get("uid");
      int gid = (Integer) a.get("gid");
      String owner = USERS.computeIfAbsent(uid, id -> name(p, "owner", String.valueOf(id)));
      String group = GROUPS.computeIfAbsent(gid, id -> name(p, "group", String.valueOf(id)));
      return new FileStatus(s.getLen(), s.isDirectory(), s.getReplication(), s.getBlockSize(), s.getModificationTime(),
          s.getAccessTime(), new FsPermission((short) mode), owner, group, s.getPath());
    }

    private static String name(java.nio.file.Path p, String which, String fallback) {
      try {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return which.equals("owner") ? a.owner().getName() : a.group().getName();
      } catch (IOException e) {
        return fallback;
      }
    }
  }
}
