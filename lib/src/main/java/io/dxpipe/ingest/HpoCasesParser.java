package io.dxpipe.ingest;

import io.dxpipe.catalogue.HpoOntology;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Case files: one case per line, its phenotype as HPO ids and nothing else
 * ({@code HP:0001250 HP:0001263 HP:0000252}), as published rare-disease case sets are written.
 * Ids are separated by spaces, tabs, commas or semicolons; lines that are blank or start with
 * {@code #} are skipped. Every id is a symptom (severity unknown). A line with a token that is not
 * an HPO id is a malformed record naming the token; so is a line with more than
 * {@link #MAX_TERMS} ids.
 *
 * <p>A case has no record id of its own: it gets {@code case-<line>-<12 hex digits of the SHA-256
 * of its sorted ids>}, so the same file read twice gives the same ids (a re-run replaces, never
 * adds), and two different cases never share one. The source's {@code required} fields default to
 * the record id alone for this format (a case has no patient, sex, age or visit date).
 */
final class HpoCasesParser implements RecordParser {
  static final int MAX_TERMS = 500;
  private static final Pattern SEPARATORS = Pattern.compile("[\\s,;]+");

  @Override
  public List<RawRecord> parse(byte[] content, SourceSettings source) throws UnreadableFileException {
    String text = Text.utf8(content);
    if (text == null) {
      throw new UnreadableFileException("not UTF-8 text (binary content, or another encoding)");
    }
    List<RawRecord> records = new ArrayList<>();
    int index = 0;
    for (String line : Text.lines(text)) {
      index++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      LinkedHashSet<String> ids = new LinkedHashSet<>();
      String bad = null;
      for (String token : SEPARATORS.split(trimmed)) {
        String id = HpoOntology.normalizeId(token);
        if (id == null) {
          bad = token;
          break;
        }
        ids.add(id);
      }
      if (bad != null) {
        records.add(RawRecord.malformed(index, Text.cap(line), "line " + index + ": '" + Text.brief(bad)
            + "' is not an HPO id (a case file holds one case per line, HPO ids such as HP:0001250 and nothing else)"));
        continue;
      }
      if (ids.size() > MAX_TERMS) {
        records.add(RawRecord.malformed(index, Text.cap(line), "line " + index + ": " + ids.size()
            + " HPO ids, more than " + MAX_TERMS + " (is this one case?)"));
        continue;
      }
      RawRecord r = new RawRecord(index);
      r.payload = Text.cap(line);
      r.put(Field.RECORD_ID, "case-" + index + "-" + digest(ids));
      for (String id : ids) {
        r.symptoms.add(new String[] {id, null});
      }
      records.add(r);
    }
    return records;
  }

  private static String digest(LinkedHashSet<String> ids) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] hash = sha.digest(String.join(" ", new java.util.TreeSet<>(ids)).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
