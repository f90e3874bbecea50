package io.dxpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.generate.SampleSources;
import io.dxpipe.testing.IngestFixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Files built to break a parser (deep nesting, huge values, entities) are unreadable files with
 * the limit named, never an Error that takes the executor JVM down.
 */
class HostileInputTest {
  private static final IngestSettings SETTINGS = IngestFixtures.ingestSettings();

  private static SourceSettings source(SourceFormat f) {
    return SETTINGS.sources().get(SampleSources.name(f));
  }

  private static List<RawRecord> parse(SourceFormat format, String content) throws Exception {
    SourceSettings s = source(format);
    return RecordParser.of(s.format()).parse(content.getBytes(StandardCharsets.UTF_8), s);
  }

  private static String nested(String open, String close, int depth, String inner) {
    StringBuilder b = new StringBuilder(depth * (open.length() + close.length()) + inner.length());
    b.append(open.repeat(depth)).append(inner).append(close.repeat(depth));
    return b.toString();
  }

  @Test
  void deepXmlIsAnUnreadableFileNamingTheLimit() {
    String doc = "<registryExport><record id=\"1\">" + nested("<x>", "</x>", 100_000, "") + "</record></registryExport>";
    assertThatThrownBy(() -> parse(SourceFormat.REGISTRY_XML, doc))
        .isInstanceOf(RecordParser.UnreadableFileException.class)
        .hasMessageContaining("XML nesting deeper than 100 elements");
  }

  @Test
  void xmlJustInsideTheDepthLimitIsRead() throws Exception {
    // registryExport + record + 98 wrappers = 100 levels
    String doc = "<registryExport><record id=\"1\">" + nested("<x>", "</x>", 98, "")
        + "<patient registryId=\"p\"/><visit date=\"2025-01-01\"/></record></registryExport>";
    assertThat(parse(SourceFormat.REGISTRY_XML, doc)).hasSize(1);
  }

  @Test
  void xmlEntitiesStayRefused() {
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<registryExport>&x;</registryExport>";
    assertThatThrownBy(() -> parse(SourceFormat.REGISTRY_XML, xxe))
        .isInstanceOf(RecordParser.UnreadableFileException.class)
        .hasMessageContaining("DOCTYPE declaration is refused");
    String laughs = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"lol\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">"
        + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]><registryExport>&c;</registryExport>";
    assertThatThrownBy(() -> parse(SourceFormat.REGISTRY_XML, laughs))
        .isInstanceOf(RecordParser.UnreadableFileException.class)
        .hasMessageContaining("DOCTYPE declaration is refused");
  }

  @Test
  void xmlBeyondTheJdkSizeLimitsIsUnreadable() {
    String longName = "<registryExport " + "a".repeat(2_000) + "=\"1\"/>";
    assertThatThrownBy(() -> parse(SourceFormat.REGISTRY_XML, longName))
        .isInstanceOf(RecordParser.UnreadableFileException.class)
        .hasMessageContaining("XML beyond a parser limit");
  }

  @Test
  void jsonStringsOverTheLimitNameTheLimit() {
    String doc = "{\"note\":\"" + "x".repeat(JsonRecordParser.MAX_STRING_LENGTH + 1) + "\"}";
    assertThatThrownBy(() -> parse(SourceFormat.JSON, doc))
        .isInstanceOf(RecordParser.UnreadableFileException.class)
        .hasMessageContaining("string value longer than 20,000,000 characters (Jackson's maxStringLength)");
  }

  @Test
  void deepJsonNamesTheLimitForFilesAndLines() throws Exception {
    String doc = "{\"a\":" + nested("[", "]", 100_000, "") + "}";
    assertThatThrownBy(() -> parse(SourceFormat.JSON, doc))
        .isInstanceOf(RecordParser.UnreadableFileException.class)
        .hasMessageContaining("nesting deeper than 1,000 levels")
        .hasMessageContaining("at line 1, column ");
    List<RawRecord> lines = parse(SourceFormat.JSONL, "{\"a\":1}\n" + doc + "\n");
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1).malformed).startsWith("line 2 is JSON beyond a parser limit: nesting deeper than 1,000 levels");
  }

  @Test
  void jsonAtTheDepthLimitIsRead() throws Exception {
    // the record object is the first level
    String doc = "{\"a\":" + nested("[", "]", JsonRecordParser.MAX_NESTING_DEPTH - 1, "") + "}";
    assertThat(parse(SourceFormat.JSON, doc)).hasSize(1);
  }
}
