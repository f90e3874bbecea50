package io.dxpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written replacements of regexes on ingest's per-record path give what the regexes gave:
 * checked on chosen edge cases and on random strings over the characters that matter.
 */
class IngestFastPathsTest {
  private static final int RANDOM_CASES = 200_000;

  private static String random(Random rnd, String alphabet, int maxLength) {
    int n = rnd.nextInt(maxLength + 1);
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  @Test
  void decimalCheckMatchesTheRegex() {
    List<String> edge = List.of("", "+", "-", ".", "1", "+1", "-1", "1.", ".5", "1.5", "1e5", "1E+5", "1e-5", "1e", "1e+",
        "1.5e3", "1.e3", "--1", "1..2", "1.2.3", "0x1p6", "98.6d", "NaN", "Infinity", "١٢", "1 ", " 1", "1e5.5");
    for (String s : edge) {
      assertThat(Units.isDecimal(s)).as("'%s'", s).isEqualTo(Units.DECIMAL.matcher(s).matches());
    }
    Random rnd = new Random(19);
    int decimals = 0;
    for (int i = 0; i < RANDOM_CASES; i++) {
      String s = random(rnd, "0123456789+-.eE x", 8);
      boolean expected = Units.DECIMAL.matcher(s).matches();
      assertThat(Units.isDecimal(s)).as("'%s'", s).isEqualTo(expected);
      decimals += expected ? 1 : 0;
    }
    assertThat(decimals).as("the random strings include decimals, not only refusals").isGreaterThan(RANDOM_CASES / 50);
  }

  @Test
  void linesAreWhatTheRegexSplitGave() {
    List<String> edge = List.of("", "\n", "\r", "\r\n", "\r\r\n", "a", "a\n", "a\r\nb", "a\rb", "\n\n", "a\n\r\nb\r",
        "\r\n\r\n");
    for (String s : edge) {
      assertThat(Text.lines(s)).as("'%s'", s.replace("\r", "\\r").replace("\n", "\\n"))
          .containsExactly(s.split("\r?\n", -1));
    }
    Random rnd = new Random(7);
    for (int i = 0; i < RANDOM_CASES; i++) {
      String s = random(rnd, "ab\r\n", 10);
      assertThat(Text.lines(s)).containsExactly(s.split("\r?\n", -1));
    }
  }

  @Test
  void personKeyIsTheKeyOfTheIdsLettersAndDigits() {
    byte[] key = "a test key of thirty-two bytes!!".getBytes(StandardCharsets.UTF_8);
    Pseudonymizer p = new Pseudonymizer(key);
    Pseudonymizer reference = new Pseudonymizer(key);
    Random rnd = new Random(3);
    for (int i = 0; i < 20_000; i++) {
      String id = random(rnd, "09AZaz- .é_/", 12);
      String kept = id.replaceAll("[^0-9A-Za-z]", "").toUpperCase(java.util.Locale.ROOT);
      String expected = kept.isEmpty() ? null : reference.personKey(kept);
      assertThat(p.personKey(id)).as("'%s'", id).isEqualTo(expected);
    }
    assertThat(p.personKey("999-54-4118")).isEqualTo(p.personKey("999 54 4118")).isEqualTo(p.personKey("999544118"));
    assertThat(p.personKey("-- --")).isNull();
    assertThat(Arrays.asList(p.personKey("ab12"), p.personKey("AB12"))).containsOnly(p.personKey("AB12"));
  }
}
