package io.dxpipe.serve.http;

import io.dxpipe.config.Settings;
import io.dxpipe.job.Job;
import io.dxpipe.job.JobRunner;
import io.dxpipe.job.JobSummary;
import java.util.concurrent.CountDownLatch;
import org.apache.spark.sql.SparkSession;

/**
 * The prediction service as a job: {@code --conf}, {@code key=value} overrides and {@code --check}
 * as for every job (the check reads every setting and the tokens; it does not load the model).
 * Runs until SIGTERM or SIGINT, which it handles itself: the server stops taking requests, lets the
 * in-flight ones finish, appends the spooled audit and prediction rows to Delta, and the summary
 * says what it answered and wrote. Started by {@code scripts/serve.sh}.
 */
public final class ServeJob implements Job<ServeSettings> {
  @Override
  public String name() {
    return "ServeJob";
  }

  @Override
  public String description() {
    return "Serves the champion model online: REST API (/v1/predict, MLflow's /invocations), a web form at /, "
        + "/health, /metrics; bearer tokens with roles; audit and online predictions appended to Delta.";
  }

  @Override
  public ServeSettings settings(Settings settings) {
    return ServeSettings.from(settings);
  }

  @Override
  public JobSummary execute(ServeSettings settings, SparkSession spark) throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    for (String signal : new String[] {"TERM", "INT"}) {
      sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> stop.countDown());
    }
    PredictionServer.Totals t;
    try (PredictionServer server = new PredictionServer(settings, spark, System.out)) {
      server.start();
      stop.await();
      System.out.println("[dxpipe] serve: stopping: in-flight requests finish, then the spool is appended");
      server.close();
      t = server.totals();
    }
    // read: requests; written: audit rows + prediction rows; rejected: records the model could not score
    return JobSummary.withoutBalance(name(), t.requests(), t.auditRows() + t.predictionRows(), t.rejected(),
        "a service: requests in, audit and prediction rows out")
        .detail("requests", t.requests())
        .detail("records predicted", t.predicted())
        .detail("records rejected", t.rejected())
        .detail("audit rows appended", t.auditRows())
        .detail("prediction rows appended", t.predictionRows())
        .detail("model swaps", t.swaps());
  }

  public static void main(String[] args) {
    JobRunner.main(new ServeJob(), args);
  }
}
