package io.dxpipe.jobs;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.catalogue.LabelSettings;
import io.dxpipe.clean.CleanSettings;
import io.dxpipe.clean.SilverBuilder;
import io.dxpipe.config.ConfigurationException;
import io.dxpipe.config.Environment;
import io.dxpipe.config.Settings;
import io.dxpipe.ingest.IngestSettings;
import io.dxpipe.ingest.OnboardCheck;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code scripts/onboard.sh FILE}: the onboarding check of a new file with its source block
 * ({@link OnboardCheck}), printed in seconds, before anything is written. No Spark session is
 * started. Exit codes: 0 the file can be ingested and trained on, 1 it cannot (unreadable, every
 * record quarantined, fewer than two classes), 2 bad arguments or configuration.
 */
public final class OnboardJob {
  static final String USAGE = String.join("\n",
      "Usage: scripts/onboard.sh FILE [--source NAME] [--sample N] [--conf FILE] [key=value ...]",
      "",
      "Reads a sample of FILE with its source block (dxpipe.ingest.sources.NAME) and prints what each column",
      "became, the symptoms and diagnoses recognised and not, what would be quarantined and why, and what",
      "training would use and leave out. Nothing is written; no Spark.",
      "",
      "  FILE           a local file; under <landing>/<source>/<yyyy-MM-dd>/ the source is the folder's name",
      "  --source NAME  the source block to read it with",
      "  --sample N     check at most N records (default 10000)",
      "  --conf FILE    configuration (default: $DXPIPE_CONF, else conf/local.conf)",
      "  key=value      any setting, e.g. labels.from=data",
      "",
      "Exit codes: 0 usable, 1 not usable (unreadable, all quarantined, fewer than 2 classes), 2 bad arguments.");

  private OnboardJob() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    String file = null;
    String source = null;
    int sample = 10_000;
    String conf = System.getenv().getOrDefault("DXPIPE_CONF", "conf/local.conf");
    List<String> overrides = new ArrayList<>();
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--help", "-h" -> {
            out.println(USAGE);
            return 0;
          }
          case "--source" -> source = value(args, ++i, a);
          case "--conf" -> conf = value(args, ++i, a);
          case "--sample" -> {
            try {
              sample = Integer.parseInt(value(args, ++i, a));
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("--sample needs a number of records, not '" + args[i] + "'");
            }
            if (sample < 1) {
              throw new IllegalArgumentException("--sample must be at least 1");
            }
          }
          default -> {
            if (a.startsWith("-")) {
              throw new IllegalArgumentException("unknown option '" + a.split("=", 2)[0] + "'");
            } else if (a.indexOf('=') > 0) {
              overrides.add(a);
            } else if (file == null) {
              file = a;
            } else {
              throw new IllegalArgumentException("one FILE at a time ('" + file + "', '" + a + "')");
            }
          }
        }
      }
      if (file == null) {
        throw new IllegalArgumentException("FILE is required");
      }
      Path path = Path.of(file);
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException("no such file: " + file);
      }
      Settings settings = Settings.load(conf, overrides);
      var dxpipe = settings.config().dxpipe();
      DiseaseCatalogue catalogue = DiseaseCatalogue.fromClasspath();
      OnboardCheck check = new OnboardCheck(IngestSettings.from(dxpipe, Environment.LOCAL),
          SilverBuilder.load(CleanSettings.from(dxpipe), catalogue), catalogue, LabelSettings.from(dxpipe));
      OnboardCheck.Report report = check.check(file, source != null ? source : OnboardCheck.sourceOf(path),
          Files.readAllBytes(path), sample);
      out.print(report.text());
      boolean trainable = report.labels() != null && report.labels().classes().size() >= 2;
      out.println();
      out.println(report.usable() && trainable ? "[dxpipe] onboarding check: USABLE"
          : "[dxpipe] onboarding check: NOT USABLE as configured (see above)");
      return report.usable() && trainable ? 0 : 1;
    } catch (IllegalArgumentException | ConfigurationException e) {
      err.println("onboard: " + e.getMessage());
      err.println();
      err.println(USAGE);
      return 2;
    } catch (IOException e) {
      err.println("onboard: cannot read " + file + ": " + e.getMessage());
      return 2;
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
