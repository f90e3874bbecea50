package io.dxpipe.job;

import java.util.ArrayList;
import java.util.List;

/**
 * Command line shared by every job: {@code --conf FILE|NAME [key=value ...]}. {@code --conf} is
 * required: a cluster job that silently fell back to the local configuration would write to the
 * driver's disk.
 */
public record JobArguments(String confFile, List<String> overrides, boolean help, boolean check) {

  /** Thrown for arguments the job cannot understand; jobs print usage and exit with code 2. */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message);
    }
  }

  public static JobArguments parse(String... args) {
    String conf = null;
    List<String> overrides = new ArrayList<>();
    boolean help = false;
    boolean check = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
      } else if (arg.equals("--check")) {
        check = true;
      } else if (arg.equals("--conf")) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new UsageException("--conf needs a file (conf/local.conf) or a bundled name (local, databricks, hdinsight)");
        }
        if (conf != null) {
          throw new UsageException("--conf given twice ('" + conf + "', '" + args[i + 1] + "')");
        }
        conf = args[++i];
      } else if (arg.startsWith("--conf=")) {
        conf = arg.substring("--conf=".length());
      } else if (arg.startsWith("-") ) {
        // the option's name only: --patient-key=... would otherwise print its value
        throw new UsageException("unknown option '" + arg.split("=", 2)[0] + "'");
      } else if (arg.indexOf('=') > 0) {
        overrides.add(arg);
      } else {
        throw new UsageException("unexpected argument '" + io.dxpipe.config.Secrets.mask(arg)
            + "': settings are given as key=value (e.g. generate.records=5000)");
      }
    }
    if (conf == null && !help) {
      throw new UsageException("--conf is required: a configuration file (conf/local.conf) or a bundled name "
          + "(local, databricks, hdinsight)");
    }
    return new JobArguments(conf, List.copyOf(overrides), help, check);
  }

  public static String usage(String jobClass, String description) {
    return String.join("\n",
        "Usage: spark-submit --class " + jobClass + " dxpipe-jobs.jar --conf FILE|NAME [key=value ...]",
        "",
        description,
        "",
        "  --conf FILE|NAME  configuration file (conf/local.conf) or a configuration bundled in the jar:",
        "                    local, databricks, hdinsight",
        "  key=value         override any setting, e.g. generate.records=5000 (prefix dxpipe. optional)",
        "  --check           check the arguments and the configuration (this job's settings included),",
        "                    print it and exit: no Spark, no data read or written",
        "  --help            this text",
        "",
        "Exit codes: 0 success, 1 the job failed, 2 bad arguments or configuration, 3 the validation gate",
        "refused the model, 4 the monitor signals retraining.");
  }
}
