package io.dxpipe.serve.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.config.ConfigurationException;
import io.dxpipe.serve.http.Tokens.Principal;
import io.dxpipe.serve.http.Tokens.Role;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {
  private static final String CLINICIAN_TOKEN = Tokens.newToken();
  private static final String OPS_TOKEN = Tokens.newToken();

  private static String file() {
    return "# tokens of the test ward\n"
        + Tokens.hashLine(CLINICIAN_TOKEN, "clinician", "ward-7-tablet") + "\n"
        + "\n"
        + Tokens.hashLine(OPS_TOKEN, "admin,monitor", "ops-team") + "   # the on-call team\n";
  }

  @Test
  void theRightTokenGivesItsPrincipalAndRoles(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("tokens");
    Files.writeString(f, file());
    Tokens tokens = Tokens.load(f);

    assertThat(tokens.size()).isEqualTo(2);
    assertThat(tokens.authenticate("Bearer " + CLINICIAN_TOKEN))
        .contains(new Principal("ward-7-tablet", Set.of(Role.CLINICIAN)));
    Principal ops = tokens.authenticate("bearer  " + OPS_TOKEN + " ").orElseThrow();
    assertThat(ops.name()).isEqualTo("ops-team");
    assertThat(ops.roles()).containsExactlyInAnyOrder(Role.ADMIN, Role.MONITOR);
    assertThat(ops.has(Role.CLINICIAN)).as("admin does not imply clinician").isFalse();
  }

  @Test
  void wrongMissingOtherSchemeOrShortTokensDoNotAuthenticate() {
    Tokens tokens = Tokens.parse(file(), "test");
    assertThat(tokens.authenticate(null)).isEmpty();
    assertThat(tokens.authenticate("")).isEmpty();
    assertThat(tokens.authenticate("Bearer")).isEmpty();
    assertThat(tokens.authenticate("Bearer " + Tokens.newToken())).isEmpty();
    assertThat(tokens.authenticate(CLINICIAN_TOKEN)).as("no scheme").isEmpty();
    assertThat(tokens.authenticate("Basic " + CLINICIAN_TOKEN)).isEmpty();
    assertThat(tokens.authenticate("Bearer " + CLINICIAN_TOKEN.substring(1))).as("one character off").isEmpty();
    assertThat(tokens.authenticate("Bearer " + CLINICIAN_TOKEN + "x")).isEmpty();
    assertThat(tokens.authenticate("Bearer " + "a".repeat(5000))).isEmpty();
  }

  @Test
  void aShortTokenNeverAuthenticatesEvenWhenItsHashIsListed() {
    String shortToken = "abcdefghijklmnopqrstuvwxyz01234"; // 31 characters
    String hash = HexFormat.of().formatHex(Tokens.sha256(shortToken));
    Tokens tokens = Tokens.parse(hash + " clinician someone", "test");
    assertThat(tokens.size()).isEqualTo(1);
    assertThat(tokens.authenticate("Bearer " + shortToken)).isEmpty();
    assertThatThrownBy(() -> Tokens.hashLine(shortToken, "clinician", "someone"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("at least 32");
  }

  @Test
  void badLinesAreNamedByNumberWithoutTheHash() {
    String good = Tokens.hashLine(CLINICIAN_TOKEN, "clinician", "a");
    String hash = good.split(" ")[0];
    assertBad("# c\n" + good + "\n" + hash + " clinician", "test line 3 has 2 fields", hash);
    assertBad(hash.substring(1) + " clinician a", "test line 1: the first field is not a SHA-256 hash", hash.substring(1));
    assertBad(hash + " nurse a", "test line 1: role 'nurse' is not one of clinician, admin, monitor", hash);
    assertBad(hash + " clinician, a", "test line 1: role '' is not one of", hash);
    assertBad(hash + " clin1cian a", "test line 1: role '?' is not one of", hash);
    assertBad(hash + " clinician a<script>", "test line 1: the principal name", hash);
    assertBad(good + "\n\n" + hash.toUpperCase() + " admin b", "test line 3 repeats the token of line 1", hash);
    assertBad(CLINICIAN_TOKEN + " clinician a", "test line 1: the first field is not a SHA-256 hash", CLINICIAN_TOKEN);
  }

  private static void assertBad(String text, String message, String secret) {
    assertThatThrownBy(() -> Tokens.parse(text, "test"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContainIgnoringCase(secret));
  }

  @Test
  void aMissingFileIsAConfigurationError(@TempDir Path dir) {
    assertThatThrownBy(() -> Tokens.load(dir.resolve("absent")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("is not readable");
  }

  @Test
  void theEnvironmentFormSeparatesLinesWithSemicolons() {
    String value = Tokens.hashLine(CLINICIAN_TOKEN, "clinician", "ward-7") + ";"
        + Tokens.hashLine(OPS_TOKEN, "monitor", "grafana");
    Tokens tokens = Tokens.fromEnvironmentValue("DXPIPE_TOKENS", value);
    assertThat(tokens.authenticate("Bearer " + OPS_TOKEN)).contains(new Principal("grafana", Set.of(Role.MONITOR)));
    assertThat(tokens.authenticate("Bearer " + CLINICIAN_TOKEN).map(Principal::name)).contains("ward-7");
    assertThatThrownBy(() -> Tokens.fromEnvironmentValue("DXPIPE_TOKENS", value + "; junk"))
        .hasMessageContaining("environment variable DXPIPE_TOKENS line 3 has 1 fields");
    assertThatThrownBy(() -> Tokens.fromEnvironment("DXPIPE_TEST_SURELY_UNSET_VARIABLE"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("DXPIPE_TEST_SURELY_UNSET_VARIABLE is not set");
  }

  @Test
  void newTokensAreLongRandomAndRoundTripThroughTheirLine() {
    String a = Tokens.newToken();
    assertThat(a).hasSize(43).matches("[A-Za-z0-9_-]+");
    assertThat(Tokens.newToken()).isNotEqualTo(a);
    String line = Tokens.hashLine(a, "MONITOR,clinician", "x");
    assertThat(line).matches("[0-9a-f]{64} clinician,monitor x");
    assertThat(line).doesNotContain(a);
    assertThat(Tokens.parse(line, "t").authenticate("Bearer " + a))
        .contains(new Principal("x", Set.of(Role.CLINICIAN, Role.MONITOR)));
  }

  @Test
  void theCommandLinePrintsATokenAndItsLine() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Tokens.run(new String[] {"admin", "ops"}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isZero();
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\\R");
    assertThat(lines).hasSize(2);
    assertThat(Tokens.parse(lines[1], "t").authenticate("Bearer " + lines[0]))
        .contains(new Principal("ops", Set.of(Role.ADMIN)));

    int bad = Tokens.run(new String[] {"nurse"}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(bad).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("role 'nurse' is not one of");
    assertThat(Tokens.run(new String[0], new PrintStream(out), new PrintStream(err))).isEqualTo(2);
  }
}
