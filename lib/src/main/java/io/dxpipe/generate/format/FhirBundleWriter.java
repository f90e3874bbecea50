package io.dxpipe.generate.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.dxpipe.generate.PatientRecord;
import io.dxpipe.generate.PatientRecord.SymptomEntry;
import io.dxpipe.generate.Rng;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * FHIR R4 transaction bundles shaped like Synthea's (US Core): Patient (identifiers, race and
 * ethnicity extensions, birthDate instead of age), Encounter, vital-sign Observations by LOINC
 * code with UCUM units, symptom Observations (LOINC 75325-1) with a SNOMED severity component,
 * an education Observation (LOINC 82589-3), previous diagnoses as problem-list Conditions and the
 * diagnosis as the encounter-diagnosis Condition. One bundle per file, compact JSON (as FHIR
 * servers send it; pretty-printing doubles the size of the largest format).
 */
public final class FhirBundleWriter implements RecordFormatWriter {
  private static final JsonFactory JSON = new JsonFactory();
  private static final String LOINC = "http://loinc.org";
  private static final String UCUM = "http://unitsofmeasure.org";
  private static final String SNOMED = "http://snomed.info/sct";
  private static final String DISEASE_SYSTEM = "urn:dxpipe:disease";
  private static final Map<Integer, String[]> SEVERITY = Map.of(
      1, new String[] {"255604002", "Mild"}, 2, new String[] {"6736007", "Moderate"}, 3, new String[] {"24484000", "Severe"});

  private final Map<String, String> diseaseNames;

  public FhirBundleWriter(Map<String, String> diseaseNames) {
    this.diseaseNames = Map.copyOf(diseaseNames);
  }

  @Override
  public byte[] render(List<PatientRecord> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      for (PatientRecord r : records) {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
          g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
          bundle(g, r);
        }
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private void bundle(JsonGenerator g, PatientRecord r) throws IOException {
    Ids ids = new Ids(Rng.hash64(r.recordId));
    String patientRef = "urn:uuid:" + (r.sourcePatientId != null ? r.sourcePatientId : ids.next());
    String encounterRef = "urn:uuid:" + ids.next();
    String date = r.text(PatientRecord.DIAGNOSIS_DATE, r.diagnosisDate);
    String when = date == null ? null : r.raw.containsKey(PatientRecord.DIAGNOSIS_DATE) ? date : date + "T09:30:00+00:00";

    g.writeStartObject();
    g.writeStringField("resourceType", "Bundle");
    g.writeStringField("id", ids.next());
    g.writeObjectFieldStart("identifier");
    g.writeStringField("system", "urn:dxpipe:fhir_hub:record");
    g.writeStringField("value", r.recordId);
    g.writeEndObject();
    g.writeStringField("type", "transaction");
    g.writeArrayFieldStart("entry");

    entryStart(g, patientRef);
    patient(g, r, patientRef);
    entryEnd(g, "Patient");

    entryStart(g, encounterRef);
    g.writeStringField("resourceType", "Encounter");
    g.writeStringField("id", encounterRef.substring(9));
    g.writeStringField("status", "finished");
    g.writeObjectFieldStart("class");
    g.writeStringField("system", "http://terminology.hl7.org/CodeSystem/v3-ActCode");
    g.writeStringField("code", "AMB");
    g.writeEndObject();
    reference(g, "subject", patientRef);
    if (when != null) {
      g.writeObjectFieldStart("period");
      g.writeStringField("start", when);
      g.writeEndObject();
    }
    if (r.note != null) {
      g.writeArrayFieldStart("reasonCode");
      g.writeStartObject();
      g.writeStringField("text", r.note);
      g.writeEndObject();
      g.writeEndArray();
    }
    entryEnd(g, "Encounter");

    vital(g, ids, patientRef, encounterRef, when, "8310-5", "Body temperature", r.text(PatientRecord.TEMPERATURE, r.temperatureC), "Cel");
    vital(g, ids, patientRef, encounterRef, when, "8867-4", "Heart rate", r.text(PatientRecord.HEART_RATE, integer(r.heartRate)), "/min");
    if (r.systolic != null) {
      String ref = "urn:uuid:" + ids.next();
      entryStart(g, ref);
      observationHead(g, ref, patientRef, encounterRef, when, "vital-signs", "85354-9", "Blood pressure panel with all children optional");
      g.writeArrayFieldStart("component");
      component(g, "8480-6", "Systolic blood pressure", integer(r.systolic), "mm[Hg]");
      component(g, "8462-4", "Diastolic blood pressure", integer(r.diastolic), "mm[Hg]");
      g.writeEndArray();
      entryEnd(g, "Observation");
    }
    vital(g, ids, patientRef, encounterRef, when, "9279-1", "Respiratory rate", integer(r.respiratoryRate), "/min");
    vital(g, ids, patientRef, encounterRef, when, "2708-6", "Oxygen saturation in Arterial blood", integer(r.spo2), "%");
    vital(g, ids, patientRef, encounterRef, when, "29463-7", "Body Weight", r.weightKg == null ? null : r.weightKg.toString(), "kg");

    if (r.education != null) {
      String ref = "urn:uuid:" + ids.next();
      entryStart(g, ref);
      observationHead(g, ref, patientRef, encounterRef, when, "social-history", "82589-3", "Highest level of education");
      g.writeObjectFieldStart("valueCodeableConcept");
      g.writeStringField("text", Vocabulary.EDUCATION_TEXT.get(r.education));
      g.writeEndObject();
      entryEnd(g, "Observation");
    }

    for (SymptomEntry s : r.symptoms) {
      String ref = "urn:uuid:" + ids.next();
      entryStart(g, ref);
      observationHead(g, ref, patientRef, encounterRef, when, "survey", "75325-1", "Symptom");
      g.writeObjectFieldStart("valueCodeableConcept");
      g.writeStringField("text", s.writtenName().replace('_', ' '));
      g.writeEndObject();
      g.writeArrayFieldStart("component");
      g.writeStartObject();
      g.writeObjectFieldStart("code");
      coding(g, SNOMED, "246112005", "Severity");
      g.writeEndObject();
      g.writeObjectFieldStart("valueCodeableConcept");
      String[] sev = SEVERITY.get(s.severity());
      coding(g, SNOMED, sev[0], sev[1]);
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndArray();
      entryEnd(g, "Observation");
    }

    for (String d : r.previousDiagnoses) {
      condition(g, "urn:uuid:" + ids.next(), patientRef, null, "problem-list-item", "Problem List Item", "active", d,
          diseaseNames.getOrDefault(d, d), null);
    }
    if (r.diseaseCode != null) {
      condition(g, "urn:uuid:" + ids.next(), patientRef, encounterRef, "encounter-diagnosis", "Encounter Diagnosis",
          "active", r.diseaseCode, r.diseaseName, r.onsetDate == null ? null : r.onsetDate + "T00:00:00+00:00");
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private void patient(JsonGenerator g, PatientRecord r, String patientRef) throws IOException {
    g.writeStringField("resourceType", "Patient");
    g.writeStringField("id", patientRef.substring(9));
    g.writeObjectFieldStart("meta");
    g.writeArrayFieldStart("profile");
    g.writeString("http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient");
    g.writeEndArray();
    g.writeEndObject();
    if (r.ethnicity != null) {
      boolean hispanic = r.ethnicity.equals("hispanic");
      g.writeArrayFieldStart("extension");
      omb(g, "us-core-race", hispanic ? "other" : r.ethnicity);
      omb(g, "us-core-ethnicity", hispanic ? "hispanic" : null);
      g.writeEndArray();
    }
    g.writeArrayFieldStart("identifier");
    if (r.sourcePatientId != null) {
      identifier(g, "MR", "Medical Record Number", "http://fhir-hub.example.org/mrn", r.sourcePatientId);
    }
    identifier(g, "SS", "Social Security Number", "http://hl7.org/fhir/sid/us-ssn", r.nationalId);
    g.writeEndArray();
    g.writeArrayFieldStart("name");
    g.writeStartObject();
    g.writeStringField("use", "official");
    g.writeStringField("family", r.lastName);
    g.writeArrayFieldStart("given");
    g.writeString(r.firstName);
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndArray();
    if (r.gender != null) {
      g.writeStringField("gender", r.gender);
    }
    String birth = r.raw.containsKey(PatientRecord.AGE) ? r.raw.get(PatientRecord.AGE)
        : r.birthDate == null ? null : r.birthDate.toString();
    if (birth != null) {
      g.writeStringField("birthDate", birth);
    }
    g.writeArrayFieldStart("address");
    g.writeStartObject();
    g.writeArrayFieldStart("line");
    g.writeString(r.street);
    g.writeEndArray();
    g.writeStringField("city", r.city);
    g.writeStringField("postalCode", r.postalCode);
    g.writeEndObject();
    g.writeEndArray();
    if (r.maritalStatus != null) {
      String code = Vocabulary.MARITAL_CODE.get(r.maritalStatus);
      g.writeObjectFieldStart("maritalStatus");
      g.writeArrayFieldStart("coding");
      g.writeStartObject();
      g.writeStringField("system", "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus");
      g.writeStringField("code", code);
      g.writeStringField("display", Vocabulary.MARITAL_DISPLAY.get(code));
      g.writeEndObject();
      g.writeEndArray();
      g.writeStringField("text", Vocabulary.MARITAL_DISPLAY.get(code));
      g.writeEndObject();
    }
  }

  private static void omb(JsonGenerator g, String profile, String category) throws IOException {
    String[] omb = category == null
        ? new String[] {"2186-5", "Not Hispanic or Latino"} : Vocabulary.OMB.get(category);
    g.writeStartObject();
    g.writeStringField("url", "http://hl7.org/fhir/us/core/StructureDefinition/" + profile);
    g.writeArrayFieldStart("extension");
    g.writeStartObject();
    g.writeStringField("url", "ombCategory");
    g.writeObjectFieldStart("valueCoding");
    g.writeStringField("system", "urn:oid:2.16.840.1.113883.6.238");
    g.writeStringField("code", omb[0]);
    g.writeStringField("display", omb[1]);
    g.writeEndObject();
    g.writeEndObject();
    g.writeStartObject();
    g.writeStringField("url", "text");
    g.writeStringField("valueString", omb[1]);
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void identifier(JsonGenerator g, String type, String text, String system, String value) throws IOException {
    g.writeStartObject();
    g.writeObjectFieldStart("type");
    g.writeArrayFieldStart("coding");
    g.writeStartObject();
    g.writeStringField("system", "http://terminology.hl7.org/CodeSystem/v2-0203");
    g.writeStringField("code", type);
    g.writeStringField("display", text);
    g.writeEndObject();
    g.writeEndArray();
    g.writeStringField("text", text);
    g.writeEndObject();
    g.writeStringField("system", system);
    g.writeStringField("value", value);
    g.writeEndObject();
  }

  private static void vital(JsonGenerator g, Ids ids, String patient, String encounter, String when, String loinc,
      String display, String value, String unit) throws IOException {
    if (value == null) {
      return;
    }
    String ref = "urn:uuid:" + ids.next();
    entryStart(g, ref);
    observationHead(g, ref, patient, encounter, when, "vital-signs", loinc, display);
    quantity(g, value, unit);
    entryEnd(g, "Observation");
  }

  private static void component(JsonGenerator g, String loinc, String display, String value, String unit) throws IOException {
    g.writeStartObject();
    g.writeObjectFieldStart("code");
    coding(g, LOINC, loinc, display);
    g.writeStringField("text", display);
    g.writeEndObject();
    quantity(g, value, unit);
    g.writeEndObject();
  }

  /** valueQuantity; a value that is not a number is written as the string the source sent. */
  private static void quantity(JsonGenerator g, String value, String unit) throws IOException {
    g.writeObjectFieldStart("valueQuantity");
    if (value.matches("-?\\d+(\\.\\d+)?")) {
      g.writeFieldName("value");
      g.writeNumber(value);
    } else {
      g.writeStringField("value", value);
    }
    g.writeStringField("unit", unit);
    g.writeStringField("system", UCUM);
    g.writeStringField("code", unit);
    g.writeEndObject();
  }

  private static void observationHead(JsonGenerator g, String ref, String patient, String encounter, String when,
      String category, String loinc, String display) throws IOException {
    g.writeStringField("resourceType", "Observation");
    g.writeStringField("id", ref.substring(9));
    g.writeStringField("status", "final");
    g.writeArrayFieldStart("category");
    g.writeStartObject();
    coding(g, "http://terminology.hl7.org/CodeSystem/observation-category", category, category);
    g.writeEndObject();
    g.writeEndArray();
    g.writeObjectFieldStart("code");
    coding(g, LOINC, loinc, display);
    g.writeStringField("text", display);
    g.writeEndObject();
    reference(g, "subject", patient);
    reference(g, "encounter", encounter);
    if (when != null) {
      g.writeStringField("effectiveDateTime", when);
    }
  }

  private static void condition(JsonGenerator g, String ref, String patient, String encounter, String category,
      String categoryDisplay, String clinicalStatus, String code, String name, String onset) throws IOException {
    entryStart(g, ref);
    g.writeStringField("resourceType", "Condition");
    g.writeStringField("id", ref.substring(9));
    g.writeObjectFieldStart("clinicalStatus");
    coding(g, "http://terminology.hl7.org/CodeSystem/condition-clinical", clinicalStatus, null);
    g.writeEndObject();
    g.writeObjectFieldStart("verificationStatus");
    coding(g, "http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", null);
    g.writeEndObject();
    g.writeArrayFieldStart("category");
    g.writeStartObject();
    coding(g, "http://terminology.hl7.org/CodeSystem/condition-category", category, categoryDisplay);
    g.writeEndObject();
    g.writeEndArray();
    g.writeObjectFieldStart("code");
    coding(g, DISEASE_SYSTEM, code, name);
    g.writeStringField("text", name);
    g.writeEndObject();
    reference(g, "subject", patient);
    if (encounter != null) {
      reference(g, "encounter", encounter);
    }
    if (onset != null) {
      g.writeStringField("onsetDateTime", onset);
    }
    entryEnd(g, "Condition");
  }

  private static void coding(JsonGenerator g, String system, String code, String display) throws IOException {
    g.writeArrayFieldStart("coding");
    g.writeStartObject();
    g.writeStringField("system", system);
    g.writeStringField("code", code);
    if (display != null) {
      g.writeStringField("display", display);
    }
    g.writeEndObject();
    g.writeEndArray();
  }

  private static void reference(JsonGenerator g, String field, String ref) throws IOException {
    g.writeObjectFieldStart(field);
    g.writeStringField("reference", ref);
    g.writeEndObject();
  }

  private static void entryStart(JsonGenerator g, String fullUrl) throws IOException {
    g.writeStartObject();
    g.writeStringField("fullUrl", fullUrl);
    g.writeObjectFieldStart("resource");
  }

  /** Closes the resource and adds the transaction request: POST to the resource type. */
  private static void entryEnd(JsonGenerator g, String type) throws IOException {
    g.writeEndObject();
    g.writeObjectFieldStart("request");
    g.writeStringField("method", "POST");
    g.writeStringField("url", type);
    g.writeEndObject();
    g.writeEndObject();
  }

  private static String integer(Double v) {
    return v == null ? null : String.valueOf(v.intValue());
  }

  /** Deterministic resource ids for one record, derived from its (run-unique) record id. */
  private static final class Ids {
    private final long seed;
    private int n;

    Ids(long seed) {
      this.seed = seed;
    }

    String next() {
      n++;
      return new UUID(Rng.mix(seed, n), Rng.mix(seed ^ 0x5A5A5A5AL, n)).toString();
    }
  }
}
