package io.dxpipe.job;

import com.typesafe.config.ConfigException;
import io.dxpipe.config.ConfigurationException;
import io.dxpipe.config.Environment;
import io.dxpipe.config.Secrets;
import io.dxpipe.config.Settings;
import io.dxpipe.spark.SparkSessions;
import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;

/**
 * The entry point every {@link Job} shares: parse arguments, load and print the effective
 * configuration (secrets masked), read the job's settings (before Spark starts), run the job's
 * body, print its summary. {@link #run} returns the exit code (0 success, 1 job failure, 2 bad
 * arguments or configuration, 3 refused by a gate, or the job's own code) so tests can call it;
 * {@link #main} exits the JVM only when the code is not 0, since Databricks forbids
 * {@code System.exit} on success.
 */
public final class JobRunner {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  /** The job ran, and its outcome is a refusal: the validation gate rejected the model. */
  public static final int REFUSED = 3;

  private JobRunner() {}

  /** A job class's {@code main}: runs {@code job} printing to {@code System.out}, then {@link #exit}. */
  public static void main(Job<?> job, String[] args) {
    exit(run(job, args, System.out));
  }

  /** Ends the JVM with {@code code} unless it is {@link #OK}: on success {@code main} returns normally. */
  public static void exit(int code) {
    if (code != OK) {
      System.exit(code);
    }
  }

  /** Runs {@code job} with the command line {@code args}, printing to {@code out}; returns the exit code. */
  public static <S> int run(Job<S> job, String[] args, PrintStream out) {
    String name = job.name();
    Settings settings;
    JobArguments arguments;
    try {
      arguments = JobArguments.parse(args);
      if (arguments.help()) {
        out.println(JobArguments.usage(name, job.description()));
        return OK;
      }
      settings = Settings.load(arguments.confFile(), arguments.overrides());
    } catch (JobArguments.UsageException | ConfigurationException e) {
      out.println(name + ": " + Secrets.mask(e.getMessage()));
      out.println("Run with --help for usage.");
      return USAGE;
    } catch (ConfigException e) {
      out.println(name + ": invalid configuration: " + Secrets.mask(e.getMessage()));
      return USAGE;
    }
    out.println("[dxpipe] " + name + (arguments.check() ? " checking" : " starting with") + " configuration "
        + Secrets.mask(settings.config().source()) + ":");
    settings.config().render().forEach(line -> out.println("  " + line));
    long start = System.nanoTime();
    try {
      S jobSettings = job.settings(settings);
      if (arguments.check()) {
        out.println("[dxpipe] " + name + ": arguments and configuration OK (--check: nothing run)");
        return OK;
      }
      JobSummary summary = withSpark(job, jobSettings, settings).check();
      summary.detail("elapsed", String.format(java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9));
      summary.lines().forEach(out::println);
      return summary.exitCode();
    } catch (ConfigurationException e) {
      out.println(name + ": " + Secrets.mask(e.getMessage()));
      return USAGE;
    } catch (ConfigException e) {
      // a settings class that reads the config directly met a wrong type: a bad setting, not a failed job
      out.println(name + ": " + Secrets.mask(settings.config().explain(e).getMessage()));
      return USAGE;
    } catch (Exception e) {
      out.println("[dxpipe] " + name + " FAILED: " + Secrets.mask(e.toString()));
      out.print(Secrets.mask(stackTrace(e))); // storage errors quote the path, SAS signature included
      return FAILED;
    }
  }

  private static <S> JobSummary withSpark(Job<S> job, S jobSettings, Settings settings) throws Exception {
    SparkSession spark = SparkSessions.create(job.name(), settings.spark());
    try {
      return job.execute(jobSettings, spark);
    } finally {
      if (settings.environment() != Environment.DATABRICKS) {
        spark.stop(); // on Databricks the session is shared with the cluster: never stop it
      }
    }
  }

  private static String stackTrace(Throwable e) {
    java.io.StringWriter trace = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(trace));
    return trace.toString();
  }
}
