package io.dxpipe.clean;

import io.dxpipe.catalogue.HpoOntology;
import io.dxpipe.catalogue.SymptomNames;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * HPO terms as catalogue symptom codes, precomputed on the driver from the ontology so that what
 * executors get is a few arrays, not the graph: every HPO id (primary, {@code alt_id}, obsolete with
 * {@code replaced_by}) to the code of its term or of its nearest known ancestor, and every HPO label
 * and exact synonym (in code form) to its term.
 *
 * <p>A term is known when a catalogue symptom carries its id, or else when its name or one of its
 * exact synonyms already resolves by the vocabulary's exact rules (a catalogue code, a listed
 * synonym: HPO's "Cough" is the catalogue's {@code cough}). An unknown term maps to the known term
 * fewest {@code is_a} steps above it; of several at that distance, the smallest id.
 */
final class HpoSymptomIndex implements Serializable {

  /** Where an HPO id leads: the code, the known term whose code it is, and whether that is an ancestor. */
  record Hit(String code, String knownTerm, boolean viaAncestor) {}

  private final int[] ids;
  private final int[] reached;
  private final int[] codeOf;
  private final BitSet viaAncestor;
  private final String[] codes;
  private final String[] labels;
  private final int[] labelTerms;
  private final String summary;

  private HpoSymptomIndex(TreeMap<Integer, Entry> entries, TreeMap<String, Integer> labelMap, String summary) {
    ids = new int[entries.size()];
    reached = new int[entries.size()];
    codeOf = new int[entries.size()];
    viaAncestor = new BitSet(entries.size());
    Map<String, Integer> codeIndex = new HashMap<>();
    List<String> codeList = new ArrayList<>();
    int i = 0;
    for (Map.Entry<Integer, Entry> e : entries.entrySet()) {
      ids[i] = e.getKey();
      reached[i] = e.getValue().reached;
      codeOf[i] = codeIndex.computeIfAbsent(e.getValue().code, c -> {
        codeList.add(c);
        return codeList.size() - 1;
      });
      viaAncestor.set(i, e.getValue().viaAncestor);
      i++;
    }
    codes = codeList.toArray(String[]::new);
    labels = labelMap.keySet().toArray(String[]::new);
    labelTerms = labelMap.values().stream().mapToInt(Integer::intValue).toArray();
    this.summary = summary;
  }

  private record Entry(String code, int reached, boolean viaAncestor) {}

  private record Nearest(String code, int term, int distance) {}

  /**
   * @param catalogueIds catalogue symptom code to its HPO id (symptoms without one left out)
   * @param ontology the ontology, or null: then only the catalogue's own ids resolve, each to its symptom
   * @param exact the vocabulary's exact rules: a name in code form to a known code, else null
   * @param location where the ontology was looked for (for the summary)
   */
  static HpoSymptomIndex build(Map<String, String> catalogueIds, HpoOntology ontology, Function<String, String> exact,
      String location) {
    TreeMap<Integer, Entry> entries = new TreeMap<>();
    TreeMap<String, Integer> labelMap = new TreeMap<>();
    // a catalogue symptom's id as written is that symptom, whatever the ontology says of it (smallest
    // code first when two symptoms share one)
    TreeMap<Integer, Entry> direct = new TreeMap<>();
    new TreeMap<>(catalogueIds).forEach((code, id) -> {
      int n = HpoOntology.number(id);
      if (n >= 0) {
        direct.putIfAbsent(n, new Entry(code, n, false));
      }
    });
    if (ontology == null) {
      return new HpoSymptomIndex(direct, labelMap, "no HPO ontology at " + location
          + ": HPO ids resolve through the catalogue's " + direct.size() + " ids only, no HPO labels or ancestors");
    }
    // each name's code form and exact resolution, computed once (names are asked twice below)
    Map<String, String> forms = new HashMap<>();
    Map<String, String> exactByForm = new HashMap<>();
    Function<String, String> formOf = name -> forms.computeIfAbsent(name, n -> {
      try {
        return SymptomNames.code(n);
      } catch (IllegalArgumentException e) {
        return "";
      }
    });
    Function<String, String> exactOf = name -> {
      String form = name == null ? "" : formOf.apply(name);
      if (form.isEmpty()) {
        return null;
      }
      String code = exactByForm.computeIfAbsent(form, f -> {
        String c = exact.apply(f);
        return c == null ? "" : c;
      });
      return code.isEmpty() ? null : code;
    };
    Map<String, String> known = new HashMap<>();
    new TreeMap<>(catalogueIds).forEach((code, id) -> {
      String current = ontology.current(id).map(HpoOntology.Term::id).orElse(id);
      known.putIfAbsent(current, code);
    });
    int byCatalogue = known.size();
    for (HpoOntology.Term t : ontology.terms()) {
      if (t.obsolete() || known.containsKey(t.id())) {
        continue;
      }
      String code = exactOf.apply(t.name());
      if (code == null) {
        for (String synonym : t.exactSynonyms()) {
          String c = exactOf.apply(synonym);
          if (c != null && (code == null || c.compareTo(code) < 0)) {
            code = c;
          }
        }
      }
      if (code != null) {
        known.put(t.id(), code);
      }
    }
    Map<String, Optional<Nearest>> memo = new HashMap<>();
    Map<String, Integer> labelRank = new HashMap<>();
    List<String> allIds = new ArrayList<>();
    for (HpoOntology.Term t : ontology.terms()) {
      allIds.add(t.id());
      allIds.addAll(t.altIds());
    }
    for (String id : allIds) {
      int n = HpoOntology.number(id);
      Optional<HpoOntology.Term> current = ontology.current(id);
      if (n < 0 || current.isEmpty()) {
        continue;
      }
      Optional<Nearest> nearest = nearest(current.get().id(), ontology, known, memo);
      if (nearest.isEmpty()) {
        continue;
      }
      boolean ancestor = nearest.get().distance() > 0;
      entries.put(n, new Entry(nearest.get().code(), nearest.get().term(), ancestor));
    }
    entries.putAll(direct);
    for (HpoOntology.Term t : ontology.terms()) {
      if (t.obsolete() || !entries.containsKey(HpoOntology.number(t.id()))) {
        continue;
      }
      List<String> names = new ArrayList<>();
      if (t.name() != null) {
        names.add(t.name());
      }
      names.addAll(t.exactSynonyms());
      for (int i = 0; i < names.size(); i++) {
        String form = formOf.apply(names.get(i));
        if (form.isEmpty() || exactOf.apply(names.get(i)) != null) {
          continue; // no letters, or today's rules resolve it before the HPO labels are asked
        }
        int rank = i == 0 ? 0 : 1;
        int n = HpoOntology.number(t.id());
        Integer had = labelMap.get(form);
        // a term's name over another's synonym; then the smallest id
        if (had == null || rank < labelRank.get(form) || (rank == labelRank.get(form) && n < had)) {
          labelMap.put(form, n);
          labelRank.put(form, rank);
        }
      }
    }
    long viaAncestors = entries.values().stream().filter(Entry::viaAncestor).count();
    String summary = String.format(java.util.Locale.ROOT,
        "HPO ontology %s (%s, %,d terms): %,d HPO ids resolve to catalogue symptoms (%,d terms known by the"
            + " catalogue's ids, %,d by name; %,d ids through an ancestor), %,d HPO labels and synonyms",
        location, ontology.version(), ontology.size(), entries.size(), byCatalogue, known.size() - byCatalogue,
        viaAncestors, labelMap.size());
    return new HpoSymptomIndex(entries, labelMap, summary);
  }

  /**
   * The known term fewest {@code is_a} steps up from {@code id} (itself at 0), the smallest id of
   * those at that distance: the union of the parents' nearest sets at the smallest distance, so each
   * term's answer is the best of its parents' answers.
   */
  private static Optional<Nearest> nearest(String id, HpoOntology ontology, Map<String, String> known,
      Map<String, Optional<Nearest>> memo) {
    Optional<Nearest> done = memo.get(id);
    if (done != null) {
      return done;
    }
    memo.put(id, Optional.empty()); // a cycle (none in a valid ontology) ends here
    Optional<Nearest> result;
    String code = known.get(id);
    if (code != null) {
      result = Optional.of(new Nearest(code, HpoOntology.number(id), 0));
    } else {
      Nearest best = null;
      for (String parent : ontology.term(id).map(HpoOntology.Term::parents).orElse(List.of())) {
        Optional<HpoOntology.Term> p = ontology.current(parent);
        if (p.isEmpty()) {
          continue;
        }
        Optional<Nearest> up = nearest(p.get().id(), ontology, known, memo);
        if (up.isPresent()) {
          Nearest n = up.get();
          if (best == null || n.distance() + 1 < best.distance()
              || (n.distance() + 1 == best.distance() && n.term() < best.term())) {
            best = new Nearest(n.code(), n.term(), n.distance() + 1);
          }
        }
      }
      result = Optional.ofNullable(best);
    }
    memo.put(id, result);
    return result;
  }

  /** The code an HPO id (as {@link HpoOntology#normalizeId} gives it) resolves to, or null. */
  Hit byId(String id) {
    int at = Arrays.binarySearch(ids, HpoOntology.number(id));
    if (at < 0) {
      return null;
    }
    return new Hit(codes[codeOf[at]], HpoOntology.id(reached[at]), viaAncestor.get(at));
  }

  /** The term whose HPO label or exact synonym has this code form, or null. */
  String termOfLabel(String codeForm) {
    int at = Arrays.binarySearch(labels, codeForm);
    return at < 0 ? null : HpoOntology.id(labelTerms[at]);
  }

  /** One line on what the index holds: the ontology used, or that there was none. */
  String summary() {
    return summary;
  }
}
