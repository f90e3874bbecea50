package io.dxpipe.catalogue;

/**
 * A symptom of the canonical vocabulary.
 *
 * @param code canonical code, lower snake case (e.g. {@code skin_rash})
 * @param label human-readable label as sources write it
 * @param severityWeight 1-7, from the Kaggle severity table (HPO phenotypes get a default)
 * @param hpoId HPO term id where the symptom comes from HPO, else null
 */
public record Symptom(String code, String label, int severityWeight, String hpoId) implements java.io.Serializable {}
