package io.dxpipe.quality;

/** What a failing check does: {@code ERROR} stops the job (after results are stored), {@code WARNING} is recorded. */
public enum Severity {
  ERROR,
  WARNING
}
