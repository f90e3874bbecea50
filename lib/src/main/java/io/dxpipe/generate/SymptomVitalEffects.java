package io.dxpipe.generate;

import java.util.Map;

/**
 * How a recorded symptom moves the vital signs (curated physiology, not from the sources):
 * {temperature °C, heart rate /min, systolic mmHg, respiratory rate /min, SpO2 %, weight factor}.
 * This is what ties the vitals to the symptoms a patient actually has, so fever shows in the
 * thermometer of the infected and a short stature in the weight of the dysplasias.
 */
final class SymptomVitalEffects {
  private static final Map<String, double[]> EFFECTS = Map.ofEntries(
      Map.entry("high_fever", new double[] {1.2, 10, 0, 2, 0, 1}),
      Map.entry("mild_fever", new double[] {0.6, 5, 0, 1, 0, 1}),
      Map.entry("chills", new double[] {0.3, 3, 0, 0, 0, 1}),
      Map.entry("shivering", new double[] {0.3, 3, 0, 0, 0, 1}),
      Map.entry("fast_heart_rate", new double[] {0, 18, 0, 0, 0, 1}),
      Map.entry("palpitations", new double[] {0, 8, 0, 0, 0, 1}),
      Map.entry("breathlessness", new double[] {0, 5, 0, 4, -2, 1}),
      Map.entry("dehydration", new double[] {0.2, 8, -6, 1, 0, 0.98}),
      Map.entry("obesity", new double[] {0, 0, 6, 0, 0, 1.30}),
      Map.entry("weight_gain", new double[] {0, 0, 2, 0, 0, 1.08}),
      Map.entry("weight_loss", new double[] {0, 0, 0, 0, 0, 0.90}),
      Map.entry("short_stature", new double[] {0, 0, 0, 0, 0, 0.80}),
      Map.entry("proportionate_short_stature", new double[] {0, 0, 0, 0, 0, 0.80}),
      Map.entry("severe_short_stature", new double[] {0, 0, 0, 0, 0, 0.65}),
      Map.entry("tall_stature", new double[] {0, 0, 0, 0, 0, 1.10}),
      Map.entry("disproportionate_tall_stature", new double[] {0, 0, 0, 0, 0, 1.05}),
      Map.entry("generalized_lipodystrophy", new double[] {0, 0, 0, 0, 0, 0.82}),
      Map.entry("lipodystrophy", new double[] {0, 0, 0, 0, 0, 0.85}),
      Map.entry("absence_of_subcutaneous_fat", new double[] {0, 0, 0, 0, 0, 0.85}),
      Map.entry("congestive_heart_failure", new double[] {0, 10, -5, 4, -3, 1.03}),
      Map.entry("respiratory_insufficiency", new double[] {0, 8, 0, 6, -5, 1}),
      Map.entry("coma", new double[] {0, -5, 10, -2, -2, 1}));

  private SymptomVitalEffects() {}

  /** The effect of a symptom code, or null when it has none. */
  static double[] of(String symptomCode) {
    return EFFECTS.get(symptomCode);
  }
}
