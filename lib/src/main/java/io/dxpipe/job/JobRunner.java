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
 * The skeleton every job's {@code main} shares: parse arguments, load and print the effective
 * configuration (secrets masked), run the job's body, print its summary. Returns the exit code
 * (0 success, 1 job failure, 2 bad arguments or configuration, 3 refused by a gate) instead of exiting, so tests can
 * call it and Databricks, which forbids {@code System.exit} on success, is respected.
 */
public final class JobRunner {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  /** The job ran, and its outcome is a refusal: the validation gate rejected the model. */
  public static final int REFUSED = 3;

  /** A job's work once settings are known. */
  @FunctionalInterface
  public interface Body {
    JobSummary run(Settings settings, SparkSession spark) throws Exception;
  }

  /** A job that needs no Spark (e.g. rebuilding the catalogue). */
  @FunctionalInterface
  public interface LocalBody {
    JobSummary run(Settings settings) throws Exception;
  }

  private final String name;
  private final String description;
  private final PrintStream out;

  public JobRunner(String name, String description, PrintStream out) {
    this.name = name;
    this.description = description;
    this.out = out;
  }

  public int run(String[] args, Body body) {
    return run(args, settings -> { }, body);
  }

  /**
   * @param validate reads the job's own settings sections, so that a bad key fails with exit code 2
   *     before Spark starts
   */
  public int run(String[] args, java.util.function.Consumer<Settings> validate, Body body) {
    return execute(args, validate, settings -> {
      SparkSession spark = SparkSessions.create(name, settings.spark());
      try {
        return body.run(settings, spark);
      } finally {
        if (settings.environment() != Environment.DATABRICKS) {
          spark.stop(); // on Databricks the session is shared with the cluster: never stop it
        }
      }
    });
  }

  public int runLocal(String[] args, LocalBody body) {
    return execute(args, settings -> { }, body);
  }

  private int execute(String[] args, java.util.function.Consumer<Settings> validate, LocalBody body) {
    Settings settings;
    JobArguments arguments;
    try {
      arguments = JobArguments.parse(args);
      if (arguments.help()) {
        out.println(JobArguments.usage(name, description));
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
      validate.accept(settings);
      if (arguments.check()) {
        out.println("[dxpipe] " + name + ": arguments and configuration OK (--check: nothing run)");
        return OK;
      }
      JobSummary summary = body.run(settings).check();
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

  private static String stackTrace(Throwable e) {
    java.io.StringWriter trace = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(trace));
    return trace.toString();
  }
}
