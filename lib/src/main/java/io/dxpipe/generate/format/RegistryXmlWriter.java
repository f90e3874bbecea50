package io.dxpipe.generate.format;

import io.dxpipe.generate.PatientRecord;
import io.dxpipe.generate.PatientRecord.SymptomEntry;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The regional registry's XML batch: {@code <registryExport>} with one {@code <record>} each,
 * display-name vocabularies ("Married", "Bachelor's degree"), severity 1-3 as an attribute,
 * vitals as {@code <vital name=".." unit="..">} with UCUM units, disease names (not codes).
 */
public final class RegistryXmlWriter implements RecordFormatWriter {
  private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

  private final String source;
  private final Map<String, String> diseaseNames;

  public RegistryXmlWriter(String source, Map<String, String> diseaseNames) {
    this.source = source;
    this.diseaseNames = Map.copyOf(diseaseNames);
  }

  @Override
  public byte[] render(List<PatientRecord> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(records.size() * 1500);
    try {
      XMLStreamWriter x = XML.createXMLStreamWriter(out, "UTF-8");
      x.writeStartDocument("UTF-8", "1.0");
      x.writeCharacters("\n");
      x.writeStartElement("registryExport");
      x.writeAttribute("source", source);
      x.writeAttribute("records", String.valueOf(records.size()));
      for (PatientRecord r : records) {
        x.writeCharacters("\n  ");
        record(x, r);
      }
      x.writeCharacters("\n");
      x.writeEndElement();
      x.writeCharacters("\n");
      x.writeEndDocument();
      x.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot render registry XML", e);
    }
    return out.toByteArray();
  }

  private void record(XMLStreamWriter x, PatientRecord r) throws XMLStreamException {
    x.writeStartElement("record");
    x.writeAttribute("id", r.recordId);
    x.writeStartElement("patient");
    if (r.sourcePatientId != null) {
      x.writeAttribute("registryId", r.sourcePatientId);
    }
    x.writeAttribute("nationalId", r.nationalId);
    element(x, "givenName", r.firstName);
    element(x, "familyName", r.lastName);
    element(x, "address", r.street + ", " + r.postalCode + " " + r.city);
    element(x, "age", r.text(PatientRecord.AGE, r.age));
    element(x, "sex", r.gender == null ? null : r.gender.equals("female") ? "F" : "M");
    element(x, "ethnicity", Vocabulary.capitalised(r.ethnicity));
    element(x, "maritalStatus", Vocabulary.capitalised(r.maritalStatus));
    element(x, "education", Vocabulary.EDUCATION_TEXT.get(r.education));
    x.writeEndElement();

    x.writeStartElement("visit");
    String date = r.text(PatientRecord.DIAGNOSIS_DATE, r.diagnosisDate);
    if (date != null) {
      x.writeAttribute("date", date);
    }
    if (r.onsetDate != null) {
      x.writeAttribute("symptomOnset", r.onsetDate.toString());
    }
    for (SymptomEntry s : r.symptoms) {
      x.writeStartElement("symptom");
      x.writeAttribute("severity", String.valueOf(s.severity()));
      x.writeCharacters(s.writtenName().replace('_', ' '));
      x.writeEndElement();
    }
    vital(x, "temperature", "Cel", r.text(PatientRecord.TEMPERATURE, r.temperatureC));
    vital(x, "heartRate", "/min", r.text(PatientRecord.HEART_RATE, integer(r.heartRate)));
    vital(x, "systolic", "mm[Hg]", integer(r.systolic));
    vital(x, "diastolic", "mm[Hg]", integer(r.diastolic));
    vital(x, "respiratoryRate", "/min", integer(r.respiratoryRate));
    vital(x, "oxygenSaturation", "%", integer(r.spo2));
    vital(x, "weight", "kg", r.weightKg == null ? null : r.weightKg.toString());
    for (String d : r.previousDiagnoses) {
      element(x, "previousDiagnosis", diseaseNames.getOrDefault(d, d));
    }
    element(x, "note", r.note);
    x.writeEndElement();

    if (r.diseaseCode != null) {
      x.writeStartElement("diagnosis");
      x.writeCharacters(r.diseaseName);
      x.writeEndElement();
    }
    x.writeEndElement();
  }

  private static String integer(Double v) {
    return v == null ? null : String.valueOf(v.intValue());
  }

  private static void vital(XMLStreamWriter x, String name, String unit, String value) throws XMLStreamException {
    if (value == null) {
      return;
    }
    x.writeStartElement("vital");
    x.writeAttribute("name", name);
    x.writeAttribute("unit", unit);
    x.writeCharacters(value);
    x.writeEndElement();
  }

  private static void element(XMLStreamWriter x, String name, String value) throws XMLStreamException {
    if (value == null) {
      return;
    }
    x.writeStartElement(name);
    x.writeCharacters(value);
    x.writeEndElement();
  }
}
