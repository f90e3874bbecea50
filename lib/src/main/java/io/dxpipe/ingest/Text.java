package io.dxpipe.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Decoding of file bytes, and payloads safe to store. */
final class Text {
  static final int MAX_PAYLOAD_CHARS = 256 * 1024;

  private Text() {}

  /** Strict UTF-8 (a BOM is dropped); null when the bytes are not UTF-8 text. */
  static String utf8(byte[] content) {
    try {
      String s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content)).toString();
      return s.startsWith("\uFEFF") ? s.substring(1) : s;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * The lines of a text, as {@code text.split("\r?\n", -1)} gives them (a lone {@code \r} stays in
   * its line, a trailing line break leaves an empty last line), without running a regex over every
   * character: on a JSON-lines file the regex split was 12% of the ingest job's CPU.
   */
  static java.util.List<String> lines(String text) {
    java.util.List<String> lines = new java.util.ArrayList<>();
    int start = 0;
    for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      lines.add(text.substring(start, nl > start && text.charAt(nl - 1) == '\r' ? nl - 1 : nl));
      start = nl + 1;
    }
    lines.add(text.substring(start));
    return lines;
  }

  /** The file as a storable payload: its text, or base64 for binary content; capped in size. */
  static String payload(byte[] content) {
    String text = utf8(content);
    String payload = text != null ? text : "base64:" + Base64.getEncoder().encodeToString(content);
    return cap(payload);
  }

  static String cap(String payload) {
    return payload == null || payload.length() <= MAX_PAYLOAD_CHARS ? payload
        : payload.substring(0, MAX_PAYLOAD_CHARS) + "...(truncated)";
  }

  /** A short excerpt of a parser's message, without the line noise of stack-trace style messages. */
  static String brief(String message) {
    if (message == null) {
      return "";
    }
    String first = message.lines().findFirst().orElse("");
    return first.length() > 200 ? first.substring(0, 200) + "..." : first;
  }
}
