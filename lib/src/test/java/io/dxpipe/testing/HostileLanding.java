package io.dxpipe.testing;

import io.dxpipe.generate.PatientRecord;
import io.dxpipe.generate.SampleSources;
import io.dxpipe.ingest.SourceFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A landing zone of hostile but ordinary deliveries, as hospital systems make them: file names with
 * glob characters, non-ASCII letters and identifiers, empty, hidden, truncated, binary, oversized and
 * deeply nested files, sub-folders and symbolic links, files in the wrong place, and old files. Each
 * entry comes with where it must end up and why, so a test can account for every one.
 */
public final class HostileLanding {
  /** Where an entry must go: bronze (its record count), quarantine whole (reason), or skipped (reason). */
  public enum Fate { BRONZE, QUARANTINED, SKIPPED }

  public record Expected(String relative, Fate fate, String reason, int records) {}

  public static final String DATE = "2026-11-24";
  public static final String JSON_DIR = SampleSources.name(SourceFormat.JSON) + "/" + DATE;
  /** A name that carries a patient's name and national id, as real deliveries do. */
  public static final String IDENTIFYING_NAME = "Andersen-Kwame-999-54-4118.json";
  /** The truncated file, and the bytes it has once its sender finishes it. */
  public static final String TRUNCATED = JSON_DIR + "/half-written.json";
  /** Files larger than this are in the corpus (the test sets dxpipe.ingest.max-file-bytes to it). */
  public static final int MAX_FILE_SIZE = 1024 * 1024;
  public static final String TOO_LARGE = JSON_DIR + "/huge.json";

  private final Path landing;
  private final List<Expected> expected = new ArrayList<>();
  private final List<PatientRecord> records = IngestFixtures.records(40);
  private int nextRecord;
  private byte[] truncatedComplete;

  public HostileLanding(Path landing) {
    this.landing = landing;
  }

  public List<Expected> expected() {
    return expected;
  }

  /** The complete content of {@link #TRUNCATED}, as its sender finally delivers it. */
  public byte[] truncatedComplete() {
    return truncatedComplete;
  }

  /** One record in north_ehr's JSON format, a different record each call. */
  public byte[] goodJson() {
    PatientRecord r = records.get(nextRecord++).copy();
    r.format = SourceFormat.JSON;
    return IngestFixtures.writer(SourceFormat.JSON).render(List.of(r));
  }

  /** Writes the corpus; returns this. */
  public HostileLanding write() {
    // names: glob characters, non-ASCII, identifiers, spaces, percent signs
    for (String name : List.of("plain.json", "g4*.json", "a[1].json", "b{x,y}.json", "q?.json", "Müller.json", "é.json",
        "ünïcødé-😀.json", "with space.json", "100%25.json", IDENTIFYING_NAME)) {
      file(JSON_DIR + "/" + name, goodJson(), Fate.BRONZE, null, 1);
    }
    // an old delivery (a re-send of last month's file), and one under a second date folder
    file(JSON_DIR + "/last-month.json", goodJson(), Fate.BRONZE, null, 1);
    touch(JSON_DIR + "/last-month.json", Instant.now().minus(30, ChronoUnit.DAYS));
    file(SampleSources.name(SourceFormat.JSON) + "/2026-11-25/next-day.json", goodJson(), Fate.BRONZE, null, 1);
    // encodings: a UTF-8 byte-order mark is fine
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
    byte[] record = goodJson();
    byte[] withBom = Arrays.copyOf(bom, bom.length + record.length);
    System.arraycopy(record, 0, withBom, bom.length, record.length);
    file(JSON_DIR + "/bom.json", withBom, Fate.BRONZE, null, 1);
    // JSON lines with one good and one broken line
    file(SampleSources.name(SourceFormat.JSONL) + "/" + DATE + "/batch.jsonl", jsonLines(), Fate.BRONZE, null, 1);

    // files ingest cannot read, quarantined whole
    truncatedComplete = goodJson();
    file(TRUNCATED, Arrays.copyOf(truncatedComplete, truncatedComplete.length / 2), Fate.QUARANTINED,
        "UNREADABLE_FILE", 0);
    file(JSON_DIR + "/binary.json", new byte[] {0, (byte) 0xff, (byte) 0xfe, 1, 2, 3, (byte) 0x89, 'P', 'N', 'G'},
        Fate.QUARANTINED, "UNREADABLE_FILE", 0);
    file(JSON_DIR + "/deep.json", ("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.US_ASCII),
        Fate.QUARANTINED, "UNREADABLE_FILE", 0);
    file(SampleSources.name(SourceFormat.REGISTRY_XML) + "/" + DATE + "/deep.xml", ("<registry>" + "<a>".repeat(100_000) + "</a>".repeat(100_000)
        + "</registry>").getBytes(StandardCharsets.US_ASCII), Fate.QUARANTINED, "UNREADABLE_FILE", 0);
    file(JSON_DIR + "/latin1.json", new String(goodJson(), StandardCharsets.UTF_8).replace("}", ", \"city\": \"Zürich\"}")
        .getBytes(StandardCharsets.ISO_8859_1), Fate.QUARANTINED, "UNREADABLE_FILE", 0);
    String xml = SampleSources.name(SourceFormat.REGISTRY_XML) + "/" + DATE;
    file(xml + "/xxe.xml", ("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<registry><patient>&x;</patient></registry>").getBytes(StandardCharsets.US_ASCII), Fate.QUARANTINED,
        "UNREADABLE_FILE", 0);
    file(xml + "/laughs.xml", ("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
        + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
        + "<registry>&lol3;</registry>").getBytes(StandardCharsets.US_ASCII), Fate.QUARANTINED, "UNREADABLE_FILE", 0);
    file(TOO_LARGE, ("{\"note\": \"" + "x".repeat(MAX_FILE_SIZE) + "\"}").getBytes(StandardCharsets.US_ASCII),
        Fate.QUARANTINED, "FILE_TOO_LARGE", 0);
    // files in the wrong place
    file("stray.json", goodJson(), Fate.QUARANTINED, "BAD_DELIVERY_FOLDER", 0);
    file(SampleSources.name(SourceFormat.JSON) + "/no-date-folder.json", goodJson(), Fate.QUARANTINED, "BAD_DELIVERY_FOLDER", 0);
    file(SampleSources.name(SourceFormat.JSON) + "/2026-02-30/not-a-day.json", goodJson(), Fate.QUARANTINED,
        "BAD_DELIVERY_FOLDER", 0);
    file("nosuch_source/" + DATE + "/x.json", goodJson(), Fate.QUARANTINED, "UNKNOWN_SOURCE", 0);

    // entries that are not taken, each counted with its reason
    file(JSON_DIR + "/empty.json", new byte[0], Fate.SKIPPED, "EMPTY_FILE", 0);
    file(JSON_DIR + "/.in-progress.json", goodJson(), Fate.SKIPPED, "HIDDEN_FILE", 0);
    file(JSON_DIR + "/_upload.json.tmp", goodJson(), Fate.SKIPPED, "HIDDEN_FILE", 0);
    file(JSON_DIR + "/sub/inner.json", goodJson(), null, null, 0); // not listed itself: its folder is
    expected.add(new Expected(JSON_DIR + "/sub", Fate.SKIPPED, "NOT_A_FILE", 0));
    try {
      Files.createSymbolicLink(landing.resolve(JSON_DIR + "/passwd.json"), Path.of("/etc/passwd"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    expected.add(new Expected(JSON_DIR + "/passwd.json", Fate.SKIPPED, "NOT_A_FILE", 0));
    return this;
  }

  private byte[] jsonLines() {
    String good = new String(goodJson(), StandardCharsets.UTF_8).replace("\n", "");
    return (good + "\n{\"recordId\": \"broken\", \n").getBytes(StandardCharsets.UTF_8);
  }

  private void file(String relative, byte[] content, Fate fate, String reason, int records) {
    try {
      Path p = landing.resolve(relative);
      Files.createDirectories(p.getParent());
      Files.write(p, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (fate != null) {
      expected.add(new Expected(relative, fate, reason, records));
    }
  }

  public void touch(String relative, Instant time) {
    try {
      Files.setLastModifiedTime(landing.resolve(relative), FileTime.from(time));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Entries by their path below landing. */
  public Map<String, Expected> byRelative() {
    Map<String, Expected> m = new LinkedHashMap<>();
    expected.forEach(e -> m.put(e.relative(), e));
    return m;
  }
}
