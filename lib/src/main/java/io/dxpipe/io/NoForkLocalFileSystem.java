package io.dxpipe.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.ByteBufferReadable;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSInputStream;
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
 *
 * <p>Its input streams also serve byte-buffer reads. Hadoop 3.3's local stream claims them
 * ({@code BufferedFSInputStream} implements {@code ByteBufferReadable}) but throws when asked, since
 * the file stream under it cannot; Parquet 1.12 (Spark 3.3, the HDInsight build) believes the
 * claim and fails to read footers. Parquet 1.13 (Spark 3.5) checks better.
 */
public class NoForkLocalFileSystem extends LocalFileSystem {
  public NoForkLocalFileSystem() {
    super(new Raw());
  }

  /** The raw local file system with eager, fork-free file statuses. */
  public static class Raw extends RawLocalFileSystem {
    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
      return new FSDataInputStream(new ByteBufferReads(super.open(f, bufferSize)));
    }

    /** Hadoop's local stream, with byte-buffer reads served through a byte array. */
    private static final class ByteBufferReads extends FSInputStream implements ByteBufferReadable {
      private final FSDataInputStream in;

      ByteBufferReads(FSDataInputStream in) {
        this.in = in;
      }

      @Override
      public int read(ByteBuffer buf) throws IOException {
        if (buf.hasArray()) {
          int n = in.read(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
          if (n > 0) {
            buf.position(buf.position() + n);
          }
          return n;
        }
        byte[] bytes = new byte[Math.min(buf.remaining(), 1 << 16)];
        int n = in.read(bytes, 0, bytes.length);
        if (n > 0) {
          buf.put(bytes, 0, n);
        }
        return n;
      }

      @Override
      public void seek(long pos) throws IOException {
        in.seek(pos);
      }

      @Override
      public long getPos() throws IOException {
        return in.getPos();
      }

      @Override
      public boolean seekToNewSource(long targetPos) throws IOException {
        return in.seekToNewSource(targetPos);
      }

      @Override
      public int read() throws IOException {
        return in.read();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return in.read(b, off, len);
      }

      @Override
      public int read(long position, byte[] buffer, int offset, int length) throws IOException {
        return in.read(position, buffer, offset, length);
      }

      @Override
      public long skip(long n) throws IOException {
        return in.skip(n);
      }

      @Override
      public int available() throws IOException {
        return in.available();
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    }

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

    private FileStatus eager(FileStatus s) throws IOException {
      // (not Paths.get(uri): Hadoop's child paths keep non-ASCII characters unescaped in their URI,
      // which java.nio refuses with "Bad escape")
      java.nio.file.Path p = pathToFile(s.getPath()).toPath();
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
