package io.dxpipe.serve.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.clean.SilverBuilder;
import io.dxpipe.ingest.Pseudonymizer;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Predictions;
import io.dxpipe.serve.OnlineModel;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The online prediction service: an HTTP server (Javalin on Jetty 12) over the champion model's
 * {@link OnlineModel}, with bearer-token roles, RFC 9457 problems for every bad request, Prometheus
 * metrics, and the audit and online-predictions rows spooled to Delta. Endpoints, shapes and
 * settings: README "Prediction service" and {@code /openapi.yaml}.
 *
 * <p>Nothing of a record's content goes to the log or into an error response, with one exception
 * the batch path shares: the reason a record is rejected names its symptoms (as the scoring
 * quarantine does), returned to the caller who sent them.
 */
public final class PredictionServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String START = "dxpipe.start";
  private static final String ID = "dxpipe.request-id";
  private static final String PRINCIPAL = "dxpipe.principal";
  private static final String RECORDS = "dxpipe.records";
  private static final String REJECTED = "dxpipe.rejected";
  private static final String PATIENTS = "dxpipe.patients";
  private static final String MODEL = "dxpipe.model";
  private static final String RECORDED = "dxpipe.recorded";
  private static final String SOURCE = "online";

  /** Who may call what; a path not listed needs no token. */
  private static final Map<String, Tokens.Role> ROLES = Map.of(
      "/v1/predict", Tokens.Role.CLINICIAN,
      "/invocations", Tokens.Role.CLINICIAN,
      "/predict", Tokens.Role.CLINICIAN,
      "/v1/symptoms", Tokens.Role.CLINICIAN,
      "/metrics", Tokens.Role.MONITOR,
      "/admin/reload", Tokens.Role.ADMIN,
      "/admin/audit", Tokens.Role.ADMIN);
  /** Requests not audited (probes and static files): everything else, and every 401 and 403, is. */
  private static final java.util.Set<String> UNAUDITED = java.util.Set.of("/ping", "/health", "/metrics", "/",
      "/openapi.yaml", "/version");

  private final ServeSettings settings;
  private final SparkSession spark;
  private final PrintStream log;
  private final Metrics metrics = new Metrics();
  private final ModelLifecycle lifecycle;
  private final RecordRequest parser;
  private final DeltaSpool audit;
  private final DeltaSpool predictions;
  private final ThreadLocal<Pseudonymizer> pseudonymizer;
  private final String instanceId = UUID.randomUUID().toString();
  private final java.util.Deque<Map<String, Object>> recentAudit = new java.util.concurrent.ConcurrentLinkedDeque<>();
  private final java.util.concurrent.atomic.AtomicInteger recentAuditSize = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.ScheduledExecutorService flusher;
  private final java.util.concurrent.atomic.LongAdder requests = new java.util.concurrent.atomic.LongAdder();
  private Javalin app;
  private boolean closed;

  public PredictionServer(ServeSettings settings, SparkSession spark, PrintStream log) {
    this(settings, spark, log, () -> io.dxpipe.mlflow.Tracking.open(settings.mlflow(),
        spark.sparkContext().hadoopConfiguration()));
  }

  /** @param registry opens the model registry the lifecycle polls */
  public PredictionServer(ServeSettings settings, SparkSession spark, PrintStream log,
      java.util.function.Supplier<io.dxpipe.mlflow.Tracking> registry) {
    this.settings = settings;
    this.spark = spark;
    this.log = log;
    SilverBuilder cleaning = SilverBuilder.load(settings.clean(), DiseaseCatalogue.fromClasspath());
    this.lifecycle = new ModelLifecycle(settings, cleaning, spark, metrics, log, registry);
    this.parser = new RecordRequest(settings.maxRecords());
    this.audit = new DeltaSpool("audit", OnlineTables.AUDIT, settings.auditTable(), List.of(OnlineTables.AUDIT_DATE),
        settings.spoolDir());
    this.predictions = new DeltaSpool("predictions", OnlineTables.PREDICTIONS, settings.predictionsTable(),
        Predictions.PARTITION_BY, settings.spoolDir());
    byte[] key = settings.patientKey();
    this.pseudonymizer = ThreadLocal.withInitial(() -> new Pseudonymizer(key));
    this.flusher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dxpipe-serve-spool-flush");
      t.setDaemon(true);
      return t;
    });
    metrics.gauge("dxpipe_serve_model_version", () -> {
      OnlineModel m = lifecycle.current();
      return m == null || m.model().version() == null ? -1 : m.model().version();
    });
    metrics.gauge("dxpipe_serve_model_loaded", () -> lifecycle.current() == null ? 0 : 1);
    metrics.gauge("dxpipe_serve_spool_rows_waiting", () -> audit.pending() + predictions.pending());
  }

  /** Appends what earlier runs left in the spool, loads the model, starts the server; returns the port. */
  public int start() {
    long replayed = flushSpools();
    if (replayed > 0) {
      log.println("[dxpipe] serve: appended " + replayed + " rows a previous run left in " + settings.spoolDir());
    }
    ModelLifecycle.Check first = lifecycle.check();
    if (lifecycle.current() == null) {
      log.println("[dxpipe] serve: WARNING no model to serve yet (" + first.error() + "): /v1/predict answers 503 "
          + "until one loads" + (lifecycle.followsAlias() && settings.pollSeconds() > 0 ? " (polling every "
          + settings.pollSeconds() + " s)" : ""));
    }
    app = Javalin.create(c -> {
      c.startup.showJavalinBanner = false;
      c.http.maxRequestSize = settings.maxBodyBytes();
      c.http.prefer405over404 = true;
      c.jetty.modifyServer(server -> server.setStopTimeout(10_000)); // in-flight requests finish on stop
      if (settings.tls()) {
        c.jetty.addConnector((server, http) -> {
          SslContextFactory.Server ssl = new SslContextFactory.Server();
          ssl.setKeyStorePath(settings.keystore().toString());
          ssl.setKeyStoreType(settings.keystoreType());
          ssl.setKeyStorePassword(settings.keystorePassword());
          http.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer(false));
          ServerConnector connector = new ServerConnector(server, ssl, new org.eclipse.jetty.server.HttpConnectionFactory(http));
          connector.setHost(settings.host());
          connector.setPort(settings.port());
          connector.setIdleTimeout(settings.requestTimeoutMs());
          return connector;
        });
      } else {
        c.jetty.addConnector((server, http) -> {
          ServerConnector connector = new ServerConnector(server, new org.eclipse.jetty.server.HttpConnectionFactory(http));
          connector.setHost(settings.host());
          connector.setPort(settings.port());
          connector.setIdleTimeout(settings.requestTimeoutMs());
          return connector;
        });
      }
      c.routes.before(this::before);
      c.routes.after(this::after);
      c.routes.get("/", ctx -> resource(ctx, "index.html", "text/html; charset=utf-8"));
      c.routes.get("/assets/{file}", ctx -> resource(ctx, ctx.pathParam("file"), null));
      c.routes.get("/openapi.yaml", ctx -> resource(ctx, "openapi.yaml", "application/yaml"));
      c.routes.get("/ping", this::ping);
      c.routes.get("/health", this::health);
      c.routes.get("/version", this::version);
      c.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
          .result(metrics.prometheus()));
      c.routes.post("/v1/predict", ctx -> predict(ctx, false));
      c.routes.post("/invocations", ctx -> predict(ctx, true));
      c.routes.get("/predict", this::predictQuery);
      c.routes.get("/v1/symptoms", this::symptoms);
      c.routes.post("/admin/reload", this::reload);
      c.routes.get("/admin/audit", this::recentAudit);
      c.routes.exception(HttpResponseException.class, (e, ctx) -> httpProblem(ctx, e.getStatus()));
      c.routes.exception(Exception.class, (e, ctx) -> {
        // no message or trace to the caller or the log: either could carry a record's content
        log.println("[dxpipe] serve: request " + ctx.attribute(ID) + " failed: " + e.getClass().getName());
        problem(ctx, Problem.internalError(ctx.path(), ctx.attribute(ID)));
      });
      c.routes.error(404, ctx -> {
        if (!Problem.MEDIA_TYPE.equals(ctx.res().getContentType())) {
          problem(ctx, Problem.notFound(ctx.path(), ctx.attribute(ID)));
        }
      });
      c.routes.error(405, ctx -> problem(ctx, Problem.methodNotAllowed(List.of(), ctx.path(), ctx.attribute(ID))));
    }).start();
    int port = ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort();
    lifecycle.startPolling();
    flusher.scheduleWithFixedDelay(this::flushQuietly, settings.flushSeconds(), settings.flushSeconds(),
        java.util.concurrent.TimeUnit.SECONDS);
    log.println("[dxpipe] serve: listening on " + (settings.tls() ? "https" : "http") + "://" + settings.host() + ":"
        + port + "/ (" + settings.tokens().size() + " tokens; model: " + (lifecycle.current() == null ? "none yet"
        : lifecycle.current().describe()) + ")");
    return port;
  }

  // ---- the request's frame: id, auth, metrics, audit ----

  private void before(Context ctx) {
    ctx.attribute(START, System.nanoTime());
    String given = ctx.header("X-Request-Id");
    String id = given != null && REQUEST_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    ctx.attribute(ID, id);
    ctx.header("X-Request-Id", id);
    ctx.header("Cache-Control", "no-store");
    ctx.header("X-Content-Type-Options", "nosniff");
    Tokens.Role needed = ROLES.get(ctx.path());
    if (needed == null) {
      return;
    }
    String header = ctx.header("Authorization");
    Tokens.Principal principal = settings.tokens().authenticate(header).orElse(null);
    if (principal == null) {
      ctx.header("WWW-Authenticate", header == null ? Problem.WWW_AUTHENTICATE : Problem.WWW_AUTHENTICATE_INVALID_TOKEN);
      problem(ctx, Problem.unauthorized(ctx.path(), id));
      after(ctx); // skipping the remaining handlers skips the after handler too
      ctx.skipRemainingHandlers();
      return;
    }
    ctx.attribute(PRINCIPAL, principal);
    if (!principal.has(needed)) {
      problem(ctx, Problem.forbidden(needed, ctx.path(), id));
      after(ctx);
      ctx.skipRemainingHandlers();
    }
  }

  /** Counts the request in the metrics and writes its audit row (once). */
  private void after(Context ctx) {
    if (ctx.attribute(RECORDED) != null) {
      return;
    }
    ctx.attribute(RECORDED, Boolean.TRUE);
    Long start = ctx.attribute(START);
    double seconds = start == null ? 0 : (System.nanoTime() - start) / 1e9;
    int status = ctx.status().getCode();
    // unknown paths are not metric labels (a scanner would make one per path)
    String endpoint = ROLES.containsKey(ctx.path()) || UNAUDITED.contains(ctx.path()) ? ctx.path()
        : ctx.path().startsWith("/assets/") ? "/assets" : "(other)";
    metrics.request(endpoint, status, seconds);
    requests.increment();
    if (UNAUDITED.contains(ctx.path()) || ctx.path().startsWith("/assets/")) {
      if (status != 401 && status != 403) {
        return;
      }
    }
    Tokens.Principal p = ctx.attribute(PRINCIPAL);
    OnlineModel model = ctx.attribute(MODEL);
    Instant now = Instant.now();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put(OnlineTables.TIME, now.toString());
    row.put(OnlineTables.AUDIT_DATE, LocalDate.ofInstant(now, ZoneOffset.UTC).toString());
    row.put(OnlineTables.REQUEST_ID, ctx.attribute(ID));
    row.put(OnlineTables.PRINCIPAL, p == null ? null : p.name());
    row.put(OnlineTables.ROLES, p == null ? null : String.join(",", p.roles().stream().map(Tokens.Role::label).sorted().toList()));
    row.put(OnlineTables.METHOD, ctx.method().name());
    row.put(OnlineTables.ENDPOINT, endpoint);
    row.put(OnlineTables.STATUS, status);
    row.put(OnlineTables.LATENCY_MS, seconds * 1000);
    row.put(OnlineTables.MODEL_NAME, model == null ? null : model.model().name());
    row.put(OnlineTables.MODEL_VERSION, model == null ? null : model.model().version());
    row.put(OnlineTables.RECORDS, ctx.attributeOrCompute(RECORDS, c -> 0));
    row.put(OnlineTables.REJECTED_RECORDS, ctx.attributeOrCompute(REJECTED, c -> 0));
    row.put(OnlineTables.PATIENT_KEYS, ctx.attributeOrCompute(PATIENTS, c -> List.of()));
    try {
      audit.append(row);
    } catch (RuntimeException e) {
      log.println("[dxpipe] serve: WARNING audit row of request " + ctx.attribute(ID) + " not spooled: " + e);
    }
    recentAudit.addFirst(row);
    if (recentAuditSize.incrementAndGet() > 200 && recentAudit.pollLast() != null) {
      recentAuditSize.decrementAndGet();
    }
  }

  private static void problem(Context ctx, Problem p) {
    ctx.status(p.status()).contentType(Problem.MEDIA_TYPE).result(p.toJson());
  }

  private void httpProblem(Context ctx, int status) {
    String id = ctx.attribute(ID);
    Problem p = switch (status) {
      case 413 -> Problem.payloadTooLarge(settings.maxBodyBytes(), ctx.path(), id);
      case 404 -> Problem.notFound(ctx.path(), id);
      case 405 -> Problem.methodNotAllowed(List.of(), ctx.path(), id);
      case 415 -> Problem.unsupportedMediaType(ctx.path(), id);
      default -> status >= 500 ? Problem.internalError(ctx.path(), id)
          : Problem.badRequest(List.of(new FieldError(FieldError.BODY, "the request could not be read")), ctx.path(), id);
    };
    problem(ctx, p);
  }

  // ---- endpoints ----

  private void ping(Context ctx) {
    ctx.status(lifecycle.current() == null ? 503 : 200).contentType("text/plain").result("\n");
  }

  private void health(Context ctx) throws IOException {
    OnlineModel m = lifecycle.current();
    ModelLifecycle.Check check = lifecycle.last();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", m == null ? "no-model" : check.error() == null ? "ok" : "degraded");
    out.put("model", m == null ? null : publicModelInfo(m));
    if (m != null) {
      out.put("gate", Map.of("golden_rows", m.gate().rows(), "max_probability_difference", m.gate().maxDifference(),
          "millis", m.gate().millis()));
    }
    Map<String, Object> last = new LinkedHashMap<>();
    last.put("at", check.at().toString());
    last.put("outcome", check.outcome());
    last.put("error", check.error());
    out.put("last_check", last);
    out.put("spool_rows_waiting", audit.pending() + predictions.pending());
    json(ctx.status(m == null ? 503 : 200), out);
  }

  private void version(Context ctx) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    String v = PredictionServer.class.getPackage().getImplementationVersion();
    out.put("service", "dxpipe-serve " + (v == null ? "development build" : v));
    OnlineModel m = lifecycle.current();
    out.put("model", m == null ? null : publicModelInfo(m));
    json(ctx, out);
  }

  /** What the open endpoints say of the model: no storage path or run id. */
  private static Map<String, Object> publicModelInfo(OnlineModel m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", m.model().name());
    out.put("version", m.model().version());
    out.put("classes", m.classes());
    return out;
  }

  private static Map<String, Object> modelInfo(OnlineModel m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", m.model().name());
    out.put("version", m.model().version());
    out.put("run_id", m.model().runId());
    out.put("uri", m.model().uri());
    out.put("classes", m.classes());
    return out;
  }

  private void symptoms(Context ctx) throws IOException {
    OnlineModel m = lifecycle.current();
    if (m == null) {
      problem(ctx, Problem.serviceUnavailable(ctx.path(), ctx.attribute(ID)));
      return;
    }
    List<Map<String, Object>> inputs = new ArrayList<>();
    for (io.dxpipe.schema.DeclaredInputs.Input in : m.declaredInputs().inputs()) {
      inputs.add(Map.of("name", in.name(), "type", in.type().name().toLowerCase(java.util.Locale.ROOT), "levels",
          in.levels()));
    }
    json(ctx, Map.of("symptoms", m.symptoms(), "inputs", inputs, "model", modelInfo(m)));
  }

  private void reload(Context ctx) throws IOException {
    ModelLifecycle.Check c = lifecycle.check();
    OnlineModel m = lifecycle.current();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("outcome", c.outcome());
    out.put("error", c.error());
    out.put("model", m == null ? null : modelInfo(m));
    json(ctx, out);
  }

  private void recentAudit(Context ctx) throws IOException {
    int limit = 50;
    String l = ctx.queryParam("limit");
    if (l != null) {
      try {
        limit = Math.max(1, Math.min(200, Integer.parseInt(l)));
      } catch (NumberFormatException e) {
        problem(ctx, Problem.badRequest(List.of(new FieldError("limit", "must be a whole number from 1 to 200")),
            ctx.path(), ctx.attribute(ID)));
        return;
      }
    }
    json(ctx, Map.of("audit", recentAudit.stream().limit(limit).toList()));
  }

  private void predictQuery(Context ctx) throws IOException {
    answer(ctx, parser.query(ctx.queryParamMap()), false);
  }

  private void predict(Context ctx, boolean mlflow) throws IOException {
    FieldError type = RecordRequest.contentType(ctx.header("Content-Type"));
    if (type != null) {
      problem(ctx, Problem.unsupportedMediaType(ctx.path(), ctx.attribute(ID)));
      return;
    }
    long length = ctx.contentLength();
    if (length > settings.maxBodyBytes()) {
      problem(ctx, Problem.payloadTooLarge(settings.maxBodyBytes(), ctx.path(), ctx.attribute(ID)));
      return;
    }
    byte[] body = ctx.bodyAsBytes();
    answer(ctx, mlflow ? parser.invocations(body) : parser.predict(body), mlflow);
  }

  private void answer(Context ctx, RecordRequest.Parsed parsed, boolean mlflow) throws IOException {
    String id = ctx.attribute(ID);
    if (!parsed.ok()) {
      problem(ctx, Problem.badRequest(parsed.errors(), ctx.path(), id));
      return;
    }
    OnlineModel model = lifecycle.current(); // read once: the request finishes on this model whatever swaps
    if (model == null) {
      problem(ctx, Problem.serviceUnavailable(ctx.path(), id));
      return;
    }
    ctx.attribute(MODEL, model);
    int k = Math.min(parsed.topK() == null ? settings.topK() : parsed.topK(), model.classes());
    Instant now = Instant.now();
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    List<Map<String, Object>> results = new ArrayList<>();
    List<String> patients = new ArrayList<>();
    int rejected = 0;
    List<OnlineModel.Outcome> outcomes = new ArrayList<>();
    List<Map<String, Object>> bronze = new ArrayList<>();
    for (int i = 0; i < parsed.records().size(); i++) {
      Map<String, Object> record = bronzeRecord(parsed.records().get(i), id, i, today);
      bronze.add(record);
      if (record.get(Bronze.PATIENT_KEY) != null) {
        patients.add((String) record.get(Bronze.PATIENT_KEY));
      }
      OnlineModel.Outcome o = model.predict(record, k);
      outcomes.add(o);
      rejected += o.rejected() ? 1 : 0;
    }
    ctx.attribute(RECORDS, parsed.records().size());
    ctx.attribute(REJECTED, rejected);
    ctx.attribute(PATIENTS, patients);
    metrics.predicted.add(parsed.records().size() - rejected);
    metrics.rejected.add(rejected);
    for (int i = 0; i < outcomes.size(); i++) {
      if (!outcomes.get(i).rejected()) {
        predictions.append(OnlineTables.predictionRow(bronze.get(i), outcomes.get(i), model, id, instanceId, now, today));
      }
    }
    if (!mlflow && outcomes.size() == 1 && outcomes.get(0).rejected()) {
      OnlineModel.Outcome o = outcomes.get(0);
      Problem p = Problem.unprocessable(o.rejectionReason(), ctx.path(), id);
      ctx.status(422).contentType(Problem.MEDIA_TYPE).result(withReasonCode(p, o));
      return;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (mlflow) {
      List<Object> codes = new ArrayList<>();
      List<Object> top = new ArrayList<>();
      List<Object> rejections = new ArrayList<>();
      for (int i = 0; i < outcomes.size(); i++) {
        OnlineModel.Outcome o = outcomes.get(i);
        codes.add(o.predictedCode());
        top.add(o.rejected() ? null : diseases(o));
        if (o.rejected()) {
          rejections.add(Map.of("index", i, "reason_code", o.rejectionCode(), "reason", o.rejectionReason()));
        }
      }
      out.put("predictions", codes);
      out.put("top", top);
      out.put("rejected", rejections);
      out.put("model", modelInfo(model));
      out.put("request_id", id);
    } else {
      for (int i = 0; i < outcomes.size(); i++) {
        results.add(result(i, outcomes.get(i)));
      }
      out.put("request_id", id);
      out.put("model", modelInfo(model));
      out.put("predictions", results);
    }
    json(ctx, out);
  }

  private static String withReasonCode(Problem p, OnlineModel.Outcome o) {
    com.fasterxml.jackson.databind.node.ObjectNode n = p.toJsonNode();
    n.put("reason_code", o.rejectionCode());
    n.set("flags", JSON.valueToTree(o.flags()));
    n.set("notes", JSON.valueToTree(o.flags().stream().map(FlagText::describe).toList()));
    return n.toString();
  }

  private static Map<String, Object> result(int index, OnlineModel.Outcome o) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("index", index);
    if (o.rejected()) {
      r.put("status", "rejected");
      r.put("reason_code", o.rejectionCode());
      r.put("reason", o.rejectionReason());
    } else {
      r.put("status", "predicted");
      r.put("predicted_code", o.predictedCode());
      r.put("diseases", diseases(o));
      r.put("orphan_in_top", o.top().stream().anyMatch(OnlineModel.RankedDisease::orphan));
    }
    r.put("flags", o.flags());
    r.put("notes", o.flags().stream().map(FlagText::describe).toList());
    return r;
  }

  private static List<Map<String, Object>> diseases(OnlineModel.Outcome o) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (OnlineModel.RankedDisease d : o.top()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("code", d.code());
      m.put("name", d.name());
      m.put("probability", d.probability());
      m.put("orphan", d.orphan());
      m.put("catalogue_id", d.catalogueId());
      out.add(m);
    }
    return out;
  }

  /** The parsed record in bronze's columns, as a delivery of source "online" today would hold it. */
  private Map<String, Object> bronzeRecord(Map<String, Object> parsed, String requestId, int index, LocalDate today) {
    Map<String, Object> r = new LinkedHashMap<>(parsed);
    Object patient = r.remove(RecordRequest.PATIENT_ID);
    r.put(Bronze.RECORD_KEY, requestId + "#" + index);
    r.put(Bronze.SOURCE, SOURCE);
    r.put(Bronze.SOURCE_RECORD_ID, requestId + "#" + index);
    r.put(Bronze.PATIENT_KEY, patient == null ? null
        : pseudonymizer.get().patientKey(settings.patientIdSystem(), patient.toString()));
    r.put(Bronze.DELIVERY_DATE, today);
    return r;
  }

  private static void json(Context ctx, Object value) throws IOException {
    ctx.contentType("application/json").result(JSON.writeValueAsBytes(value));
  }

  private static void resource(Context ctx, String name, String type) throws IOException {
    if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
      problem(ctx, Problem.notFound(ctx.path(), ctx.attribute(ID)));
      return;
    }
    try (InputStream in = PredictionServer.class.getResourceAsStream("/serve/web/" + name)) {
      if (in == null) {
        problem(ctx, Problem.notFound(ctx.path(), ctx.attribute(ID)));
        return;
      }
      String t = type != null ? type : name.endsWith(".js") ? "text/javascript; charset=utf-8"
          : name.endsWith(".css") ? "text/css; charset=utf-8" : name.endsWith(".svg") ? "image/svg+xml"
          : "application/octet-stream";
      ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; "
          + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
      ctx.contentType(t).result(in.readAllBytes());
    }
  }

  // ---- spool ----

  private void flushQuietly() {
    try {
      flushSpools();
    } catch (RuntimeException e) {
      log.println("[dxpipe] serve: WARNING spool not appended yet (kept for the next flush): " + e);
    }
  }

  /** Appends the spooled audit and prediction rows to their Delta tables; returns the rows appended. */
  public synchronized long flushSpools() {
    return audit.flush(spark) + predictions.flush(spark);
  }

  /** What the service did, for the summary at shutdown. */
  public record Totals(long requests, long predicted, long rejected, long auditRows, long predictionRows, long swaps) {}

  public Totals totals() {
    return new Totals(requests.sum(), metrics.predicted.sum(), metrics.rejected.sum(), audit.written(),
        predictions.written(), metrics.swaps.sum());
  }

  /** Stops accepting requests, lets in-flight ones finish, then appends the spool. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (app != null) {
      app.stop();
    }
    lifecycle.close();
    flusher.shutdown(); // a flush under way finishes (interrupting it would abort its Delta commit)
    try {
      flusher.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flushSpools();
  }

  /** For tests: the lifecycle, to force a check. */
  ModelLifecycle lifecycle() {
    return lifecycle;
  }
}
