package io.dxpipe.serve.http;

import io.dxpipe.clean.SilverBuilder;
import io.dxpipe.config.Secrets;
import io.dxpipe.mlflow.Tracking;
import io.dxpipe.serve.OnlineModel;
import io.dxpipe.score.ScoringModel;
import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.SparkSession;

/**
 * Which model the service answers with, and how it changes: loaded at start (the alias, a version or
 * a path); with an alias, the registry is asked every {@code poll-seconds} (and on
 * {@code POST /admin/reload}) where the alias points. A new version is loaded and gated on its
 * golden rows ({@link OnlineModel#load}) beside the one serving, then swapped in by one atomic
 * reference write: a request reads the reference once, so in-flight requests finish on the model
 * they started with. A version that fails to load or fails the gate leaves the serving one in place
 * and is reported in {@code /health}, the log and the metrics, and is not tried again until the
 * alias moves.
 */
final class ModelLifecycle implements AutoCloseable {
  /** What the last check found. */
  record Check(Instant at, String outcome, String error) {}

  private final ServeSettings settings;
  private final SilverBuilder cleaning;
  private final SparkSession spark;
  private final Metrics metrics;
  private final PrintStream log;
  private final AtomicReference<OnlineModel> current = new AtomicReference<>();
  private volatile Check last = new Check(Instant.now(), "not checked yet", null);
  private volatile Integer refusedVersion;
  private final ScheduledExecutorService poller;

  private final java.util.function.Supplier<Tracking> registry;

  /** @param registry opens the model registry (MLflow's, as the jobs reach it; a test's in memory) */
  ModelLifecycle(ServeSettings settings, SilverBuilder cleaning, SparkSession spark, Metrics metrics, PrintStream log,
      java.util.function.Supplier<Tracking> registry) {
    this.registry = registry;
    this.settings = settings;
    this.cleaning = cleaning;
    this.spark = spark;
    this.metrics = metrics;
    this.log = log;
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dxpipe-serve-model-poll");
      t.setDaemon(true);
      return t;
    });
  }

  /** The model serving now, or null before the first successful load. */
  OnlineModel current() {
    return current.get();
  }

  Check last() {
    return last;
  }

  /** Whether the service follows an alias (and so may swap). */
  boolean followsAlias() {
    return settings.modelPath().isEmpty() && settings.modelVersion() == 0;
  }

  /** Starts polling, if the service follows an alias and polls. */
  void startPolling() {
    if (followsAlias() && settings.pollSeconds() > 0) {
      poller.scheduleWithFixedDelay(this::checkQuietly, settings.pollSeconds(), settings.pollSeconds(),
          TimeUnit.SECONDS);
    }
  }

  private void checkQuietly() {
    try {
      check();
    } catch (RuntimeException e) {
      // check() records its failures; this keeps the poller alive whatever else happens
      log.println("[dxpipe] serve: model check failed: " + Secrets.mask(e.toString()));
    }
  }

  /**
   * Loads the configured model if it is not the one serving: the first load, or the alias moved.
   * Returns what happened; never throws for a model that cannot be served (that is the outcome).
   */
  synchronized Check check() {
    OnlineModel serving = current.get();
    Integer version = null;
    try {
      if (serving != null && !followsAlias()) {
        return record(new Check(Instant.now(), "serving " + serving.describe() + " (a fixed version or path)", null));
      }
      ScoringModel model;
      if (followsAlias()) {
        try (Tracking tracking = registry.get()) {
          String name = settings.mlflow().registeredModel();
          version = tracking.alias(name, settings.modelAlias()).orElse(null);
          if (version == null) {
            return fail(null, "no version of " + name + " has the alias '" + settings.modelAlias() + "' in "
                + tracking.describe());
          }
          if (serving != null && version.equals(serving.model().version())) {
            return record(new Check(Instant.now(), "serving " + serving.describe() + " (alias unchanged)", null));
          }
          if (version.equals(refusedVersion)) {
            return record(new Check(Instant.now(), "version " + version + " was refused before; still serving "
                + (serving == null ? "nothing" : serving.describe()), last.error()));
          }
          model = ScoringModel.resolve(tracking, name, version, settings.modelAlias(), "dxpipe.serve");
        }
      } else if (settings.modelPath().isEmpty()) {
        try (Tracking tracking = registry.get()) {
          model = ScoringModel.resolve(tracking, settings.mlflow().registeredModel(), settings.modelVersion(),
              settings.modelAlias(), "dxpipe.serve");
        }
      } else {
        model = ScoringModel.resolve(settings.modelPath(), 0, settings.modelAlias(), "dxpipe.serve", null, null);
      }
      OnlineModel loaded = OnlineModel.load(model, cleaning, settings.minKnownSymptoms(), spark);
      current.set(loaded); // the swap: requests that already read the old reference finish on it
      refusedVersion = null;
      if (serving != null) {
        metrics.swaps.increment();
      }
      String outcome = (serving == null ? "loaded " : "swapped from " + serving.describe() + " to ")
          + loaded.describe() + String.format(java.util.Locale.ROOT, ": %d golden rows agree with the batch path "
          + "(largest probability difference %.1e) in %d ms", loaded.gate().rows(), loaded.gate().maxDifference(),
          loaded.gate().millis());
      log.println("[dxpipe] serve: " + outcome);
      return record(new Check(Instant.now(), outcome, null));
    } catch (RuntimeException e) {
      return fail(version, Secrets.mask(e.getMessage() == null ? e.toString() : e.getMessage()));
    }
  }

  private Check fail(Integer version, String error) {
    OnlineModel serving = current.get();
    if (version != null) {
      refusedVersion = version;
      metrics.refusedModels.increment();
    }
    log.println("[dxpipe] serve: model " + (version == null ? "" : "version " + version + " ") + "not served: "
        + error + (serving == null ? "" : "; still serving " + serving.describe()));
    return record(new Check(Instant.now(), serving == null ? "no model" : "serving " + serving.describe(), error));
  }

  private Check record(Check c) {
    last = c;
    return c;
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
