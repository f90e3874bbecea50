package io.dxpipe.catalogue;

import io.dxpipe.io.CsvText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Derives the {@link DiseaseCatalogue} from the public sources in {@code shared/data/external}
 * plus the curated assumption files in {@code conf/catalogue}.
 *
 * <p>What comes from where:
 * <ul>
 *   <li>common diseases and their symptom frequencies: the Kaggle disease-symptom table (share of
 *       the disease's rows listing the symptom); symptom severity weights: its severity table;</li>
 *   <li>orphan diseases and their phenotype frequencies: the HPO annotation file (aspect P rows,
 *       NOT-qualified rows dropped, frequency as given, {@link #DEFAULT_HPO_FREQUENCY} where it is
 *       missing); onset terms (aspect C) set the age at diagnosis where present;</li>
 *   <li>ethnicity shares: the Synthea patients table (add-one smoothed);</li>
 *   <li>prevalence weights, age/sex profiles, vital-sign shifts, risk factors and the HPO to symptom
 *       synonyms: curated files, because the sources do not contain them.</li>
 * </ul>
 * Pure function of its input files; runs on the driver only (small data).
 */
public final class CatalogueBuilder {

  /**
   * Frequency assumed for an HPO annotation without one. 0.30 is the lower bound of HPO's
   * "Frequent" class: annotations without a frequency are mostly textbook features (IEA from OMIM
   * clinical synopses), present in many but not most patients.
   */
  public static final double DEFAULT_HPO_FREQUENCY = 0.30;

  /** Severity weight (Kaggle 1-7 scale) for an HPO phenotype that maps to no Kaggle symptom. */
  public static final int DEFAULT_HPO_SEVERITY = 4;

  /** Curated orphan diseases with fewer phenotypes than this give no usable profile and are skipped. */
  public static final int MIN_ORPHAN_PHENOTYPES = 4;

  /**
   * Default of {@code --min-annotations}: an Orphanet disease enters the catalogue with at least
   * this many distinct phenotypes in the annotation file. 5 keeps 4,097 of the 4,281 diseases of the
   * 2025-01-16 release (4 keeps 4,170, 6 keeps 4,013: too close to 4,000 for a later release).
   */
  public static final int DEFAULT_MIN_ANNOTATIONS = 5;

  /**
   * Profile of an Orphanet disease that no curated row describes: the annotation file gives no
   * prevalence, age or sex for them (its onset and sex columns are empty in every ORPHA row of the
   * 2025-01-16 release). Weight 0: the sample generator does not draw them (their prevalence is
   * unknown, and at any real one a sample of thousands has none of them); they are in the
   * catalogue for the model to know and for the evaluation set to draw. Age at diagnosis 15 +- 15
   * years, half female, two years of symptoms before diagnosis.
   */
  static final double ORPHANET_WEIGHT = 0;
  static final double ORPHANET_AGE_MEAN = 15;
  static final double ORPHANET_AGE_SD = 15;
  static final double ORPHANET_FEMALE_SHARE = 0.5;
  static final double ORPHANET_DURATION_DAYS = 730;

  private static final Map<String, double[]> ONSET_AGE = Map.of(
      "HP:0030674", new double[] {4, 4},   // Antenatal onset
      "HP:0003577", new double[] {5, 5},   // Congenital onset
      "HP:0003623", new double[] {5, 5},   // Neonatal onset
      "HP:0003593", new double[] {6, 5},   // Infantile onset
      "HP:0011463", new double[] {10, 5},  // Childhood onset
      "HP:0003621", new double[] {17, 5},  // Juvenile onset
      "HP:0011462", new double[] {28, 7},  // Young adult onset
      "HP:0003581", new double[] {38, 12}, // Adult onset
      "HP:0003596", new double[] {52, 9},  // Middle age onset
      "HP:0003584", new double[] {65, 9}); // Late onset

  private final Path sharedData;
  private final Path curated;
  private final int minAnnotations;
  private final List<String> report = new ArrayList<>();

  /**
   * @param sharedData the {@code data/external} folder of the shared material
   * @param curated the {@code conf/catalogue} folder with the curated assumption files
   */
  public CatalogueBuilder(Path sharedData, Path curated) {
    this(sharedData, curated, DEFAULT_MIN_ANNOTATIONS);
  }

  /** @param minAnnotations distinct phenotypes an Orphanet disease needs to enter the catalogue */
  public CatalogueBuilder(Path sharedData, Path curated, int minAnnotations) {
    if (minAnnotations < 1) {
      throw new IllegalArgumentException("min-annotations must be at least 1: " + minAnnotations);
    }
    this.sharedData = sharedData;
    this.curated = curated;
    this.minAnnotations = minAnnotations;
  }

  /** What the last {@link #build()} decided: skipped rows, merged names, defaults applied. */
  public List<String> report() {
    return List.copyOf(report);
  }

  public DiseaseCatalogue build() {
    report.clear();
    Map<String, Symptom> vocabulary = new TreeMap<>();
    Map<String, Integer> severity = kaggleSeverity();
    HpoOntology ontology = HpoOntology.read(sharedData.resolve("hpo-orphanet/hp.obo"));
    Path mappingFile = curated.resolve(SymptomHpoMapping.FILE);
    SymptomHpoMapping mapping = SymptomHpoMapping.read(mappingFile, ontology);
    List<Disease> diseases = new ArrayList<>(commonDiseases(severity, vocabulary, mapping, mappingFile));
    TermCodes codes = new TermCodes(ontology, vocabulary, severity);
    HpoAnnotations annotations = HpoAnnotations.read(sharedData.resolve("hpo-orphanet/phenotype.hpoa"),
        HpoAnnotations.ORPHANET);
    diseases.addAll(orphanDiseases(codes, annotations));
    diseases.sort(Comparator.comparingDouble(Disease::weight).reversed().thenComparing(Disease::code));
    String derivedFrom = "kaggle-disease-symptom/dataset.csv + Symptom-severity.csv; "
        + "hpo-orphanet/phenotype.excerpt.hpoa (curated orphan diseases); hpo-orphanet/phenotype.hpoa "
        + "(Orphanet diseases with at least " + minAnnotations + " phenotypes, release " + annotations.version()
        + "); hpo-orphanet/hp.obo (" + ontology.version() + "); synthea/csv/patients.csv; conf/catalogue/*.csv";
    return new DiseaseCatalogue(derivedFrom, List.copyOf(diseases), List.copyOf(vocabulary.values()), ethnicities());
  }

  // ---- Kaggle: common diseases ----------------------------------------------------------------

  private Map<String, Integer> kaggleSeverity() {
    Map<String, Integer> weights = new HashMap<>();
    for (Map<String, String> row : readCsv(sharedData.resolve("kaggle-disease-symptom/Symptom-severity.csv"))) {
      String key = SymptomNames.matchKey(row.get("Symptom"));
      int weight = Integer.parseInt(row.get("weight").trim());
      Integer previous = weights.putIfAbsent(key, weight);
      if (previous != null && previous != weight) {
        report.add("severity table lists '" + row.get("Symptom").trim() + "' twice (" + previous + ", " + weight
            + "): kept the first, " + previous);
      }
    }
    return weights;
  }

  private List<Disease> commonDiseases(Map<String, Integer> severity, Map<String, Symptom> vocabulary,
      SymptomHpoMapping mapping, Path mappingFile) {
    Map<String, Map<String, String>> curatedByKaggleName = new HashMap<>();
    List<Map<String, String>> curatedRows = readCsv(curated.resolve("common-diseases.csv"));
    for (Map<String, String> row : curatedRows) {
      for (String alias : row.get("kaggle_name").split("\\|")) {
        curatedByKaggleName.put(alias.trim(), row);
      }
    }
    Map<String, String> canonical = canonicalNames(mapping);
    Map<String, Integer> rowsPerDisease = new LinkedHashMap<>();
    Map<String, Map<String, Integer>> symptomCounts = new HashMap<>();
    List<String[]> kaggle = CsvText.rows(String.join("\n", readLines(sharedData.resolve("kaggle-disease-symptom/dataset.csv"))),
        CsvText.Comments.DATA);
    for (String[] line : kaggle.subList(1, kaggle.size())) {
      List<String> fields = List.of(line);
      String kaggleName = fields.get(0).trim();
      Map<String, String> row = curatedByKaggleName.get(kaggleName);
      if (row == null) {
        throw new IllegalStateException("Kaggle disease '" + kaggleName + "' has no row in "
            + curated.resolve("common-diseases.csv") + ": add it (kaggle_name column)");
      }
      String code = row.get("code");
      rowsPerDisease.merge(code, 1, Integer::sum);
      Map<String, Integer> counts = symptomCounts.computeIfAbsent(code, c -> new HashMap<>());
      fields.subList(1, fields.size()).stream()
          .filter(s -> !s.isBlank())
          .map(SymptomNames::code)
          .map(name -> canonical.getOrDefault(name, name))
          .distinct()
          .forEach(s -> counts.merge(s, 1, Integer::sum));
    }
    java.util.Set<String> names = new java.util.HashSet<>(canonical.keySet());
    symptomCounts.values().forEach(m -> names.addAll(m.keySet()));
    mapping.requireCovers(names, mappingFile);
    List<Disease> diseases = new ArrayList<>();
    for (Map<String, String> row : curatedRows) {
      String code = row.get("code");
      Integer rows = rowsPerDisease.get(code);
      if (rows == null) {
        throw new IllegalStateException("curated common disease '" + code + "' matches no Kaggle row (kaggle_name '"
            + row.get("kaggle_name") + "')");
      }
      List<SymptomFrequency> symptoms = symptomCounts.get(code).entrySet().stream()
          .map(e -> new SymptomFrequency(e.getKey(), round(e.getValue() / (double) rows)))
          .sorted(Comparator.comparingDouble(SymptomFrequency::frequency).reversed().thenComparing(SymptomFrequency::symptom))
          .toList();
      for (SymptomFrequency s : symptoms) {
        vocabulary.computeIfAbsent(s.symptom(), c -> new Symptom(c, SymptomNames.label(c), severityOf(c, severity),
            mapping.hpoId(c).orElse(null), canonical.entrySet().stream().filter(e -> e.getValue().equals(c))
                .map(Map.Entry::getKey).sorted().toList()));
      }
      diseases.add(new Disease(code, row.get("name"), DiseaseGroup.COMMON, "kaggle:" + row.get("kaggle_name"),
          num(row, "weight"), num(row, "age_mean"), num(row, "age_sd"), num(row, "female_share"),
          num(row, "duration_days"),
          new VitalShift(num(row, "temp_shift"), num(row, "hr_shift"), num(row, "sbp_shift"),
              num(row, "rr_shift"), num(row, "spo2_shift")),
          list(row.get("risk_factors")), symptoms, List.of()));
    }
    return diseases;
  }

  /**
   * The Kaggle names that the reviewed mapping gives the same HPO term as another, smaller, name,
   * each to that name ({@code belly_pain} and {@code stomach_pain} to {@code abdominal_pain}): one
   * HPO term is one symptom, so a patient described in HPO terms and one described in Kaggle names
   * reach the same features. The merged names stay known to the clean stage as aliases.
   */
  private static Map<String, String> canonicalNames(SymptomHpoMapping mapping) {
    Map<String, String> firstByTerm = new HashMap<>();
    Map<String, String> canonical = new TreeMap<>();
    new TreeMap<>(mapping.entries()).forEach((name, e) -> {
      if (e.hpoId() != null) {
        String first = firstByTerm.putIfAbsent(e.hpoId(), name);
        if (first != null) {
          canonical.put(name, first);
        }
      }
    });
    return canonical;
  }

  private int severityOf(String code, Map<String, Integer> severity) {
    Integer weight = severity.get(SymptomNames.matchKey(code));
    if (weight == null) {
      report.add("symptom '" + code + "' is not in the severity table: weight " + DEFAULT_HPO_SEVERITY);
      return DEFAULT_HPO_SEVERITY;
    }
    return weight;
  }

  // ---- HPO: orphan diseases -------------------------------------------------------------------

  /**
   * The symptom code of each HPO term, one code per term over the whole catalogue: a curated
   * everyday name ({@code symptom-synonyms.csv}), else the common symptom the reviewed mapping gives
   * the term (the smallest code when several share it), else the term's name in code form
   * ({@code Muscle weakness} -> {@code muscle_weakness}), with {@code _hp<number>} appended when a
   * different symptom already has that code. Alternative ids and replaced obsolete terms resolve to
   * the current term; an obsolete term without a replacement is dropped.
   */
  private final class TermCodes {
    private final HpoOntology ontology;
    private final Map<String, Symptom> vocabulary;
    private final Map<String, Integer> severity;
    private final Map<String, String> synonyms = new HashMap<>();
    private final Map<String, String> byTerm = new HashMap<>();
    private final java.util.Set<String> replaced = new java.util.TreeSet<>();
    private final java.util.Set<String> dropped = new java.util.TreeSet<>();

    TermCodes(HpoOntology ontology, Map<String, Symptom> vocabulary, Map<String, Integer> severity) {
      this.ontology = ontology;
      this.vocabulary = vocabulary;
      this.severity = severity;
      for (Map<String, String> row : readCsv(curated.resolve("symptom-synonyms.csv"))) {
        synonyms.put(row.get("hpo_id"), row.get("symptom"));
      }
      // the vocabulary is sorted by code: the smallest code of a shared term comes first
      vocabulary.values().forEach(v -> {
        if (v.hpoId() != null) {
          byTerm.putIfAbsent(v.hpoId(), v.code());
        }
      });
    }

    /** The code of a term, or null for an obsolete term without a replacement (reported). */
    String codeOf(String diseaseId, String id) {
      java.util.Optional<HpoOntology.Term> current = ontology.current(id);
      if (current.isEmpty()) {
        if (dropped.add(id)) {
          report.add(diseaseId + ": dropped HPO term " + id + " (obsolete without a replacement, or not in "
              + ontology.version() + ")");
        }
        return null;
      }
      HpoOntology.Term term = current.get();
      if (!term.id().equals(id) && replaced.add(id)) {
        report.add("HPO term " + id + " is now " + term.id() + " (" + term.name() + ")");
      }
      String synonym = synonyms.getOrDefault(id, synonyms.get(term.id()));
      if (synonym != null) {
        vocabulary.computeIfAbsent(synonym, c -> new Symptom(c, SymptomNames.label(c), severityOf(c, severity), null));
        return synonym;
      }
      String code = byTerm.get(term.id());
      if (code != null) {
        return code;
      }
      code = SymptomNames.code(term.name());
      if (vocabulary.containsKey(code)) {
        String other = code;
        code = code + "_hp" + term.id().substring(3);
        report.add("HPO term " + term.id() + " (" + term.name() + ") is symptom " + code + ": " + other
            + " is another symptom");
      }
      vocabulary.put(code, new Symptom(code, term.name(), DEFAULT_HPO_SEVERITY, term.id()));
      byTerm.put(term.id(), code);
      return code;
    }
  }

  private List<Disease> orphanDiseases(TermCodes codes, HpoAnnotations annotations) {
    Map<String, Map<String, String>> curatedById = new LinkedHashMap<>();
    Map<String, String> curatedOrphanet = new LinkedHashMap<>(); // ORPHA id -> curated database id
    // a common disease that Orphanet lists too (an infection such as typhoid) is the common one only
    for (Map<String, String> row : readCsv(curated.resolve("common-diseases.csv"))) {
      String orpha = row.getOrDefault("orpha_id", "").trim();
      if (!orpha.isEmpty()) {
        curatedOrphanet.put(orpha, row.get("code"));
      }
    }
    for (Map<String, String> row : readCsv(curated.resolve("orphan-diseases.csv"))) {
      curatedById.put(row.get("database_id"), row);
      String orpha = row.getOrDefault("orpha_id", "").trim();
      if (!orpha.isEmpty()) {
        curatedOrphanet.put(orpha, row.get("database_id"));
      }
      if (row.get("database_id").startsWith("ORPHA:")) {
        curatedOrphanet.put(row.get("database_id"), row.get("database_id"));
      }
    }
    List<Disease> diseases = new ArrayList<>(curatedOrphanDiseases(codes, curatedById));
    java.util.Set<String> curatedCodes = new java.util.HashSet<>();
    diseases.forEach(d -> curatedCodes.add(d.sourceId()));
    // a curated orphan row that was skipped (too few phenotypes in the excerpt) leaves its disease to Orphanet
    curatedOrphanet.values().removeIf(id -> id.contains(":") && !curatedCodes.contains(id));

    for (Map.Entry<String, String> e : curatedOrphanet.entrySet()) {
      if (!annotations.diseases().containsKey(e.getKey())) {
        throw new IllegalStateException("curated disease " + e.getValue() + " names " + e.getKey()
            + " (orpha_id), which the annotation file does not have");
      }
    }
    int few = 0;
    int taken = 0;
    int added = 0;
    for (HpoAnnotations.DiseaseAnnotations d : annotations.diseases().values()) {
      if (curatedOrphanet.containsKey(d.id())) {
        taken++; // described by its curated row (profile, prevalence, age), orphan or common, instead
        continue;
      }
      if (d.phenotypes().size() < minAnnotations) {
        few++;
        continue;
      }
      Map<String, Double> profile = new HashMap<>();
      d.phenotypes().forEach((term, f) -> {
        String code = codes.codeOf(d.id(), term);
        if (code != null) {
          // several terms recorded as one symptom: present if any of them is (independence)
          profile.merge(code, Double.isNaN(f) ? DEFAULT_HPO_FREQUENCY : f, (a, b) -> 1 - (1 - a) * (1 - b));
        }
      });
      java.util.TreeSet<String> excluded = new java.util.TreeSet<>();
      for (String term : d.excluded()) {
        String code = codes.codeOf(d.id(), term);
        if (code != null && !profile.containsKey(code)) {
          excluded.add(code);
        }
      }
      String number = d.id().substring("ORPHA:".length());
      diseases.add(new Disease("orpha_" + number, d.name(), DiseaseGroup.ORPHAN, d.id(), ORPHANET_WEIGHT,
          ORPHANET_AGE_MEAN, ORPHANET_AGE_SD, ORPHANET_FEMALE_SHARE, ORPHANET_DURATION_DAYS, VitalShift.NONE,
          List.of(), frequencies(profile), List.copyOf(excluded)));
      added++;
    }
    report.add("Orphanet (" + annotations.version() + "): " + annotations.diseases().size() + " diseases, " + added
        + " in the catalogue with at least " + minAnnotations + " phenotypes, " + few + " with fewer left out, "
        + taken + " described by a curated row (orphan or common)");
    return diseases;
  }

  private static List<SymptomFrequency> frequencies(Map<String, Double> profile) {
    return profile.entrySet().stream()
        .map(e -> new SymptomFrequency(e.getKey(), round(e.getValue())))
        .sorted(Comparator.comparingDouble(SymptomFrequency::frequency).reversed().thenComparing(SymptomFrequency::symptom))
        .toList();
  }

  /** The curated orphan diseases of orphan-diseases.csv, with their profiles from the annotation excerpt. */
  private List<Disease> curatedOrphanDiseases(TermCodes codes, Map<String, Map<String, String>> curatedById) {
    Map<String, Map<String, Double>> phenotypes = new LinkedHashMap<>();
    Map<String, List<double[]>> onsets = new HashMap<>();
    int defaulted = 0;
    for (String line : readLines(sharedData.resolve("hpo-orphanet/phenotype.excerpt.hpoa"))) {
      if (line.startsWith("#") || line.startsWith("database_id") || line.isBlank()) {
        continue;
      }
      String[] c = line.split("\t", -1);
      String diseaseId = c[0];
      String hpoId = c[3];
      String aspect = c[10];
      if (!curatedById.containsKey(diseaseId)) {
        continue;
      }
      // Disease onset comes from aspect C rows only: the onset column qualifies a single phenotype.
      if ("C".equals(aspect) && ONSET_AGE.containsKey(hpoId)) {
        onsets.computeIfAbsent(diseaseId, k -> new ArrayList<>()).add(ONSET_AGE.get(hpoId));
      }
      if (!"P".equals(aspect) || "NOT".equals(c[2])) {
        continue;
      }
      String symptom = codes.codeOf(diseaseId, hpoId);
      if (symptom == null) {
        continue;
      }
      OptionalDouble parsed = HpoFrequency.parse(c[7]);
      if (parsed.isEmpty()) {
        defaulted++;
      }
      double frequency = parsed.orElse(DEFAULT_HPO_FREQUENCY);
      // Several phenotypes recorded as one symptom: present if any of them is (independence).
      phenotypes.computeIfAbsent(diseaseId, k -> new HashMap<>())
          .merge(symptom, frequency, (a, b) -> 1 - (1 - a) * (1 - b));
    }
    report.add(defaulted + " HPO annotations of curated orphan diseases without a frequency got the default "
        + DEFAULT_HPO_FREQUENCY);

    List<Disease> diseases = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> entry : curatedById.entrySet()) {
      String id = entry.getKey();
      Map<String, String> row = entry.getValue();
      Map<String, Double> profile = phenotypes.getOrDefault(id, Map.of());
      if (profile.size() < MIN_ORPHAN_PHENOTYPES) {
        report.add(id + " (" + row.get("name") + ") skipped: " + profile.size() + " phenotypes, fewer than "
            + MIN_ORPHAN_PHENOTYPES);
        continue;
      }
      double ageMean = num(row, "age_mean");
      double ageSd = num(row, "age_sd");
      List<double[]> onset = onsets.get(id);
      if (onset != null) {
        ageMean = onset.stream().mapToDouble(a -> a[0]).average().orElseThrow();
        ageSd = Math.max(onset.stream().mapToDouble(a -> a[1]).max().orElseThrow(),
            stdDev(onset.stream().mapToDouble(a -> a[0]).toArray()));
        report.add(id + ": age at diagnosis from HPO onset terms, mean " + round(ageMean) + " sd " + round(ageSd));
      }
      diseases.add(new Disease(row.get("code"), row.get("name"), DiseaseGroup.ORPHAN, id, num(row, "weight"),
          round(ageMean), round(ageSd), num(row, "female_share"), num(row, "duration_days"),
          VitalShift.NONE, List.of(), frequencies(profile), List.of()));
    }
    return diseases;
  }

  // ---- Synthea: population shares -------------------------------------------------------------

  private List<Category> ethnicities() {
    Map<String, Integer> counts = new TreeMap<>();
    for (String value : List.of("asian", "black", "hispanic", "other", "white")) {
      counts.put(value, 1); // add-one smoothing: 115 Synthea patients do not show every group
    }
    for (Map<String, String> row : readCsv(sharedData.resolve("synthea/csv/patients.csv"))) {
      String value = "hispanic".equals(row.get("ETHNICITY")) ? "hispanic" : row.get("RACE");
      counts.merge(counts.containsKey(value) ? value : "other", 1, Integer::sum);
    }
    double total = counts.values().stream().mapToInt(Integer::intValue).sum();
    return counts.entrySet().stream().map(e -> new Category(e.getKey(), round(e.getValue() / total))).toList();
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read catalogue source " + file
          + " (the shared data is expected beside the repository: ../shared/data/external)", e);
    }
  }

  /** Rows of a CSV with a header; lines starting with '#' are comments. */
  static List<Map<String, String>> readCsv(Path file) {
    List<String[]> lines = CsvText.rows(String.join("\n", readLines(file)), CsvText.Comments.SKIPPED);
    String[] header = lines.get(0);
    List<Map<String, String>> rows = new ArrayList<>();
    for (String[] fields : lines.subList(1, lines.size())) {
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < header.length; i++) {
        row.put(header[i], i < fields.length ? fields[i] : "");
      }
      rows.add(row);
    }
    return rows;
  }

  private static double num(Map<String, String> row, String column) {
    String value = row.get(column);
    try {
      return Double.parseDouble(value.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("column " + column + " of curated row " + row + " is not a number: '" + value + "'", e);
    }
  }

  private static List<String> list(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return List.of(value.trim().split("\\|"));
  }

  private static double stdDev(double[] values) {
    double mean = java.util.Arrays.stream(values).average().orElse(0);
    return Math.sqrt(java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).average().orElse(0));
  }

  private static double round(double value) {
    return Math.round(value * 1000.0) / 1000.0;
  }

  /** Summary for the build log: counts per group and the prevalence span. */
  public static Map<String, String> summary(DiseaseCatalogue catalogue) {
    Map<DiseaseGroup, List<Disease>> byGroup = catalogue.diseases().stream()
        .collect(Collectors.groupingBy(Disease::group));
    double max = catalogue.diseases().stream().mapToDouble(Disease::weight).max().orElse(0);
    List<Disease> orphans = byGroup.getOrDefault(DiseaseGroup.ORPHAN, List.of());
    double minOrphan = orphans.stream().mapToDouble(Disease::weight).filter(w -> w > 0).min().orElse(Double.NaN);
    Map<String, String> summary = new LinkedHashMap<>();
    summary.put("common diseases", String.valueOf(byGroup.getOrDefault(DiseaseGroup.COMMON, List.of()).size()));
    summary.put("orphan diseases", orphans.size() + " (" + orphans.stream().filter(d -> d.sourceId().startsWith("ORPHA:")).count()
        + " Orphanet; " + orphans.stream().filter(d -> d.weight() > 0).count() + " with a curated prevalence, drawn by the sample generator)");
    summary.put("symptoms", catalogue.symptoms().size() + " (" + catalogue.symptoms().stream().filter(s -> s.hpoId() != null).count()
        + " HPO terms)");
    summary.put("prevalence span", String.format(java.util.Locale.ROOT,
        "%.0f to 1 (most common disease / rarest orphan disease with a curated prevalence)", max / minOrphan));
    return summary;
  }
}
