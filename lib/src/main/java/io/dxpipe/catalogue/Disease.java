package io.dxpipe.catalogue;

import java.util.List;

/**
 * One disease of the catalogue with everything the generator needs to simulate its patients.
 *
 * @param code canonical disease code (label of the classifier)
 * @param name display name
 * @param group common or orphan
 * @param sourceId where its symptom profile comes from ({@code kaggle:<name>}, {@code OMIM:...}, {@code ORPHA:...})
 * @param weight relative prevalence (same scale for all diseases)
 * @param ageMean mean age at diagnosis, years
 * @param ageSd standard deviation of age at diagnosis
 * @param femaleShare share of female patients
 * @param durationDays median symptom duration before diagnosis
 * @param vitalShift mean shift of vital signs
 * @param riskFactors disease codes that are more likely previous diagnoses of these patients
 * @param symptoms symptom frequencies, most frequent first
 * @param excludedSymptoms symptoms the disease is annotated not to have (HPO {@code NOT} rows), by code
 */
public record Disease(
    String code,
    String name,
    DiseaseGroup group,
    String sourceId,
    double weight,
    double ageMean,
    double ageSd,
    double femaleShare,
    double durationDays,
    VitalShift vitalShift,
    List<String> riskFactors,
    List<SymptomFrequency> symptoms,
    List<String> excludedSymptoms) implements java.io.Serializable {

  public Disease {
    excludedSymptoms = excludedSymptoms == null ? List.of() : List.copyOf(excludedSymptoms);
  }

  public boolean isOrphan() {
    return group == DiseaseGroup.ORPHAN;
  }
}
