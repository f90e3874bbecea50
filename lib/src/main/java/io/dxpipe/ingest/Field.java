package io.dxpipe.ingest;

import java.util.Locale;

/**
 * The canonical fields a source's values are mapped onto before typing. A source's {@code fields}
 * block maps these (by their kebab-case name, e.g. {@code record-id}) to where the value sits in
 * its files: a JSON pointer or a CSV column.
 */
public enum Field {
  RECORD_ID,
  PATIENT_ID,
  NATIONAL_ID,
  GIVEN_NAME,
  FAMILY_NAME,
  /** "Family, Given" or "Given Family" in one field. */
  FULL_NAME,
  ADDRESS,
  AGE,
  BIRTH_DATE,
  GENDER,
  ETHNICITY,
  MARITAL_STATUS,
  EDUCATION,
  VISIT_DATE,
  ONSET_DATE,
  DURATION_DAYS,
  TEMPERATURE,
  HEART_RATE,
  SYSTOLIC,
  DIASTOLIC,
  /** "120/80" in one field. */
  BLOOD_PRESSURE,
  RESPIRATORY_RATE,
  SPO2,
  WEIGHT,
  NOTE,
  DIAGNOSIS,
  /** JSON: pointer to the array of symptom objects; CSV: the column holding the symptom list. */
  SYMPTOMS,
  /** JSON: pointer to the array of previous diagnoses; CSV: a column with a list. */
  PREVIOUS_DIAGNOSES;

  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Field ofKey(String key) {
    for (Field f : values()) {
      if (f.key().equals(key)) {
        return f;
      }
    }
    return null;
  }
}
