package io.dxpipe.catalogue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The HPO disease annotation file ({@code phenotype.hpoa}, one row per disease and term) read into
 * one entry per disease: its name, the phenotypes it has with their frequency, the phenotypes it is
 * annotated NOT to have, and its clinical-course, onset and sex terms.
 *
 * <p>Streams the file line by line (the 2025-01-16 release has 272,000 rows, 31 MB) and keeps only
 * the diseases a filter accepts ({@link #ORPHANET}: {@code ORPHA:} ids). Rules:
 * <ul>
 *   <li>aspect P rows are phenotypes; a {@code NOT} row is an <em>excluded</em> phenotype, never a
 *       present one;</li>
 *   <li>a frequency is parsed by {@link HpoFrequency#parse} (an HP:00402xx class at its range's
 *       midpoint, {@code n/m}, {@code n%}); a row without one is recorded as {@link #NO_FREQUENCY}
 *       and counted, for the catalogue to choose a default;</li>
 *   <li>the same disease and term on several rows (61 pairs among the ORPHA rows) are one
 *       phenotype at the highest of their frequencies, counted as merged;</li>
 *   <li>aspect C rows are clinical course (onset terms, "Death in infancy"); the {@code onset} and
 *       {@code sex} columns are kept where a row has them (none of the ORPHA rows of that release
 *       does).</li>
 * </ul>
 */
public final class HpoAnnotations {

  /** Accepts Orphanet diseases only. */
  public static final Predicate<String> ORPHANET = id -> id.startsWith("ORPHA:");

  /** Frequency recorded for a phenotype row that gives none. */
  public static final double NO_FREQUENCY = Double.NaN;

  private static final String HEADER = "database_id\tdisease_name\tqualifier\thpo_id";

  /**
   * One disease.
   *
   * @param phenotypes present phenotype -> frequency in [0, 1] ({@link #NO_FREQUENCY} where the file gives none), by id
   * @param excluded the phenotypes annotated {@code NOT}, by id
   * @param course aspect C terms (onset and clinical course), by id
   * @param sexes the values of the {@code sex} column where a row has one (upper case)
   */
  public record DiseaseAnnotations(String id, String name, Map<String, Double> phenotypes, List<String> excluded,
      List<String> course, List<String> sexes) {}

  /**
   * What reading found, over the accepted diseases.
   *
   * @param rows data rows of accepted diseases, any aspect
   * @param phenotypeRows aspect P rows without {@code NOT}
   * @param excludedRows aspect P rows with {@code NOT}
   * @param mergedRows phenotype rows that repeated a (disease, term) pair already read
   * @param withoutFrequency distinct present phenotypes without a frequency
   */
  public record Counts(long rows, long phenotypeRows, long excludedRows, long mergedRows, long withoutFrequency) {}

  private final String version;
  private final Map<String, DiseaseAnnotations> diseases;
  private final Counts counts;

  private HpoAnnotations(String version, Map<String, DiseaseAnnotations> diseases, Counts counts) {
    this.version = version;
    this.diseases = diseases;
    this.counts = counts;
  }

  public static HpoAnnotations read(Path file, Predicate<String> accept) {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(in, accept, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the HPO annotation file " + file
          + " (the shared data is expected beside the repository: ../shared/data/external/hpo-orphanet)", e);
    }
  }

  public static HpoAnnotations parse(String text, Predicate<String> accept) {
    try (BufferedReader in = new BufferedReader(new StringReader(text))) {
      return read(in, accept, "text");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HpoAnnotations read(Reader reader, Predicate<String> accept, String where) throws IOException {
    BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
    Map<String, Builder> builders = new LinkedHashMap<>();
    String version = null;
    boolean header = false;
    long rows = 0;
    long phenotypeRows = 0;
    long excludedRows = 0;
    long merged = 0;
    int lineNumber = 0;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      lineNumber++;
      if (line.startsWith("#")) {
        if (line.startsWith("#version:")) {
          version = line.substring("#version:".length()).trim();
        }
        continue;
      }
      if (line.isBlank()) {
        continue;
      }
      if (!header) {
        if (!line.startsWith(HEADER)) {
          throw new IllegalArgumentException(where + " line " + lineNumber
              + ": not an HPO annotation file (expected the header '" + HEADER + "...', found '" + abbreviate(line) + "')");
        }
        header = true;
        continue;
      }
      String[] c = line.split("\t", -1);
      if (c.length < 11) {
        throw new IllegalArgumentException(where + " line " + lineNumber + ": " + c.length
            + " tab-separated columns, expected 12 (" + abbreviate(line) + ")");
      }
      String diseaseId = c[0].trim();
      if (!accept.test(diseaseId)) {
        continue;
      }
      rows++;
      Builder disease = builders.computeIfAbsent(diseaseId, id -> new Builder(id, c[1].trim()));
      String term = HpoOntology.normalizeId(c[3]);
      if (term == null) {
        throw new IllegalArgumentException(where + " line " + lineNumber + ": '" + c[3] + "' is not an HPO id");
      }
      if (!c[8].isBlank()) {
        disease.sexes.add(c[8].trim().toUpperCase(java.util.Locale.ROOT));
      }
      if (!c[6].isBlank()) {
        String onset = HpoOntology.normalizeId(c[6]);
        if (onset != null) {
          disease.course.add(onset);
        }
      }
      switch (c[10].trim()) {
        case "P" -> {
          if ("NOT".equals(c[2].trim())) {
            excludedRows++;
            disease.excluded.add(term);
          } else {
            phenotypeRows++;
            double frequency;
            try {
              OptionalDouble parsed = HpoFrequency.parse(c[7]);
              frequency = parsed.isPresent() ? parsed.getAsDouble() : NO_FREQUENCY;
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException(where + " line " + lineNumber + " (" + diseaseId + ", " + term + "): "
                  + e.getMessage(), e);
            }
            Double previous = disease.phenotypes.get(term);
            if (previous != null) {
              merged++;
              if (!Double.isNaN(previous) && (Double.isNaN(frequency) || previous >= frequency)) {
                continue;
              }
            }
            disease.phenotypes.put(term, frequency);
          }
        }
        case "C" -> disease.course.add(term);
        default -> { } // H (inheritance), M (modifier): not phenotypes
      }
    }
    if (!header) {
      throw new IllegalArgumentException(where + ": no header line '" + HEADER + "...': not an HPO annotation file");
    }
    Map<String, DiseaseAnnotations> diseases = new LinkedHashMap<>();
    long withoutFrequency = 0;
    for (Builder b : builders.values()) {
      // a term both present and excluded (never in the 2025-01-16 release) counts as present only
      b.excluded.removeAll(b.phenotypes.keySet());
      withoutFrequency += b.phenotypes.values().stream().filter(f -> Double.isNaN(f)).count();
      diseases.put(b.id, new DiseaseAnnotations(b.id, b.name, Collections.unmodifiableMap(b.phenotypes),
          List.copyOf(b.excluded), List.copyOf(b.course), List.copyOf(b.sexes)));
    }
    return new HpoAnnotations(version, Collections.unmodifiableMap(diseases),
        new Counts(rows, phenotypeRows, excludedRows, merged, withoutFrequency));
  }

  private static String abbreviate(String line) {
    return line.length() > 80 ? line.substring(0, 80) + "..." : line;
  }

  /** The release in the file's {@code #version:} line (e.g. {@code 2025-01-16}), or null. */
  public String version() {
    return version;
  }

  /** The accepted diseases, in file order. */
  public Map<String, DiseaseAnnotations> diseases() {
    return diseases;
  }

  public Counts counts() {
    return counts;
  }

  /** The diseases with at least {@code minPhenotypes} distinct present phenotypes, in file order. */
  public List<DiseaseAnnotations> withAtLeast(int minPhenotypes) {
    List<DiseaseAnnotations> kept = new ArrayList<>();
    for (DiseaseAnnotations d : diseases.values()) {
      if (d.phenotypes().size() >= minPhenotypes) {
        kept.add(d);
      }
    }
    return kept;
  }

  /** Number of diseases with at least k present phenotypes, for k in {@code ks}: the table to choose a minimum from. */
  public Map<Integer, Integer> diseasesWithAtLeast(int... ks) {
    Map<Integer, Integer> table = new TreeMap<>();
    for (int k : ks) {
      table.put(k, withAtLeast(k).size());
    }
    return table;
  }

  /** Every distinct present phenotype term of the given diseases, sorted. */
  public static TreeSet<String> terms(List<DiseaseAnnotations> diseases) {
    TreeSet<String> terms = new TreeSet<>();
    diseases.forEach(d -> terms.addAll(d.phenotypes().keySet()));
    return terms;
  }

  private static final class Builder {
    final String id;
    final String name;
    final Map<String, Double> phenotypes = new LinkedHashMap<>();
    final java.util.LinkedHashSet<String> excluded = new java.util.LinkedHashSet<>();
    final java.util.LinkedHashSet<String> course = new java.util.LinkedHashSet<>();
    final java.util.LinkedHashSet<String> sexes = new java.util.LinkedHashSet<>();

    Builder(String id, String name) {
      this.id = id;
      this.name = name;
    }
  }
}
