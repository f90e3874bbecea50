package io.dxpipe.job;

import java.io.PrintStream;
import java.util.Locale;

/** Prints a job's steps as they finish, with their duration, so a long run shows where it is. */
public final class StepTimer {
  private final PrintStream out;
  private long last = System.nanoTime();

  public StepTimer(PrintStream out) {
    this.out = out;
  }

  /** Prints "[dxpipe] <what> (<seconds> s)" and restarts the clock. */
  public void done(String what) {
    long now = System.nanoTime();
    out.printf(Locale.ROOT, "[dxpipe] %s (%.1f s)%n", what, (now - last) / 1e9);
    last = now;
  }
}
