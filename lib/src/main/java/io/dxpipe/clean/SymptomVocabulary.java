package io.dxpipe.clean;

import io.dxpipe.catalogue.SymptomNames;
import io.dxpipe.config.ConfigurationException;
import io.dxpipe.schema.Silver;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps symptom names as sources write them to canonical codes: code form (case, spacing, hyphens),
 * listed synonyms, names that lost their separators, then single typos within an edit distance.
 * Serializable and memoizing: shipped to executors inside the cleaning UDF, each copy resolves a
 * distinct name once (a copy lives as long as its task's deserialized closure).
 */
public final class SymptomVocabulary implements Serializable {

  /** A resolved name: the code, and a flag when the name was a typo or is unknown (else null). */
  public record Resolution(String code, String flag) implements Serializable {}

  private final Set<String> known;
  private final Map<String, String> synonyms;
  private final Map<String, String> byMatchKey;
  private final int maxTypoDistance;
  private transient Map<String, Resolution> memo;

  /**
   * @param known canonical codes (the catalogue's symptom vocabulary)
   * @param synonyms variant (in code form) to canonical code
   */
  public SymptomVocabulary(Set<String> known, Map<String, String> synonyms, int maxTypoDistance) {
    this.known = Set.copyOf(known);
    Map<String, String> s = new HashMap<>();
    synonyms.forEach((variant, code) -> {
      if (!known.contains(code)) {
        throw new ConfigurationException("symptom vocabulary: '" + variant + "' maps to '" + code
            + "', which is not a known symptom code");
      }
      s.put(SymptomNames.code(variant), code);
    });
    this.synonyms = Map.copyOf(s);
    Map<String, String> m = new HashMap<>();
    known.forEach(code -> m.putIfAbsent(SymptomNames.matchKey(code), code));
    this.byMatchKey = Map.copyOf(m);
    this.maxTypoDistance = maxTypoDistance;
  }

  public static SymptomVocabulary load(Set<String> known, String location, int maxTypoDistance) {
    Map<String, String> synonyms = new HashMap<>();
    for (String[] row : MappingFile.read("dxpipe.clean.vocabulary.symptoms", location, 2)) {
      synonyms.put(row[0], row[1]);
    }
    return new SymptomVocabulary(known, synonyms, maxTypoDistance);
  }

  public Resolution resolve(String raw) {
    if (memo == null) {
      memo = new ConcurrentHashMap<>();
    }
    return memo.computeIfAbsent(raw, this::resolveOnce);
  }

  private Resolution resolveOnce(String raw) {
    String code;
    try {
      code = SymptomNames.code(raw);
    } catch (IllegalArgumentException e) {
      return new Resolution(null, Silver.FLAG_UNKNOWN_SYMPTOM + "(blank)");
    }
    if (known.contains(code)) {
      return new Resolution(code, null);
    }
    String synonym = synonyms.get(code);
    if (synonym != null) {
      return new Resolution(synonym, null);
    }
    String joined = byMatchKey.get(SymptomNames.matchKey(code));
    if (joined != null) {
      return new Resolution(joined, null);
    }
    String typo = closest(code);
    if (typo != null) {
      return new Resolution(typo, Silver.FLAG_SYMPTOM_TYPO + code + "->" + typo);
    }
    return new Resolution(code, Silver.FLAG_UNKNOWN_SYMPTOM + code);
  }

  /** The unique known code nearest to {@code code}, if within the allowed distance; short names get less slack. */
  private String closest(String code) {
    int allowed = Math.min(maxTypoDistance, (code.length() - 1) / 4);
    if (allowed <= 0) {
      return null;
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    boolean tie = false;
    for (String candidate : known) {
      if (Math.abs(candidate.length() - code.length()) > allowed) {
        continue;
      }
      int d = EditDistance.damerauLevenshtein(code, candidate, allowed);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
        tie = false;
      } else if (d == bestDistance) {
        tie = true;
      }
    }
    return bestDistance <= allowed && !tie ? best : null;
  }
}
