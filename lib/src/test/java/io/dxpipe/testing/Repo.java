package io.dxpipe.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locations of the repository and the shared material beside it, as tests see them. */
public final class Repo {
  private Repo() {}

  /** The repository root (set by Maven as test.repo.root; falls back to walking up from the cwd). */
  public static Path root() {
    String configured = System.getProperty("test.repo.root");
    if (configured != null) {
      return Paths.get(configured).toAbsolutePath().normalize();
    }
    Path p = Paths.get("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("conf"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find the repository root from " + Paths.get("").toAbsolutePath());
    }
    return p;
  }

  /** {@code ../shared/data/external}: the public source data the catalogue is derived from. */
  public static Path sharedData() {
    Path shared = root().resolveSibling("shared").resolve("data/external");
    if (!Files.isDirectory(shared)) {
      throw new IllegalStateException("the shared data is expected at " + shared
          + " (the shared/ folder beside the repository)");
    }
    return shared;
  }

  public static Path curated() {
    return root().resolve("conf/catalogue");
  }
}
