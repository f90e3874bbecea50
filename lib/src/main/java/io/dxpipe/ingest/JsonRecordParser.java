package io.dxpipe.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JSON sources mapped by configuration: one document per file, or one per line (JSON lines).
 * Each canonical field is read at the JSON pointer the source's {@code fields} block gives.
 * Documents deeper or with longer values than the limits below are unreadable (a whole file) or
 * malformed (one line), with the limit named.
 */
final class JsonRecordParser implements RecordParser {
  /**
   * Limits of Jackson 2.15's {@code StreamReadConstraints} defaults, which the default build's
   * Jackson enforces itself. They are checked here as well because the HDInsight build runs on
   * Jackson 2.13, which has no such limits (and no {@code StreamReadConstraints} to name here).
   */
  static final int MAX_STRING_LENGTH = 20_000_000;
  static final int MAX_NESTING_DEPTH = 1_000;
  static final int MAX_NUMBER_LENGTH = 1_000;
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
        JsonNode doc = read(text);
        boolean empty = doc == null || doc.isMissingNode();
        if (empty || !doc.isObject()) {
          throw new UnreadableFileException("not a JSON object" + (empty ? " (empty file)" : ""));
        }
        records.add(map(1, doc, text, source));
      } catch (Unreadable e) {
        throw new UnreadableFileException(e.getMessage(), e.getCause());
      }
      return records;
    }
    int index = 0;
    for (String line : Text.lines(text)) {
      index++;
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode doc = read(line);
        records.add(doc != null && doc.isObject() ? map(index, doc, line, source)
            : RawRecord.malformed(index, line, "line " + index + " is not a JSON object"));
      } catch (Unreadable e) {
        records.add(RawRecord.malformed(index, Text.cap(line), "line " + index + " is " + e.getMessage()));
      }
    }
    return records;
  }

  /** One document, read through {@link LimitedParser}; failures come back in words, with the limit hit. */
  private static JsonNode read(String text) throws Unreadable {
    JsonParser parser = null;
    try {
      parser = new LimitedParser(JSON.getFactory().createParser(text));
      return JSON.readTree(parser);
    } catch (JsonProcessingException e) {
      throw new Unreadable(describe(e, parser), e);
    } catch (IOException e) {
      throw new Unreadable("not valid JSON: " + Text.brief(e.getMessage()), e);
    } finally {
      if (parser != null) {
        try {
          parser.close();
        } catch (IOException ignored) {
          // a parser over a string holds nothing to release
        }
      }
    }
  }

  /**
   * A parse failure in words. Jackson's limit violations carry no location (2.15 reports them with
   * a null {@link JsonLocation}), so the location is the parser's where the exception has none.
   */
  static String describe(JsonProcessingException e, JsonParser parser) {
    String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    String limit = e instanceof LimitExceeded ? message : jacksonLimit(e, message);
    JsonLocation at = e.getLocation() != null ? e.getLocation() : parser == null ? null : parser.getCurrentLocation();
    String where = at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return limit != null ? "JSON beyond a parser limit: " + limit + where : "not valid JSON: " + Text.brief(message) + where;
  }

  /** Jackson 2.15's StreamConstraintsException in words, by its message (the class is absent from 2.13). */
  private static String jacksonLimit(JsonProcessingException e, String message) {
    if (!e.getClass().getSimpleName().equals("StreamConstraintsException")) {
      return null;
    }
    if (message.startsWith("String length")) {
      return stringLimit();
    } else if (message.startsWith("Depth")) {
      return depthLimit();
    } else if (message.startsWith("Number length")) {
      return numberLimit();
    }
    return Text.brief(message);
  }

  private static String stringLimit() {
    return String.format(Locale.ROOT, "string value longer than %,d characters (Jackson's maxStringLength)", MAX_STRING_LENGTH);
  }

  private static String depthLimit() {
    return String.format(Locale.ROOT, "nesting deeper than %,d levels (Jackson's maxNestingDepth)", MAX_NESTING_DEPTH);
  }

  private static String numberLimit() {
    return String.format(Locale.ROOT, "number longer than %,d characters (Jackson's maxNumberLength)", MAX_NUMBER_LENGTH);
  }

  /** The limits of Jackson 2.15 on any Jackson: checked on the tokens as the tree is built. */
  private static final class LimitedParser extends JsonParserDelegate {
    LimitedParser(JsonParser d) {
      super(d);
    }

    @Override
    public JsonToken nextToken() throws IOException {
      JsonToken t = super.nextToken();
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        int depth = 0;
        for (JsonStreamContext c = getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
          if (++depth > MAX_NESTING_DEPTH) {
            throw new LimitExceeded(depthLimit(), this);
          }
        }
      } else if (t == JsonToken.VALUE_STRING && getTextLength() > MAX_STRING_LENGTH) {
        throw new LimitExceeded(stringLimit(), this);
      } else if ((t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT)
          && getTextLength() > MAX_NUMBER_LENGTH) {
        throw new LimitExceeded(numberLimit(), this);
      }
      return t;
    }
  }

  /** A limit of {@link LimitedParser}, its message already in words. */
  private static final class LimitExceeded extends JsonProcessingException {
    LimitExceeded(String message, JsonParser p) {
      super(message, p.getCurrentLocation());
    }
  }

  /** A document that cannot be read, with the reason in words. */
  private static final class Unreadable extends Exception {
    Unreadable(String message, Throwable cause) {
      super(message, cause);
    }
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
    for (SourceSettings.MappedInput in : source.inputs()) {
      r.putInput(in.input().name(), scalar(doc.at(pointer(in.location()))));
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
    SymptomFlags flags = source.symptomFlags();
    if (!flags.columns().isEmpty()) {
      List<String> pointers = List.copyOf(flags.columns().keySet());
      List<String> cells = pointers.stream().map(p -> scalar(doc.at(pointer(p)))).toList();
      String bad = flags.read(pointers, List.copyOf(flags.columns().values()), cells, r);
      if (bad != null) {
        return RawRecord.malformed(index, payload, bad);
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
