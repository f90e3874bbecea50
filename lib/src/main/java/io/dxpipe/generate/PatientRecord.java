package io.dxpipe.generate;

import io.dxpipe.ingest.SourceFormat;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One synthesised patient encounter: the truth behind a raw record, before a format writer renders
 * it. Mutable only inside the generator (synthesis, then dirt injection); writers only read it.
 * A null field is absent from the rendered record; {@link #raw} replaces a typed value with the
 * text a source actually sent (type mismatches such as "forty-two").
 */
public final class PatientRecord implements Serializable {
  /** Field names used as keys of {@link #raw} and in defect descriptions. */
  public static final String AGE = "age";
  public static final String DIAGNOSIS_DATE = "diagnosis_date";
  public static final String TEMPERATURE = "temperature";
  public static final String HEART_RATE = "heart_rate";
  public static final String WEIGHT = "weight";

  public long index;
  /** The index of the patient's first visit: {@link #index} unless this is a repeat visit. */
  public long patientIndex;
  public String recordId;
  public SourceFormat format;
  public String sourcePatientId;
  public String nationalId;
  public String firstName;
  public String lastName;
  public String street;
  public String city;
  public String postalCode;
  public Integer age;
  public LocalDate birthDate;
  public String gender;
  public String ethnicity;
  public String maritalStatus;
  public String education;
  public LocalDate diagnosisDate;
  public LocalDate onsetDate;
  public Integer symptomDurationDays;
  public List<String> previousDiagnoses = new ArrayList<>();
  public List<SymptomEntry> symptoms = new ArrayList<>();
  public Double temperatureC;
  public Double heartRate;
  public Double systolic;
  public Double diastolic;
  public Double respiratoryRate;
  public Double spo2;
  public Double weightKg;
  public String note;
  /** Diagnosed disease code; null for daily records awaiting a prediction. */
  public String diseaseCode;
  public String diseaseName;
  public boolean orphan;
  /** Whether the recorded diagnosis is a look-alike disease instead of the one behind the symptoms. */
  public boolean mislabelled;
  public Map<String, String> raw = new HashMap<>();
  public Defect defect = Defect.NONE;
  /** Whether a symptom name was rewritten into a spelling variant. */
  public boolean symptomVariant;

  /** A recorded symptom: the name as the source wrote it, its canonical code, severity 1-3. */
  public record SymptomEntry(String writtenName, String code, int severity) implements Serializable {}

  /** The kind of injected dirt a record carries (at most one). */
  public enum Defect {
    NONE,
    MISSING_REQUIRED,
    TYPE_MISMATCH,
    IMPOSSIBLE_VALUE
  }

  /** The typed value as text, or the raw text a source sent instead. */
  public String text(String field, Object typed) {
    String r = raw.get(field);
    if (r != null) {
      return r;
    }
    return typed == null ? null : typed.toString();
  }

  /** A deep copy (for duplicate deliveries in another source). */
  public PatientRecord copy() {
    PatientRecord c = new PatientRecord();
    c.index = index;
    c.patientIndex = patientIndex;
    c.recordId = recordId;
    c.format = format;
    c.sourcePatientId = sourcePatientId;
    c.nationalId = nationalId;
    c.firstName = firstName;
    c.lastName = lastName;
    c.street = street;
    c.city = city;
    c.postalCode = postalCode;
    c.age = age;
    c.birthDate = birthDate;
    c.gender = gender;
    c.ethnicity = ethnicity;
    c.maritalStatus = maritalStatus;
    c.education = education;
    c.diagnosisDate = diagnosisDate;
    c.onsetDate = onsetDate;
    c.symptomDurationDays = symptomDurationDays;
    c.previousDiagnoses = new ArrayList<>(previousDiagnoses);
    c.symptoms = new ArrayList<>(symptoms);
    c.temperatureC = temperatureC;
    c.heartRate = heartRate;
    c.systolic = systolic;
    c.diastolic = diastolic;
    c.respiratoryRate = respiratoryRate;
    c.spo2 = spo2;
    c.weightKg = weightKg;
    c.note = note;
    c.diseaseCode = diseaseCode;
    c.diseaseName = diseaseName;
    c.orphan = orphan;
    c.mislabelled = mislabelled;
    c.raw = new HashMap<>(raw);
    c.defect = defect;
    c.symptomVariant = symptomVariant;
    return c;
  }
}
