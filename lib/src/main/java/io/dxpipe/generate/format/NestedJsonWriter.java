package io.dxpipe.generate.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import io.dxpipe.generate.PatientRecord;
import io.dxpipe.generate.PatientRecord.SymptomEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The hospital EHR's export: nested JSON with SI units and lower-case codes. One pretty-printed
 * record per file ({@link Layout#ONE_PER_FILE}) or one compact record per line ({@link Layout#LINES}).
 * Absent fields are left out; type mismatches are written as the strings the source sent.
 */
public final class NestedJsonWriter implements RecordFormatWriter {
  private static final JsonFactory JSON = new JsonFactory();

  /** One pretty record per file, or JSON lines. */
  public enum Layout {
    ONE_PER_FILE,
    LINES
  }

  private final String source;
  private final Layout layout;

  public NestedJsonWriter(String source, Layout layout) {
    this.source = source;
    this.layout = layout;
  }

  @Override
  public byte[] render(List<PatientRecord> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(records.size() * 1200);
    try {
      for (PatientRecord r : records) {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
          g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
          if (layout == Layout.ONE_PER_FILE) {
            g.setPrettyPrinter(new DefaultPrettyPrinter());
          }
          write(g, r);
        }
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private void write(JsonGenerator g, PatientRecord r) throws IOException {
    g.writeStartObject();
    g.writeStringField("recordId", r.recordId);
    g.writeStringField("source", source);
    g.writeObjectFieldStart("patient");
    str(g, "mrn", r.sourcePatientId);
    str(g, "nationalId", r.nationalId);
    g.writeObjectFieldStart("name");
    str(g, "given", r.firstName);
    str(g, "family", r.lastName);
    g.writeEndObject();
    g.writeObjectFieldStart("address");
    str(g, "line", r.street);
    str(g, "city", r.city);
    str(g, "postalCode", r.postalCode);
    g.writeEndObject();
    number(g, "age", r.text(PatientRecord.AGE, r.age), r.raw.containsKey(PatientRecord.AGE));
    str(g, "gender", r.gender);
    str(g, "ethnicity", r.ethnicity);
    str(g, "maritalStatus", r.maritalStatus);
    str(g, "education", r.education);
    g.writeEndObject();

    g.writeObjectFieldStart("encounter");
    str(g, "date", r.text(PatientRecord.DIAGNOSIS_DATE, r.diagnosisDate));
    str(g, "symptomOnset", r.onsetDate == null ? null : r.onsetDate.toString());
    if (r.symptomDurationDays != null) {
      g.writeNumberField("symptomDurationDays", r.symptomDurationDays);
    }
    g.writeArrayFieldStart("symptoms");
    for (SymptomEntry s : r.symptoms) {
      g.writeStartObject();
      g.writeStringField("name", s.writtenName());
      g.writeStringField("severity", Vocabulary.SEVERITY_WORD.get(String.valueOf(s.severity())));
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeObjectFieldStart("vitals");
    number(g, "temperatureC", r.text(PatientRecord.TEMPERATURE, r.temperatureC), r.raw.containsKey(PatientRecord.TEMPERATURE));
    number(g, "heartRate", r.text(PatientRecord.HEART_RATE, r.heartRate), r.raw.containsKey(PatientRecord.HEART_RATE));
    if (r.systolic != null) {
      g.writeObjectFieldStart("bloodPressure");
      g.writeNumberField("systolic", r.systolic.intValue());
      g.writeNumberField("diastolic", r.diastolic.intValue());
      g.writeEndObject();
    }
    number(g, "respiratoryRate", r.respiratoryRate == null ? null : String.valueOf(r.respiratoryRate.intValue()), false);
    number(g, "spo2", r.spo2 == null ? null : String.valueOf(r.spo2.intValue()), false);
    number(g, "weightKg", r.weightKg == null ? null : r.weightKg.toString(), false);
    g.writeEndObject();
    g.writeObjectFieldStart("history");
    g.writeArrayFieldStart("previousDiagnoses");
    for (String d : r.previousDiagnoses) {
      g.writeString(d);
    }
    g.writeEndArray();
    g.writeEndObject();
    str(g, "note", r.note);
    g.writeEndObject();

    if (r.diseaseCode != null) {
      g.writeObjectFieldStart("diagnosis");
      g.writeStringField("code", r.diseaseCode);
      g.writeStringField("name", r.diseaseName);
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void str(JsonGenerator g, String field, String value) throws IOException {
    if (value != null) {
      g.writeStringField(field, value);
    }
  }

  /** A numeric field, or the string a source sent instead of a number (a type mismatch). */
  private static void number(JsonGenerator g, String field, String value, boolean asSent) throws IOException {
    if (value == null) {
      return;
    }
    if (asSent) {
      g.writeStringField(field, value);
    } else if (value.endsWith(".0")) {
      g.writeNumberField(field, Long.parseLong(value.substring(0, value.length() - 2)));
    } else {
      g.writeFieldName(field);
      g.writeNumber(value);
    }
  }
}
