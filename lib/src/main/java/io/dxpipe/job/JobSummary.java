package io.dxpipe.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a job read, wrote and rejected, printed at its end. The job states how its counts add up
 * ({@code read = written + rejected} for a transforming job); {@link #check()} fails the job when
 * they do not, so nothing is ever lost silently. The counts of a balance must be taken
 * independently (the input's rows counted on their own, the output's from the write's commit):
 * passing one number as both sides makes a check that cannot fail. A job whose counts have no
 * balance says so with {@link #withoutBalance} and the reason, printed in the summary.
 */
public final class JobSummary {
  private final String job;
  private final long read;
  private final long written;
  private final long rejected;
  private final Map<String, String> details = new LinkedHashMap<>();
  private final Balance balance;
  private final String noBalanceReason;
  private int exitCode = JobRunner.OK;

  /** How read, written and rejected relate for this job. */
  public enum Balance {
    /** read = written + rejected. */
    READ_EQUALS_WRITTEN_PLUS_REJECTED,
    /** A source job (the generator): it reads no records, written is all it produced. */
    SOURCE,
    /**
     * No balance holds between the counts (a gate decision on one model, a report on another job's
     * output); the summary prints why, and {@link #check()} has nothing to check.
     */
    NONE
  }

  /** A count the job does not take (printed as such), e.g. the input of a benchmark reference. */
  public static final long NOT_COUNTED = -1;

  /** A summary whose counts keep {@code balance}, checked by {@link #check()}; not {@link Balance#NONE}. */
  public JobSummary(String job, long read, long written, long rejected, Balance balance) {
    this(job, read, written, rejected, balance, null);
    if (balance == Balance.NONE) {
      throw new IllegalArgumentException(job + ": a summary without a balance states why: use "
          + "JobSummary.withoutBalance(job, read, written, rejected, reason)");
    }
  }

  private JobSummary(String job, long read, long written, long rejected, Balance balance, String noBalanceReason) {
    this.job = job;
    this.read = read;
    this.written = written;
    this.rejected = rejected;
    this.balance = balance;
    this.noBalanceReason = noBalanceReason;
  }

  /**
   * A summary whose counts do not add up to one another by design, with the reason printed in it.
   *
   * @param reason why there is no balance, for the reader of the summary (not blank)
   */
  public static JobSummary withoutBalance(String job, long read, long written, long rejected, String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException(job + ": a summary without a balance needs the reason why");
    }
    return new JobSummary(job, read, written, rejected, Balance.NONE, reason);
  }

  public Balance balance() {
    return balance;
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

  private static String count(long n) {
    return n == NOT_COUNTED ? "not counted" : Long.toString(n);
  }

  public List<String> lines() {
    int width = details.keySet().stream().mapToInt(String::length).max().orElse(0);
    width = Math.max(width, 8);
    String format = "  %-" + width + "s  %s";
    List<String> lines = new java.util.ArrayList<>();
    lines.add("== " + job + " summary ==");
    lines.add(String.format(java.util.Locale.ROOT, format, "read", count(read)));
    lines.add(String.format(java.util.Locale.ROOT, format, "written", count(written)));
    lines.add(String.format(java.util.Locale.ROOT, format, "rejected", count(rejected)));
    lines.add(String.format(java.util.Locale.ROOT, format, "balance", switch (balance) {
      case READ_EQUALS_WRITTEN_PLUS_REJECTED -> "read = written + rejected";
      case SOURCE -> "none: a source (it reads no records; written is what it produced)";
      case NONE -> "none: " + noBalanceReason;
    }));
    lines.addAll(details.entrySet().stream()
        .map(e -> String.format(java.util.Locale.ROOT, format, e.getKey(), e.getValue()))
        .collect(Collectors.toList()));
    return lines;
  }
}
