package io.dxpipe.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a job read, wrote and rejected, printed at its end. The job states how its counts add up
 * ({@code read = written + rejected} for a transforming job); {@link #check()} fails the job when
 * they do not, so nothing is ever lost silently.
 */
public final class JobSummary {
  private final String job;
  private final long read;
  private final long written;
  private final long rejected;
  private final Map<String, String> details = new LinkedHashMap<>();
  private final Balance balance;
  private int exitCode = JobRunner.OK;

  /** How read, written and rejected relate for this job. */
  public enum Balance {
    /** read = written + rejected. */
    READ_EQUALS_WRITTEN_PLUS_REJECTED,
    /** A source job (the generator): it reads no records, written is all it produced. */
    SOURCE
  }

  public JobSummary(String job, long read, long written, long rejected, Balance balance) {
    this.job = job;
    this.read = read;
    this.written = written;
    this.rejected = rejected;
    this.balance = balance;
  }

  /** A line of the summary; credentials in it (a storage location's SAS signature) are masked. */
  public JobSummary detail(String name, Object value) {
    details.put(name, io.dxpipe.config.Secrets.mask(String.valueOf(value)));
    return this;
  }

  /**
   * Makes the job end with this exit code after printing its summary: a job that ran correctly but
   * whose outcome is a refusal (the validation gate) tells orchestrators so by its exit code.
   */
  public JobSummary exitCode(int code) {
    this.exitCode = code;
    return this;
  }

  public int exitCode() {
    return exitCode;
  }

  public long read() {
    return read;
  }

  public long written() {
    return written;
  }

  public long rejected() {
    return rejected;
  }

  /** Throws when the counts do not add up. */
  public JobSummary check() {
    if (balance == Balance.READ_EQUALS_WRITTEN_PLUS_REJECTED && read != written + rejected) {
      throw new IllegalStateException(job + ": counts do not add up: read " + read + " != written " + written
          + " + rejected " + rejected + " (" + (read - written - rejected) + " records unaccounted for)");
    }
    return this;
  }

  public List<String> lines() {
    int width = details.keySet().stream().mapToInt(String::length).max().orElse(0);
    width = Math.max(width, 8);
    String format = "  %-" + width + "s  %s";
    List<String> lines = new java.util.ArrayList<>();
    lines.add("== " + job + " summary ==");
    lines.add(String.format(java.util.Locale.ROOT, format, "read", read));
    lines.add(String.format(java.util.Locale.ROOT, format, "written", written));
    lines.add(String.format(java.util.Locale.ROOT, format, "rejected", rejected));
    lines.addAll(details.entrySet().stream()
        .map(e -> String.format(java.util.Locale.ROOT, format, e.getKey(), e.getValue()))
        .collect(Collectors.toList()));
    return lines;
  }
}
