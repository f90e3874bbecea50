package io.dxpipe.catalogue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The reviewed HPO term of each symptom name the common diseases use
 * ({@code conf/catalogue/common-symptom-hpo.csv}: {@code symptom,hpo_id,hpo_label,match,note}).
 * An empty {@code hpo_id} keeps a symptom as a name without a term (exposures such as
 * {@code receiving_blood_transfusion}, and names HPO has no fitting term for).
 *
 * <p>{@link #read} checks the file against the ontology so that a new HPO release or a typo cannot
 * slip in: every id is a current (not obsolete, not alternative) term, its {@code hpo_label} is
 * that term's name, {@code match} is one of {@link #MATCHES} and agrees with whether an id is
 * given, and no symptom is listed twice. {@link #requireCovers} checks that every symptom name of
 * the common diseases has its row.
 */
public final class SymptomHpoMapping {

  public static final String FILE = "common-symptom-hpo.csv";

  /** How a row's term was chosen: by its name, an exact synonym, a reviewer, or not at all. */
  public static final Set<String> MATCHES = Set.of("exact-label", "exact-synonym", "curated", "none");

  /** One row: {@code hpoId} and {@code hpoLabel} are null for a symptom without a term. */
  public record Entry(String symptom, String hpoId, String hpoLabel, String match, String note) {}

  private final Map<String, Entry> bySymptom;

  private SymptomHpoMapping(Map<String, Entry> bySymptom) {
    this.bySymptom = bySymptom;
  }

  public static SymptomHpoMapping read(Path file, HpoOntology ontology) {
    Map<String, Entry> rows = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    int line = 1;
    for (Map<String, String> row : CatalogueBuilder.readCsv(file)) {
      line++;
      String symptom = value(row, "symptom");
      String id = value(row, "hpo_id");
      String label = value(row, "hpo_label");
      String match = value(row, "match");
      String where = "row " + line + " (" + symptom + ")";
      if (symptom == null || !symptom.equals(SymptomNames.code(symptom))) {
        problems.add(where + ": symptom must be a code as SymptomNames.code writes it");
        continue;
      }
      if (!MATCHES.contains(match)) {
        problems.add(where + ": match '" + match + "' is not one of " + new TreeSet<>(MATCHES));
      } else if ((id == null) != "none".equals(match)) {
        problems.add(where + ": match " + match + (id == null ? " needs an hpo_id" : " must not have an hpo_id"));
      }
      if (id != null) {
        Optional<HpoOntology.Term> term = ontology.term(id);
        Optional<HpoOntology.Term> current = ontology.current(id);
        if (current.isEmpty()) {
          problems.add(where + ": " + id + " is not a term of the ontology " + ontology.version());
        } else if (term.isEmpty() || !current.get().id().equals(id)) {
          problems.add(where + ": " + id + " is obsolete or an alternative id, the current term is "
              + current.get().id() + " (" + current.get().name() + ")");
        } else if (!current.get().name().equals(label)) {
          problems.add(where + ": hpo_label '" + label + "' is not the name of " + id + " in " + ontology.version()
              + ", '" + current.get().name() + "': check the mapping still holds, then update the label");
        }
      } else if (label != null) {
        problems.add(where + ": hpo_label without an hpo_id");
      }
      if (rows.put(symptom, new Entry(symptom, id, label, match, value(row, "note"))) != null) {
        problems.add(where + ": listed twice");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(file + " has " + problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
    }
    return new SymptomHpoMapping(rows);
  }

  private static String value(Map<String, String> row, String column) {
    String v = row.get(column);
    return v == null || v.isBlank() ? null : v.trim();
  }

  /** Fails naming every symptom without a row, so a new common disease cannot skip the review. */
  public SymptomHpoMapping requireCovers(Collection<String> symptoms, Path file) {
    TreeSet<String> missing = new TreeSet<>(symptoms);
    missing.removeAll(bySymptom.keySet());
    if (!missing.isEmpty()) {
      throw new IllegalStateException(file + " has no row for " + missing.size() + " symptom(s) of the common diseases: "
          + missing + " (add each with its HPO term, or an empty hpo_id and match none; "
          + "scripts/catalogue/map-common-symptoms.py proposes terms)");
    }
    return this;
  }

  public Map<String, Entry> entries() {
    return bySymptom;
  }

  /** The HPO term of a symptom name, if the review gave it one. */
  public Optional<String> hpoId(String symptom) {
    Entry e = bySymptom.get(symptom);
    return e == null ? Optional.empty() : Optional.ofNullable(e.hpoId());
  }
}
