package io.dxpipe.generate.format;

import io.dxpipe.generate.PatientRecord;
import io.dxpipe.generate.PatientRecord.SymptomEntry;
import io.dxpipe.io.CsvLine;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The outpatient clinic's CSV export, with its own conventions: US dates (MM/dd/yyyy), °F and lb,
 * blood pressure as "120/80", one-letter codes, symptoms as "name (NRS 0-10)" joined by "; ",
 * chronic history as yes/no flag columns, the diagnosis as a display name.
 */
public final class ClinicCsvWriter implements RecordFormatWriter {
  static final DateTimeFormatter US_DATE = DateTimeFormatter.ofPattern("MM/dd/yyyy");
  /** The history conditions the clinic's form has a yes/no box for. */
  public static final List<String> FLAGGED_HISTORY = List.of("hypertension", "diabetes", "bronchial_asthma");
  public static final List<String> HEADER = List.of("VisitID", "PatientNo", "PatientName", "SSN", "HomeAddress",
      "AgeYrs", "Sex", "Race", "MaritalStatus", "EducationLevel", "VisitDate", "SymptomStartDate", "Symptoms",
      "TempF", "Pulse", "BP", "RespRate", "O2Sat", "WeightLb", "Hx_Hypertension", "Hx_Diabetes", "Hx_Asthma",
      "Hx_Other", "ClinicianNote", "FinalDiagnosis");

  private final Map<String, String> diseaseNames;

  public ClinicCsvWriter(Map<String, String> diseaseNames) {
    this.diseaseNames = Map.copyOf(diseaseNames);
  }

  @Override
  public byte[] render(List<PatientRecord> records) {
    StringBuilder out = new StringBuilder(records.size() * 400);
    out.append(String.join(",", HEADER)).append("\r\n");
    for (PatientRecord r : records) {
      out.append(CsvLine.join(row(r))).append("\r\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private List<String> row(PatientRecord r) {
    SplittableRandom nrs = new SplittableRandom(r.index * 31 + 7);
    List<String> v = new ArrayList<>(HEADER.size());
    v.add(r.recordId);
    v.add(r.sourcePatientId);
    v.add(r.lastName + ", " + r.firstName);
    v.add(r.nationalId);
    v.add(r.street + ", " + r.city + " " + r.postalCode);
    v.add(r.text(PatientRecord.AGE, r.age));
    v.add(r.gender == null ? null : r.gender.equals("female") ? "F" : "M");
    v.add(Vocabulary.capitalised(r.ethnicity));
    v.add(Vocabulary.MARITAL_CODE.get(r.maritalStatus));
    v.add(Vocabulary.EDUCATION_TEXT.get(r.education));
    v.add(r.raw.containsKey(PatientRecord.DIAGNOSIS_DATE) ? r.raw.get(PatientRecord.DIAGNOSIS_DATE)
        : r.diagnosisDate == null ? null : r.diagnosisDate.format(US_DATE));
    v.add(r.onsetDate == null ? null : r.onsetDate.format(US_DATE));
    List<String> symptoms = new ArrayList<>();
    for (SymptomEntry s : r.symptoms) {
      // severity 1-3 on the clinic's 0-10 numeric rating scale: mild 1-3, moderate 4-6, severe 7-10
      int score = (s.severity() - 1) * 3 + 1 + nrs.nextInt(s.severity() == 3 ? 4 : 3);
      symptoms.add(s.writtenName().replace('_', ' ') + " (" + score + ")");
    }
    v.add(String.join("; ", symptoms));
    v.add(r.raw.containsKey(PatientRecord.TEMPERATURE) ? r.raw.get(PatientRecord.TEMPERATURE)
        : r.temperatureC == null ? null : String.format(java.util.Locale.ROOT, "%.1f", r.temperatureC * 9 / 5 + 32));
    v.add(r.text(PatientRecord.HEART_RATE, r.heartRate == null ? null : r.heartRate.intValue()));
    v.add(r.systolic == null ? null : r.systolic.intValue() + "/" + r.diastolic.intValue());
    v.add(r.respiratoryRate == null ? null : String.valueOf(r.respiratoryRate.intValue()));
    v.add(r.spo2 == null ? null : String.valueOf(r.spo2.intValue()));
    v.add(r.weightKg == null ? null : String.format(java.util.Locale.ROOT, "%.1f", r.weightKg * 2.20462));
    v.add(yesNo(r, "hypertension"));
    v.add(yesNo(r, "diabetes"));
    v.add(yesNo(r, "bronchial_asthma"));
    List<String> other = new ArrayList<>();
    for (String d : r.previousDiagnoses) {
      if (!FLAGGED_HISTORY.contains(d)) {
        other.add(diseaseNames.getOrDefault(d, d));
      }
    }
    v.add(String.join("; ", other));
    v.add(r.note);
    v.add(r.diseaseName);
    return v;
  }

  private static String yesNo(PatientRecord r, String condition) {
    return r.previousDiagnoses.contains(condition) ? "yes" : "no";
  }
}
