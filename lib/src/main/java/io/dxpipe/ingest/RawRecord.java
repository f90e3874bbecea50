package io.dxpipe.ingest;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One record as a parser found it: untyped text per canonical field, before validation. A parser
 * that cannot make sense of a record marks it malformed instead of throwing.
 */
public final class RawRecord {
  /** 1-based position in the file (line, element or entry). */
  public final int index;
  public final Map<Field, String> values = new EnumMap<>(Field.class);
  /** Symptom name and severity as written (severity may be null). */
  public final List<String[]> symptoms = new ArrayList<>();
  public final List<String> previousDiagnoses = new ArrayList<>();
  /** Declared inputs ({@code dxpipe.inputs}) by name, as written; blank values are left out. */
  public final Map<String, String> inputs = new java.util.LinkedHashMap<>();
  /** The record as delivered, for quarantine. */
  public String payload;
  /** Set when the record is structurally broken: the reason, in words. */
  public String malformed;
  /** Set when a parser had to drop a value of the wrong type (FHIR): the value, in words. */
  public String invalidValue;

  public RawRecord(int index) {
    this.index = index;
  }

  /** Sets a field unless the value is null or blank. */
  public RawRecord put(Field field, String value) {
    if (value != null && !value.isBlank()) {
      values.put(field, value.trim());
    }
    return this;
  }

  /** Sets a declared input unless the value is null or blank. */
  public RawRecord putInput(String name, String value) {
    if (value != null && !value.isBlank()) {
      inputs.put(name, value.trim());
    }
    return this;
  }

  public String get(Field field) {
    return values.get(field);
  }

  public static RawRecord malformed(int index, String payload, String reason) {
    RawRecord r = new RawRecord(index);
    r.payload = payload;
    r.malformed = reason;
    return r;
  }
}
