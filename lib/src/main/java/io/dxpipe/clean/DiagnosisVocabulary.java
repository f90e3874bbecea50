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
 * {@code conf/vocabulary/diagnoses.csv}.
 */
public record DiagnosisVocabulary(Set<String> known, Map<String, String> variants) implements Serializable {

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
    return known.contains(code) ? code : variants.get(code);
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
