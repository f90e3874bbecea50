package io.dxpipe.catalogue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Human Phenotype Ontology as its OBO file ({@code hp.obo}) holds it: terms with their name,
 * exact synonyms, {@code is_a} parents, alternative ids, and obsolete terms with the term that
 * replaced them. A plain line parser (the 10 MB release parses in well under a second); only
 * {@code [Term]} stanzas are read, and of their tags only those above. Driver-side only: the
 * clean stage turns it into a compact index ({@code io.dxpipe.clean.SymptomVocabulary}) and ships that.
 */
public final class HpoOntology {

  /**
   * One {@code [Term]} stanza.
   *
   * @param exactSynonyms the texts of {@code synonym: "..." EXACT} lines (any synonym type), in file order
   * @param parents the {@code is_a} term ids, in file order
   * @param replacedBy the {@code replaced_by} id of an obsolete term, else null
   */
  public record Term(String id, String name, List<String> exactSynonyms, List<String> parents, List<String> altIds,
      boolean obsolete, String replacedBy) {}

  private static final Pattern ID = Pattern.compile("\\s*(?i:HP)[:_](\\d{7})\\s*");
  private static final Pattern SYNONYM = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"\\s+([A-Z]+)\\b.*");

  private final String version;
  private final Map<String, Term> terms;
  private final Map<String, String> altIds;

  private HpoOntology(String version, Map<String, Term> terms, Map<String, String> altIds) {
    this.version = version;
    this.terms = terms;
    this.altIds = altIds;
  }

  /**
   * {@code HP:0001945} for an HPO id as sources write it ({@code HP:0001945}, {@code hp:0001945},
   * the OBO PURL form {@code HP_0001945}, spaces around), else null.
   */
  public static String normalizeId(String raw) {
    if (raw == null) {
      return null;
    }
    Matcher m = ID.matcher(raw);
    return m.matches() ? "HP:" + m.group(1) : null;
  }

  /** The number of an id {@link #normalizeId} accepts ({@code HP:0001945} -> 1945), else -1. */
  public static int number(String id) {
    String n = normalizeId(id);
    return n == null ? -1 : Integer.parseInt(n.substring(3));
  }

  /** {@code HP:0001945} for 1945. */
  public static String id(int number) {
    return String.format(Locale.ROOT, "HP:%07d", number);
  }

  public static HpoOntology parse(String obo) {
    return parse(new StringReader(obo));
  }

  public static HpoOntology read(Path file) {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the HPO ontology " + file, e);
    }
  }

  /**
   * The ontology at {@code location}: a path readable here (relative to the working directory), or a
   * file of that name bundled on the classpath; empty when neither exists.
   */
  public static Optional<HpoOntology> readIfPresent(String location) {
    Path file = Paths.get(location);
    if (Files.isRegularFile(file)) {
      return Optional.of(read(file));
    }
    String resource = location.replace('\\', '/').replaceFirst("^(\\./)+", "");
    try (InputStream in = HpoOntology.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(parse(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled HPO ontology " + resource, e);
    }
  }

  private static HpoOntology parse(Reader reader) {
    BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
    Map<String, Term> terms = new LinkedHashMap<>();
    Map<String, String> altIds = new HashMap<>();
    String version = null;
    Builder term = null;
    boolean inTerm = false;
    boolean header = true;
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("[")) {
          if (term != null) {
            term.add(terms, altIds);
          }
          header = false;
          inTerm = line.strip().equals("[Term]");
          term = inTerm ? new Builder() : null;
          continue;
        }
        int colon = line.indexOf(": ");
        if (colon <= 0) {
          continue;
        }
        String tag = line.substring(0, colon);
        String value = line.substring(colon + 2);
        if (header) {
          if (tag.equals("data-version")) {
            version = value.strip();
          }
          continue;
        }
        if (!inTerm) {
          continue;
        }
        switch (tag) {
          case "id" -> term.id = value.strip();
          case "name" -> term.name = unescape(value.strip());
          case "is_a" -> term.parents.add(firstToken(value));
          case "alt_id" -> term.altIds.add(firstToken(value));
          case "replaced_by" -> term.replacedBy = firstToken(value);
          case "is_obsolete" -> term.obsolete = value.strip().equals("true");
          case "synonym" -> {
            Matcher m = SYNONYM.matcher(value);
            if (m.matches() && m.group(2).equals("EXACT")) {
              term.synonyms.add(unescape(m.group(1)));
            }
          }
          default -> { }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the HPO ontology", e);
    }
    if (term != null) {
      term.add(terms, altIds);
    }
    return new HpoOntology(version, terms, altIds);
  }

  /** The id before any qualifier or comment: {@code HP:0000055 ! Abnormal ...} -> {@code HP:0000055}. */
  private static String firstToken(String value) {
    String s = value.strip();
    int end = 0;
    while (end < s.length() && !Character.isWhitespace(s.charAt(end)) && s.charAt(end) != '!' && s.charAt(end) != '{') {
      end++;
    }
    return s.substring(0, end);
  }

  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char next = s.charAt(++i);
        b.append(next == 'n' ? ' ' : next == 't' ? ' ' : next);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static final class Builder {
    String id;
    String name;
    final List<String> synonyms = new ArrayList<>();
    final List<String> parents = new ArrayList<>();
    final List<String> altIds = new ArrayList<>();
    boolean obsolete;
    String replacedBy;

    void add(Map<String, Term> terms, Map<String, String> altIdMap) {
      if (id == null) {
        return;
      }
      terms.put(id, new Term(id, name, List.copyOf(synonyms), List.copyOf(parents), List.copyOf(altIds), obsolete,
          replacedBy));
      for (String alt : altIds) {
        altIdMap.putIfAbsent(alt, id);
      }
    }
  }

  /** The release ({@code data-version}, e.g. {@code hp/releases/2025-01-16}), or null. */
  public String version() {
    return version;
  }

  /** Number of {@code [Term]} stanzas, obsolete ones included. */
  public int size() {
    return terms.size();
  }

  public Collection<Term> terms() {
    return terms.values();
  }

  /** The term of a primary id (obsolete terms included), not following alt ids. */
  public Optional<Term> term(String id) {
    return Optional.ofNullable(terms.get(id));
  }

  /** The primary ids that list {@code id} as an {@code alt_id}, as a map alt id -> primary id. */
  public Map<String, String> altIds() {
    return Map.copyOf(altIds);
  }

  /**
   * The current term an id stands for: the id's own term, the term that lists it as an alternative
   * id (also when the id has an obsolete stanza without {@code replaced_by} of its own), or, for an
   * obsolete term, the term that replaced it (followed to the end of the chain).
   * Empty when the id is unknown, or obsolete without a replacement (or replaced in a cycle).
   */
  public Optional<Term> current(String id) {
    Set<String> seen = new HashSet<>();
    String at = id;
    while (at != null && seen.add(at)) {
      Term t = terms.get(at);
      if (t == null || t.obsolete() && t.replacedBy() == null) {
        // an alternative id; also one that kept an obsolete stanza without replaced_by of its own
        // (HP:0006158 in the 2025-01-16 release is both that and an alt_id of HP:0001187)
        String primary = altIds.get(at);
        if (primary == null) {
          return Optional.empty();
        }
        t = terms.get(primary);
      }
      if (!t.obsolete()) {
        return Optional.of(t);
      }
      at = t.replacedBy();
    }
    return Optional.empty();
  }
}
