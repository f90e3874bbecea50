package io.dxpipe.serve.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.config.ConfigurationException;
import io.dxpipe.testing.TestSettings;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS from a keystore (a self-signed certificate for 127.0.0.1 made here with the JDK's keytool):
 * a client that trusts it gets answers over https, a plain-HTTP client on the same port gets none.
 * And the settings that keep patients' data off the network in clear: a non-loopback address needs
 * a keystore or an explicit allow-plain-http; no tokens, no start.
 */
class TlsAndSettingsTest {
  @TempDir
  Path root;

  @Test
  void theServiceAnswersOverTlsAndNotInClear() throws Exception {
    Path keystore = root.resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "dxpipe", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname",
        "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore",
        keystore.toString(), "-storepass", "test-keystore-pw", "-keypass", "test-keystore-pw")
        .redirectErrorStream(true).start();
    String out = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor()).as(out).isZero();

    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      trust.load(in, "test-keystore-pw".toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    HttpClient client = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();

    try (ServerFixture f = ServerFixture.start(root, null, client, "serve.tls.keystore=\"" + keystore + "\"",
        "serve.tls.keystore-password=test-keystore-pw")) {
      assertThat(f.scheme).isEqualTo("https");
      HttpResponse<String> r = f.post("/v1/predict", f.clinician, "application/json",
          "{\"age\": 30, \"symptoms\": [\"cough\", \"fatigue\"]}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.uri().getScheme()).isEqualTo("https");
      HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      boolean answered;
      try {
        HttpResponse<String> clear = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.port
            + "/v1/predict")).timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + f.clinician)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                "{\"symptoms\": [\"cough\"]}")).build(), HttpResponse.BodyHandlers.ofString());
        answered = clear.statusCode() == 200;
      } catch (java.io.IOException e) {
        answered = false; // the TLS connector does not speak plain HTTP
      }
      assertThat(answered).as("a plain-HTTP request to the TLS port got a prediction").isFalse();
    }
  }

  @Test
  void aNetworkAddressNeedsTlsOrAnExplicitChoiceAndTokensAreRequired() throws Exception {
    Path tokens = root.resolve("tokens");
    Files.writeString(tokens, Tokens.hashLine(Tokens.newToken(), "clinician", "t") + "\n");
    String file = "serve.tokens-file=\"" + tokens + "\"";
    assertThatThrownBy(() -> ServeSettings.from(TestSettings.load(file, "serve.host=0.0.0.0")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("dxpipe.serve.host")
        .hasMessageContaining("not a loopback address").hasMessageContaining("allow-plain-http");
    assertThat(ServeSettings.from(TestSettings.load(file, "serve.host=0.0.0.0", "serve.allow-plain-http=true")).host())
        .isEqualTo("0.0.0.0");
    assertThatThrownBy(() -> ServeSettings.from(TestSettings.load("serve.tokens-env=\"\"")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("no bearer tokens")
        .hasMessageContaining("scripts/serve.sh token clinician");
    assertThatThrownBy(() -> ServeSettings.from(TestSettings.load(file, "serve.tls.keystore=/nonexistent/ks.p12")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("not a readable file");
    assertThatThrownBy(() -> ServeSettings.from(TestSettings.load(file, "serve.audit.spool-dir=\"abfss://c@a/x\"")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("must be a local folder");
  }
}
