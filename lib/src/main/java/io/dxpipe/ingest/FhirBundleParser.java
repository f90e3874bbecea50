package io.dxpipe.ingest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * FHIR R4 bundles, parsed with HAPI FHIR (the reference Java implementation: it knows every
 * resource, choice type and extension of R4, which hand-written JSON code would not). One record
 * per Encounter: the bundle's Patient, the encounter's vital-sign Observations by LOINC code,
 * symptom Observations (LOINC 75325-1), the education Observation (LOINC 82589-3), the
 * encounter's diagnosis Condition, and the patient's earlier Conditions as previous diagnoses.
 * A Synthea bundle of a patient's history gives one record per encounter.
 */
final class FhirBundleParser implements RecordParser {
  private static final String SYMPTOM = "75325-1";
  private static final String EDUCATION = "82589-3";
  private static final String BLOOD_PRESSURE = "85354-9";
  private static final Map<String, Field> VITALS = Map.of(
      "8310-5", Field.TEMPERATURE, "8867-4", Field.HEART_RATE, "8480-6", Field.SYSTOLIC, "8462-4", Field.DIASTOLIC,
      "9279-1", Field.RESPIRATORY_RATE, "2708-6", Field.SPO2, "59408-5", Field.SPO2, "29463-7", Field.WEIGHT);

  /** HAPI's context is expensive to build and thread-safe: one per executor JVM. */
  private static final class Holder {
    static final FhirContext R4 = FhirContext.forR4Cached();
  }

  @Override
  public List<RawRecord> parse(byte[] content, SourceSettings source) throws UnreadableFileException {
    String text = Text.utf8(content);
    if (text == null) {
      throw new UnreadableFileException("not UTF-8 text (binary content, or another encoding)");
    }
    Bundle bundle;
    InvalidValues invalid = new InvalidValues();
    try {
      // lenient: a value that is not of its type (a temperature "feverish") is kept as text for the type check
      IParser parser = Holder.R4.newJsonParser().setParserErrorHandler(invalid);
      var resource = parser.parseResource(text);
      if (!(resource instanceof Bundle b)) {
        throw new UnreadableFileException("a FHIR " + resource.fhirType() + ", not a Bundle");
      }
      bundle = b;
    } catch (DataFormatException e) {
      throw new UnreadableFileException("not a readable FHIR R4 resource: " + Text.brief(e.getMessage()), e);
    }
    Patient patient = null;
    List<Encounter> encounters = new ArrayList<>();
    List<Observation> observations = new ArrayList<>();
    List<Condition> conditions = new ArrayList<>();
    Map<Resource, String> fullUrls = new HashMap<>();
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      Resource r = entry.getResource();
      if (r == null) {
        continue;
      }
      fullUrls.put(r, entry.getFullUrl());
      if (r instanceof Patient p && patient == null) {
        patient = p;
      } else if (r instanceof Encounter e) {
        encounters.add(e);
      } else if (r instanceof Observation o) {
        observations.add(o);
      } else if (r instanceof Condition c) {
        conditions.add(c);
      }
    }
    if (patient == null || encounters.isEmpty()) {
      throw new UnreadableFileException("the bundle has " + (patient == null ? "no Patient" : "no Encounter")
          + ": nothing to make a record of");
    }
    String bundleRecordId = bundle.hasIdentifier() ? bundle.getIdentifier().getValue() : null;
    List<RawRecord> records = new ArrayList<>();
    int index = 0;
    for (Encounter encounter : encounters) {
      index++;
      RawRecord r = new RawRecord(index);
      r.payload = encounters.size() == 1 ? Text.cap(text) : null; // the whole bundle is the record
      String encounterId = encounter.getIdElement().getIdPart().replaceFirst("^urn:uuid:", "");
      r.put(Field.RECORD_ID, encounters.size() == 1 && bundleRecordId != null ? bundleRecordId : encounterId);
      patient(patient, r);
      String visit = encounter.getPeriod().getStartElement().getValueAsString();
      r.put(Field.VISIT_DATE, visit);
      if (encounter.hasReasonCode()) {
        r.put(Field.NOTE, text(encounter.getReasonCodeFirstRep()));
      }
      for (Observation o : observations) {
        if (refersTo(o.getEncounter(), encounter, fullUrls)) {
          observation(o, r);
        }
      }
      for (Condition c : conditions) {
        boolean diagnosisCategory = c.getCategory().stream()
            .anyMatch(cat -> cat.getCoding().stream().anyMatch(cd -> "encounter-diagnosis".equals(cd.getCode())));
        String name = diseaseOf(c.getCode());
        if (refersTo(c.getEncounter(), encounter, fullUrls)) {
          if (r.get(Field.DIAGNOSIS) == null && (diagnosisCategory || !c.hasCategory())) {
            r.put(Field.DIAGNOSIS, name);
            if (c.hasOnsetDateTimeType()) {
              r.put(Field.ONSET_DATE, c.getOnsetDateTimeType().getValueAsString());
            }
          }
        } else if (!c.hasOnsetDateTimeType() || visit == null
            || c.getOnsetDateTimeType().getValueAsString().compareTo(visit) < 0) {
          if (name != null && !r.previousDiagnoses.contains(name)) {
            r.previousDiagnoses.add(name); // the patient's conditions before this visit
          }
        }
      }
      if (!invalid.found.isEmpty()) {
        // HAPI drops a value that is not of its type; the bundle's records must not pass without it
        r.invalidValue = "FHIR " + String.join("; ", invalid.found);
      }
      records.add(r);
    }
    return records;
  }

  /** Lenient parsing that remembers every value HAPI had to drop (a temperature of "feverish"). */
  private static final class InvalidValues extends LenientErrorHandler {
    final List<String> found = new ArrayList<>();

    InvalidValues() {
      super(false);
      setErrorOnInvalidValue(false);
    }

    @Override
    public void invalidValue(ca.uhn.fhir.parser.IParserErrorHandler.IParseLocation location, String value, String error) {
      String where = location == null || location.getParentElementName() == null ? "element"
          : "element " + location.getParentElementName();
      found.add(where + ": '" + value + "' is not a valid value (" + Text.brief(error) + ")");
    }
  }

  private static void patient(Patient p, RawRecord r) {
    String mrn = null;
    for (Identifier id : p.getIdentifier()) {
      String type = id.getType().getCodingFirstRep().getCode();
      if ("SS".equals(type) || "http://hl7.org/fhir/sid/us-ssn".equals(id.getSystem())) {
        r.put(Field.NATIONAL_ID, id.getValue());
      } else if ("MR".equals(type) && mrn == null) {
        mrn = id.getValue();
      }
    }
    r.put(Field.PATIENT_ID, mrn != null ? mrn : p.getIdElement().getIdPart());
    if (p.hasName()) {
      r.put(Field.GIVEN_NAME, p.getNameFirstRep().getGivenAsSingleString());
      r.put(Field.FAMILY_NAME, p.getNameFirstRep().getFamily());
    }
    if (p.hasAddress() && p.getAddressFirstRep().hasLine()) {
      r.put(Field.ADDRESS, p.getAddressFirstRep().getLine().get(0).getValue());
    }
    r.put(Field.GENDER, p.getGenderElement().getValueAsString());
    r.put(Field.BIRTH_DATE, p.getBirthDateElement().getValueAsString());
    if (p.hasMaritalStatus()) {
      Coding c = p.getMaritalStatus().getCodingFirstRep();
      r.put(Field.MARITAL_STATUS, c.hasCode() ? c.getCode() : p.getMaritalStatus().getText());
    }
    String race = null;
    boolean hispanic = false;
    for (Extension ext : p.getExtension()) {
      Extension omb = ext.getExtensionByUrl("ombCategory");
      if (omb == null || !(omb.getValue() instanceof Coding coding)) {
        continue;
      }
      if (ext.getUrl().endsWith("us-core-ethnicity")) {
        hispanic = "2135-2".equals(coding.getCode());
      } else if (ext.getUrl().endsWith("us-core-race")) {
        race = coding.getDisplay();
      }
    }
    r.put(Field.ETHNICITY, hispanic ? "Hispanic or Latino" : race);
  }

  private static void observation(Observation o, RawRecord r) {
    // the first LOINC code we know (Synthea codes a temperature as 8310-5 and 8331-1, oral)
    String loinc = null;
    for (Coding c : o.getCode().getCoding()) {
      if ("http://loinc.org".equals(c.getSystem()) && (loinc == null || !known(loinc))) {
        loinc = c.getCode();
      }
    }
    if (loinc == null) {
      return;
    }
    if (SYMPTOM.equals(loinc)) {
      String name = o.hasValueCodeableConcept() ? text(o.getValueCodeableConcept()) : null;
      String severity = null;
      for (Observation.ObservationComponentComponent c : o.getComponent()) {
        if (c.hasValueCodeableConcept()) {
          Coding s = c.getValueCodeableConcept().getCodingFirstRep();
          severity = s.hasCode() ? s.getCode() : c.getValueCodeableConcept().getText();
        }
      }
      if (name != null) {
        r.symptoms.add(new String[] {name, severity});
      }
    } else if (EDUCATION.equals(loinc) && o.hasValueCodeableConcept()) {
      r.put(Field.EDUCATION, text(o.getValueCodeableConcept()));
    } else if (BLOOD_PRESSURE.equals(loinc)) {
      for (Observation.ObservationComponentComponent c : o.getComponent()) {
        Field f = VITALS.get(c.getCode().getCodingFirstRep().getCode());
        if (f != null && c.hasValueQuantity()) {
          r.put(f, quantity(c.getValueQuantity(), f));
        }
      }
    } else if (VITALS.containsKey(loinc) && o.hasValueQuantity()) {
      Field f = VITALS.get(loinc);
      r.put(f, quantity(o.getValueQuantity(), f));
    }
  }

  private static boolean known(String loinc) {
    return VITALS.containsKey(loinc) || SYMPTOM.equals(loinc) || EDUCATION.equals(loinc) || BLOOD_PRESSURE.equals(loinc);
  }

  /** The value as sent (a non-number stays text, for the type check), converted to °C or kg. */
  private static String quantity(Quantity q, Field field) {
    String value = q.getValueElement().getValueAsString();
    String unit = q.hasCode() ? q.getCode() : q.getUnit();
    if (value == null) {
      return null;
    }
    if (field == Field.TEMPERATURE && "[degF]".equals(unit)) {
      return Units.fahrenheitToCelsiusText(value);
    }
    if (field == Field.WEIGHT && ("[lb_av]".equals(unit) || "lb".equals(unit))) {
      return Units.poundsToKgText(value);
    }
    if (field == Field.WEIGHT && "g".equals(unit)) {
      return Units.gramsToKgText(value);
    }
    return value;
  }

  private static String diseaseOf(CodeableConcept code) {
    for (Coding c : code.getCoding()) {
      if ("urn:dxpipe:disease".equals(c.getSystem())) {
        return c.getCode();
      }
    }
    return text(code);
  }

  private static String text(CodeableConcept c) {
    if (c.hasText()) {
      return c.getText();
    }
    return c.getCodingFirstRep().getDisplay();
  }

  private static boolean refersTo(Reference ref, Encounter encounter, Map<Resource, String> fullUrls) {
    if (ref == null || !ref.hasReference()) {
      return false;
    }
    String target = ref.getReference();
    String id = encounter.getIdElement().getIdPart();
    return target.equals(fullUrls.get(encounter)) || target.equals("Encounter/" + id) || target.endsWith(":" + id);
  }
}
