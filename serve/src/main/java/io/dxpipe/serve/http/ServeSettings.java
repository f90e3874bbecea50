package io.dxpipe.serve.http;

import io.dxpipe.clean.CleanSettings;
import io.dxpipe.config.ConfigurationException;
import io.dxpipe.config.Keys;
import io.dxpipe.config.Settings;
import io.dxpipe.config.StorageSettings;
import io.dxpipe.ingest.IngestSettings;
import io.dxpipe.mlflow.MlflowSettings;
import io.dxpipe.score.ScoreSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Everything the prediction service reads from the configuration ({@code dxpipe.serve}, and the
 * clean rules, scoring's minimum of known symptoms, MLflow and the patient key it shares with the
 * jobs), read once before anything starts: a bad key fails start-up naming it.
 *
 * @param tokens the bearer tokens (from the file and the environment variable together)
 * @param keystore the TLS keystore, or null for plain HTTP
 * @param minKnownSymptoms {@code dxpipe.score.min-known-symptoms}: the service rejects what scoring rejects
 */
public record ServeSettings(
    String host,
    int port,
    boolean allowPlainHttp,
    Path keystore,
    String keystoreType,
    String keystorePassword,
    Tokens tokens,
    String modelAlias,
    int modelVersion,
    String modelPath,
    int pollSeconds,
    int topK,
    int maxRecords,
    long maxBodyBytes,
    int requestTimeoutMs,
    String patientIdSystem,
    byte[] patientKey,
    String auditTable,
    String predictionsTable,
    Path spoolDir,
    int flushSeconds,
    CleanSettings clean,
    int minKnownSymptoms,
    MlflowSettings mlflow) {

  public static ServeSettings from(Settings settings) {
    var dxpipe = settings.config().dxpipe();
    Keys keys = new Keys(dxpipe, "serve");
    String host = keys.nonEmptyString("host");
    boolean allowPlain = keys.bool("allow-plain-http");
    String keystore = keys.string("tls.keystore").trim();
    Path store = keystore.isEmpty() ? null : Path.of(keystore);
    if (store != null && !Files.isReadable(store)) {
      throw keys.invalid("tls.keystore", "names " + keystore + ", which is not a readable file");
    }
    if (store == null && !allowPlain && !isLoopback(host)) {
      throw keys.invalid("host", "is " + host + ", not a loopback address, and there is no TLS keystore "
          + "(dxpipe.serve.tls.keystore): patients' data would cross the network in clear. Give a keystore, or set "
          + "dxpipe.serve.allow-plain-http = true behind a gateway that terminates TLS");
    }
    Tokens tokens = tokens(keys);
    ScoreSettings score = ScoreSettings.from(dxpipe);
    int topK = keys.intAtLeast("top-k", 1);
    if (topK > RecordRequest.MAX_TOP_K) {
      throw keys.invalid("top-k", "is at most " + RecordRequest.MAX_TOP_K);
    }
    String spool = keys.nonEmptyString("audit.spool-dir");
    if (spool.contains("://") || spool.startsWith("dbfs:")) {
      throw keys.invalid("audit.spool-dir", "must be a local folder (the rows wait there, written through at once): "
          + spool);
    }
    return new ServeSettings(host, (int) keys.longBetween("port", 0, 65535), allowPlain, store,
        keys.nonEmptyString("tls.keystore-type"), keys.string("tls.keystore-password"), tokens,
        keys.nonEmptyString("model.alias"), keys.intAtLeast("model.version", 0), keys.string("model.path").trim(),
        keys.intAtLeast("poll-seconds", 0), topK, keys.intAtLeast("max-records", 1),
        keys.longAtLeast("max-body-bytes", 1024), keys.intAtLeast("request-timeout-ms", 100),
        keys.nonEmptyString("patient-id-system"), IngestSettings.from(dxpipe, settings.environment()).patientKey(),
        StorageSettings.absolute(keys.nonEmptyString("audit.table")),
        StorageSettings.absolute(keys.nonEmptyString("audit.predictions")), Path.of(spool),
        keys.intAtLeast("audit.flush-seconds", 1), CleanSettings.from(dxpipe), score.minKnownSymptoms(),
        MlflowSettings.from(dxpipe));
  }

  private static Tokens tokens(Keys keys) {
    String file = keys.string("tokens-file").trim();
    String env = keys.string("tokens-env").trim();
    Tokens fromFile = file.isEmpty() ? Tokens.none() : Tokens.load(Path.of(file));
    Tokens fromEnv = env.isEmpty() || System.getenv(env) == null ? Tokens.none() : Tokens.fromEnvironment(env);
    Tokens all = fromFile.and(fromEnv);
    if (all.size() == 0) {
      throw new ConfigurationException("dxpipe.serve: no bearer tokens (dxpipe.serve.tokens-file"
          + (file.isEmpty() ? " is empty" : " " + file + " holds none") + ", environment variable "
          + (env.isEmpty() ? "(none named)" : env + " is unset or empty") + "): every endpoint but /ping, /health, "
          + "/version and the form would refuse everyone. Make one with: scripts/serve.sh token clinician");
    }
    return all;
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Whether the service answers over TLS. */
  public boolean tls() {
    return keystore != null;
  }
}
