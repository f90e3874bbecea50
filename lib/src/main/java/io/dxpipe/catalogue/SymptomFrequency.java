package io.dxpipe.catalogue;

/** How often a symptom (by canonical code) is present in patients with a disease, in [0, 1]. */
public record SymptomFrequency(String symptom, double frequency) implements java.io.Serializable {
  public SymptomFrequency {
    if (frequency < 0 || frequency > 1) {
      throw new IllegalArgumentException("frequency of " + symptom + " must be in [0, 1]: " + frequency);
    }
  }
}
