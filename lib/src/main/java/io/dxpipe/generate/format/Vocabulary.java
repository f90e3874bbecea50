package io.dxpipe.generate.format;

import java.util.Map;

/** How each source spells categorical values (the generator's canonical value -> source text). */
final class Vocabulary {
  static final Map<String, String> SEVERITY_WORD = Map.of("1", "mild", "2", "moderate", "3", "severe");
  static final Map<String, String> EDUCATION_TEXT = Map.of(
      "none", "No formal education", "primary", "Primary school", "secondary", "Secondary school",
      "bachelor", "Bachelor's degree", "master", "Master's degree", "doctorate", "Doctorate");
  static final Map<String, String> MARITAL_CODE = Map.of("single", "S", "married", "M", "divorced", "D", "widowed", "W");
  /** HL7 v3 MaritalStatus display names. */
  static final Map<String, String> MARITAL_DISPLAY = Map.of(
      "S", "Never Married", "M", "Married", "D", "Divorced", "W", "Widowed");
  /** OMB race / ethnicity codes as US Core uses them. */
  static final Map<String, String[]> OMB = Map.of(
      "white", new String[] {"2106-3", "White"},
      "black", new String[] {"2054-5", "Black or African American"},
      "asian", new String[] {"2028-9", "Asian"},
      "other", new String[] {"2131-1", "Other Race"},
      "hispanic", new String[] {"2135-2", "Hispanic or Latino"});

  private Vocabulary() {}

  static String capitalised(String value) {
    return value == null || value.isEmpty() ? value : Character.toUpperCase(value.charAt(0)) + value.substring(1);
  }
}
