package io.dxpipe.clean;

import io.dxpipe.catalogue.SymptomNames;
import io.dxpipe.config.ConfigurationException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Disease codes the model knows (the catalogue's), and variants sources write (in code form:
 * lower case, words joined by "_"): the codes, the catalogue's disease names, and the rows of
 * {@code conf/vocabulary/diagnoses.csv}. A written diagnosis matches ignoring case, spacing and
 * punctuation ("Crohn's disease", "CROHNS  DISEASE", "crohns-disease").
 *
 * @param byMatchKey codes and variants by {@link SymptomNames#matchKey} (letters and digits only)
 * @param fromData labels come from the data ({@code dxpipe.labels.from = data}): a diagnosis that
 *     matches nothing is a label of its own, its code the written name's code form
 */
public record DiagnosisVocabulary(Set<String> known, Map<String, String> variants, Map<String, String> byMatchKey,
    boolean fromData) implements Serializable {

  public DiagnosisVocabulary(Set<String> known, Map<String, String> variants) {
    this(known, variants, matchKeys(known, variants), false);
  }

  /** The code of a diagnosis as written, or null when it is no known disease. */
  public String resolve(String written) {
    if (written == null || written.isBlank()) {
      return null;
    }
    String code;
    try {
      code = SymptomNames.code(written);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (known.contains(code)) {
      return code;
    }
    String variant = variants.get(code);
    return variant != null ? variant : byMatchKey.get(SymptomNames.matchKey(code));
  }

  /** The same vocabulary with labels from the data, or from the catalogue only. */
  public DiagnosisVocabulary withLabelsFromData(boolean data) {
    return new DiagnosisVocabulary(known, variants, byMatchKey, data);
  }

  private static Map<String, String> matchKeys(Set<String> known, Map<String, String> variants) {
    Map<String, String> m = new HashMap<>();
    known.forEach(code -> m.putIfAbsent(SymptomNames.matchKey(code), code));
    variants.forEach((variant, code) -> m.putIfAbsent(SymptomNames.matchKey(variant), code));
    return Map.copyOf(m);
  }

  /**
   * @param names catalogue disease code to display name
   */
  public static DiagnosisVocabulary load(Map<String, String> names, String location) {
    Map<String, String> variants = new HashMap<>();
    names.forEach((code, name) -> variants.put(SymptomNames.code(name), code));
    for (String[] row : MappingFile.read("dxpipe.clean.vocabulary.diagnoses", location, 2)) {
      if (!names.containsKey(row[1])) {
        throw new ConfigurationException("dxpipe.clean.vocabulary.diagnoses (" + location + "): '" + row[0]
            + "' maps to '" + row[1] + "', which is not a disease code of the catalogue");
      }
      variants.put(SymptomNames.code(row[0]), row[1]);
    }
    return new DiagnosisVocabulary(Set.copyOf(names.keySet()), Map.copyOf(variants));
  }
}
