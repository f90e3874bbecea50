package io.dxpipe.ingest;

import io.dxpipe.schema.IngestLog.SkipReason;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Lists every entry of the landing zone down to the files of its delivery folders
 * ({@code <landing>/<source>/<yyyy-MM-dd>/<file>}), on the driver, and says what each one is: a file
 * to take, or an entry to skip with its reason. Nothing is left out: misplaced files (directly under
 * landing or a source folder, or under a folder that is no date) are files to take, which ingest then
 * quarantines with the reason; folders below delivery folders, symbolic links, empty files and hidden
 * names ({@code .} or {@code _} first, the convention for files still being written) are skipped and
 * counted, not descended.
 *
 * <p>Paths are used as they are, never as glob patterns: {@code g4*.json} is one file. On {@code file:}
 * the listing uses java.nio (no process forks, and symbolic links are seen as such); elsewhere the
 * Hadoop file system of the URI, with the source folders listed in parallel (object stores answer a
 * listing per folder with a round trip each).
 */
public final class LandingListing {
  /** One entry of landing: its full URI, its path below landing ("north_ehr/2026-11-24/x.json"), size and time. */
  public record Entry(String path, String relative, long size, long modificationTime, SkipReason skip) {
    public boolean taken() {
      return skip == null;
    }

    /** Depth below landing: 1 directly under it, 3 in a delivery folder. */
    public int depth() {
      return relative.split("/", -1).length;
    }
  }

  private static final int DELIVERY_DEPTH = 3;

  private LandingListing() {}

  /** Every entry of {@code landing} (empty when the folder does not exist). */
  public static List<Entry> list(String landing, Configuration conf, int threads) {
    URI uri = URI.create(landing);
    if ("file".equals(uri.getScheme())) {
      requireUtf8FileNames();
      return listLocal(Paths.get(uri));
    }
    try {
      Path root = new Path(landing);
      return listHadoop(root.getFileSystem(conf), root, threads);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the landing zone " + landing + ": check the storage URI and its "
          + "credentials (fs.azure.*)", e);
    }
  }

  /**
   * A JVM whose file-name encoding is not UTF-8 (a POSIX locale: LANG unset or C) cannot name files
   * with non-ASCII characters; Hadoop's local listing then silently drops them. Refuse instead.
   */
  static void requireUtf8FileNames() {
    String encoding = System.getProperty("sun.jnu.encoding", "");
    if (!Charset.isSupported(encoding) || !Charset.forName(encoding).equals(StandardCharsets.UTF_8)) {
      throw new IllegalStateException("this JVM reads file names as " + encoding + " (locale LANG="
          + System.getenv("LANG") + ", LC_ALL=" + System.getenv("LC_ALL") + "), so landing files with non-ASCII "
          + "names (Müller.json) could not be read and would be lost: start the job with a UTF-8 locale, e.g. "
          + "LC_ALL=C.UTF-8 (scripts/ set it)");
    }
  }

  private static List<Entry> listLocal(java.nio.file.Path root) {
    List<Entry> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    walkLocal(root, root, 1, out);
    return out;
  }

  private static void walkLocal(java.nio.file.Path root, java.nio.file.Path dir, int depth, List<Entry> out) {
    List<java.nio.file.Path> children = new ArrayList<>();
    try (DirectoryStream<java.nio.file.Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(children::add);
    } catch (NoSuchFileException e) {
      return; // removed while listing
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the landing folder " + dir, e);
    }
    children.sort(null);
    for (java.nio.file.Path p : children) {
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        continue;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the attributes of " + p, e);
      }
      String relative = root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
      String path = new Path(p.toUri()).toString().replaceAll("/$", ""); // (a folder's URI ends in /)
      long time = a.lastModifiedTime().toMillis();
      SkipReason skip = skipReason(p.getFileName().toString(), a.isRegularFile(), a.isDirectory(), a.size(), depth);
      if (a.isDirectory() && skip == null) {
        walkLocal(root, p, depth + 1, out);
      } else {
        out.add(new Entry(path, relative, a.isRegularFile() ? a.size() : 0, time, skip));
      }
    }
  }

  private static List<Entry> listHadoop(FileSystem fs, Path root, int threads) throws IOException {
    List<Entry> out = new ArrayList<>();
    FileStatus[] top;
    try {
      top = fs.listStatus(root);
    } catch (FileNotFoundException e) {
      return out;
    }
    String prefix = fs.makeQualified(root).toUri().getPath().replaceAll("/$", "") + "/";
    List<FileStatus> sourceFolders = new ArrayList<>();
    classify(top, prefix, 1, out, sourceFolders);
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, sourceFolders.size())));
    try {
      List<Future<List<Entry>>> below = new ArrayList<>();
      for (FileStatus folder : sourceFolders) {
        below.add(pool.submit(() -> listBelow(fs, folder.getPath(), prefix, 2)));
      }
      for (Future<List<Entry>> f : below) {
        out.addAll(f.get());
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while listing " + root, e);
    } finally {
      pool.shutdownNow();
    }
    return out;
  }

  private static List<Entry> listBelow(FileSystem fs, Path dir, String prefix, int depth) throws IOException {
    List<Entry> out = new ArrayList<>();
    List<FileStatus> folders = new ArrayList<>();
    try {
      classify(fs.listStatus(dir), prefix, depth, out, folders);
    } catch (FileNotFoundException e) {
      return out;
    }
    for (FileStatus folder : folders) {
      out.addAll(listBelow(fs, folder.getPath(), prefix, depth + 1));
    }
    return out;
  }

  /** Adds the files and skipped entries of one listing to {@code out}, the folders to descend to {@code folders}. */
  private static void classify(FileStatus[] statuses, String prefix, int depth, List<Entry> out,
      List<FileStatus> folders) {
    java.util.Arrays.sort(statuses, java.util.Comparator.comparing(s -> s.getPath().toString()));
    for (FileStatus s : statuses) {
      SkipReason skip = skipReason(s.getPath().getName(), s.isFile() && !s.isSymlink(), s.isDirectory() && !s.isSymlink(),
          s.getLen(), depth);
      if (s.isDirectory() && skip == null) {
        folders.add(s);
      } else {
        String p = s.getPath().toUri().getPath();
        String relative = p.startsWith(prefix) ? p.substring(prefix.length()) : s.getPath().getName();
        out.add(new Entry(s.getPath().toString(), relative, s.isFile() ? s.getLen() : 0, s.getModificationTime(), skip));
      }
    }
  }

  /** Why an entry is not taken, or null for a file to take or a folder to descend into. */
  static SkipReason skipReason(String name, boolean regularFile, boolean directory, long size, int depth) {
    if (name.startsWith(".") || name.startsWith("_")) {
      return SkipReason.HIDDEN_FILE;
    }
    if (directory) {
      return depth < DELIVERY_DEPTH ? null : SkipReason.NOT_A_FILE;
    }
    if (!regularFile) {
      return SkipReason.NOT_A_FILE;
    }
    return size == 0 ? SkipReason.EMPTY_FILE : null;
  }
}
