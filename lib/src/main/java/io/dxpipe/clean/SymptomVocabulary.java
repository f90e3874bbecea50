package io.dxpipe.clean;

import io.dxpipe.catalogue.HpoOntology;
import io.dxpipe.catalogue.Symptom;
import io.dxpipe.catalogue.SymptomNames;
import io.dxpipe.config.ConfigurationException;
import io.dxpipe.schema.Silver;
import java.io.Serializable;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps symptom names as sources write them to canonical codes: an HPO id ({@code HP:0001945}, its
 * alternative ids and replaced obsolete ids included), code form (case, spacing, hyphens), listed
 * synonyms, names that lost their separators, an HPO label or exact synonym, then single typos
 * within an edit distance. An HPO term the catalogue does not know maps to its nearest known
 * ancestor, flagged {@code symptom-ancestor:HP:...->HP:...} (see {@link HpoSymptomIndex}).
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
  private final HpoSymptomIndex hpo;
  private transient Map<String, Resolution> memo;

  /**
   * Without an HPO ontology and without HPO ids: HPO ids are unknown symptoms.
   *
   * @param known canonical codes (the catalogue's symptom vocabulary)
   * @param synonyms variant (in code form) to canonical code
   */
  public SymptomVocabulary(Set<String> known, Map<String, String> synonyms, int maxTypoDistance) {
    this(known, synonyms, maxTypoDistance, Map.of(), null, "(none)");
  }

  /**
   * @param known canonical codes (the catalogue's symptom vocabulary)
   * @param synonyms variant (in code form) to canonical code
   * @param hpoIds known code to its HPO id, for the catalogue symptoms that have one
   * @param ontology the HPO ontology, or null: then HPO ids resolve through {@code hpoIds} only, and
   *     HPO labels and ancestors are not used
   * @param ontologyLocation where the ontology was read or looked for (for {@link #hpoSummary})
   */
  public SymptomVocabulary(Set<String> known, Map<String, String> synonyms, int maxTypoDistance,
      Map<String, String> hpoIds, HpoOntology ontology, String ontologyLocation) {
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
    hpoIds.forEach((code, id) -> {
      if (!known.contains(code)) {
        throw new IllegalArgumentException("HPO id " + id + " of '" + code + "', which is not a known symptom code");
      }
    });
    this.hpo = HpoSymptomIndex.build(hpoIds, ontology, this::exact, ontologyLocation);
  }

  public static SymptomVocabulary load(Set<String> known, String location, int maxTypoDistance) {
    return new SymptomVocabulary(known, readSynonyms(location), maxTypoDistance);
  }

  /**
   * The catalogue's symptoms (codes and HPO ids), the synonyms file, and the HPO ontology at
   * {@code ontologyLocation} when there is one there (see {@link HpoOntology#readIfPresent}).
   */
  public static SymptomVocabulary load(Collection<Symptom> catalogue, String location, int maxTypoDistance,
      String ontologyLocation) {
    Set<String> known = new HashSet<>();
    Map<String, String> hpoIds = new HashMap<>();
    Map<String, String> synonyms = new HashMap<>();
    for (Symptom s : catalogue) {
      known.add(s.code());
      if (s.hpoId() != null && !s.hpoId().isBlank()) {
        hpoIds.put(s.code(), s.hpoId().strip());
      }
      s.aliases().forEach(alias -> synonyms.put(alias, s.code()));
    }
    synonyms.putAll(readSynonyms(location)); // the file's rows win over the catalogue's aliases
    HpoOntology ontology = HpoOntology.readIfPresent(ontologyLocation).orElse(null);
    return new SymptomVocabulary(known, synonyms, maxTypoDistance, hpoIds, ontology, ontologyLocation);
  }

  private static Map<String, String> readSynonyms(String location) {
    Map<String, String> synonyms = new HashMap<>();
    for (String[] row : MappingFile.read("dxpipe.clean.vocabulary.symptoms", location, 2)) {
      synonyms.put(row[0], row[1]);
    }
    return synonyms;
  }

  /**
   * One line on how HPO terms resolve: the ontology's release and what it maps, or that there was
   * no ontology at the configured location (HPO ids then resolve through the catalogue's own ids).
   */
  public String hpoSummary() {
    return hpo.summary();
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
    String hpoId = HpoOntology.normalizeId(raw);
    if (hpoId != null) {
      Resolution r = hpoResolution(hpoId);
      return r != null ? r : new Resolution(code, Silver.FLAG_UNKNOWN_SYMPTOM + hpoId);
    }
    String exact = exact(code);
    if (exact != null) {
      return new Resolution(exact, null);
    }
    String term = hpo.termOfLabel(code);
    if (term != null) {
      return hpoResolution(term);
    }
    String typo = closest(code);
    if (typo != null) {
      return new Resolution(typo, Silver.FLAG_SYMPTOM_TYPO + code + "->" + typo);
    }
    return new Resolution(code, Silver.FLAG_UNKNOWN_SYMPTOM + code);
  }

  /** A name in code form by the exact rules: a known code, a listed synonym, a known code without its separators. */
  private String exact(String code) {
    if (known.contains(code)) {
      return code;
    }
    String synonym = synonyms.get(code);
    if (synonym != null) {
      return synonym;
    }
    return byMatchKey.get(SymptomNames.matchKey(code));
  }

  private Resolution hpoResolution(String id) {
    HpoSymptomIndex.Hit hit = hpo.byId(id);
    if (hit == null) {
      return null;
    }
    return new Resolution(hit.code(), hit.viaAncestor() ? Silver.FLAG_SYMPTOM_ANCESTOR + id + "->" + hit.knownTerm() : null);
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
