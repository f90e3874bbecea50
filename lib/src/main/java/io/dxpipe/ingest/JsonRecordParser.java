package io.dxpipe.ingest;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON sources mapped by configuration: one document per file, or one per line (JSON lines).
 * Each canonical field is read at the JSON pointer the source's {@code fields} block gives.
 */
final class JsonRecordParser implements RecordParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Compiled JSON pointers by text: compiling one per field and record costs more than reading it. */
  private static final java.util.concurrent.ConcurrentHashMap<String, JsonPointer> POINTERS =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final boolean lines;

  JsonRecordParser(boolean lines) {
    this.lines = lines;
  }

  @Override
  public List<RawRecord> parse(byte[] content, SourceSettings source) throws UnreadableFileException {
    String text = Text.utf8(content);
    if (text == null) {
      throw new UnreadableFileException("not UTF-8 text (binary content, or another encoding)");
    }
    List<RawRecord> records = new ArrayList<>();
    if (!lines) {
      try {
        JsonNode doc = JSON.readTree(text);
        if (doc == null || !doc.isObject()) {
          throw new UnreadableFileException("not a JSON object" + (doc == null ? " (empty file)" : ""));
        }
        records.add(map(1, doc, text, source));
      } catch (JsonProcessingException e) {
        throw new UnreadableFileException("not valid JSON: " + Text.brief(e.getOriginalMessage())
            + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
      }
      return records;
    }
    int index = 0;
    for (String line : text.split("\r?\n", -1)) {
      index++;
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode doc = JSON.readTree(line);
        records.add(doc.isObject() ? map(index, doc, line, source)
            : RawRecord.malformed(index, line, "line " + index + " is not a JSON object"));
      } catch (JsonProcessingException e) {
        records.add(RawRecord.malformed(index, line, "line " + index + " is not valid JSON: "
            + Text.brief(e.getOriginalMessage())));
      }
    }
    return records;
  }

  static RawRecord map(int index, JsonNode doc, String payload, SourceSettings source) {
    RawRecord r = new RawRecord(index);
    r.payload = payload;
    for (Map.Entry<Field, String> e : source.fields().entrySet()) {
      Field field = e.getKey();
      if (field == Field.SYMPTOMS || field == Field.PREVIOUS_DIAGNOSES) {
        continue;
      }
      if (SourceSettings.LINE_NUMBER.equals(e.getValue())) {
        r.put(field, String.valueOf(index));
      } else {
        r.put(field, scalar(doc.at(pointer(e.getValue()))));
      }
    }
    String symptoms = source.fields().get(Field.SYMPTOMS);
    if (symptoms != null) {
      for (JsonNode s : doc.at(pointer(symptoms))) {
        String name = s.isObject() ? scalar(s.get(source.symptomName())) : scalar(s);
        if (name != null && !name.isBlank()) {
          r.symptoms.add(new String[] {name, s.isObject() ? scalar(s.get(source.symptomSeverity())) : null});
        }
      }
    }
    String previous = source.fields().get(Field.PREVIOUS_DIAGNOSES);
    if (previous != null) {
      for (JsonNode d : doc.at(pointer(previous))) {
        String v = scalar(d);
        if (v != null && !v.isBlank()) {
          r.previousDiagnoses.add(v);
        }
      }
    }
    return r;
  }

  private static JsonPointer pointer(String text) {
    return POINTERS.computeIfAbsent(text, JsonPointer::compile);
  }

  /** The text of a value node; missing and null give null; objects and arrays give their JSON. */
  private static String scalar(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return null;
    }
    return node.isValueNode() ? node.asText() : node.toString();
  }
}
