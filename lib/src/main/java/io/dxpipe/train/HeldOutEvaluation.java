package io.dxpipe.train;

import static org.apache.spark.sql.functions.col;

import io.dxpipe.catalogue.Disease;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.catalogue.DiseaseGroup;
import io.dxpipe.clean.SilverBuilder;
import io.dxpipe.generate.BronzeSynthesizer;
import io.dxpipe.generate.GenerateSettings;
import io.dxpipe.generate.PatientRecord;
import io.dxpipe.generate.Rng;
import io.dxpipe.catalogue.HpoOntology;
import io.dxpipe.schema.Bronze;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;

/**
 * Training's held-out evaluation: patients generated for the purpose, none of them a training,
 * validation or test record, so that every evaluated disease has enough of them to be judged (the
 * test split has one or two records of a rare disease, or none). For each evaluated disease,
 * {@code records-per-disease} first-visit patients ({@link BronzeSynthesizer#cases}: the generator's
 * clinical process with its presentation, noise-symptom and missing-vital settings, a seed of its
 * own) go through the cleaning rules and the full model, as a day's records do in the score job.
 * The evaluated diseases are every training label that is a catalogue disease, and
 * {@code unseen-diseases} catalogue diseases without a training record, drawn by the seed (all of
 * them with -1): the orphan diseases known only from their annotations.
 *
 * <p>Each record's figure is the rank of its true disease among all the model's classes (a disease
 * that is not a class has none: a miss at every k). Reported per group (all, common, orphan, and by
 * the disease's number of training cases: 0, 1-5, more than 5): top-1, top-3 and top-10 accuracy
 * over records, and macro recall (top-1 recall averaged over the group's diseases, each disease
 * counting once whatever its number of records).
 */
public final class HeldOutEvaluation {
  private HeldOutEvaluation() {}

  /** One group's figures. */
  public record Group(String key, String name, long records, int diseases, double top1, double top3, double top10,
      double macroRecall, double macroTop10) {
    public Map<String, Double> metrics() {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("top1", top1);
      m.put("top3", top3);
      m.put("top10", top10);
      m.put("macro_recall", macroRecall);
      m.put("macro_top10", macroTop10);
      return m;
    }

    public String describe() {
      return String.format(Locale.ROOT, "%-22s %6d records %5d diseases  top-1 %.3f  top-3 %.3f  top-10 %.3f  "
          + "macro recall %.3f", name, records, diseases, top1, top3, top10, macroRecall);
    }
  }

  /** One evaluated disease. */
  public record DiseaseResult(String code, String name, boolean orphan, long trainingCases, boolean isClass, int records,
      int top1, int top3, int top10) {}

  /** The evaluation's outcome; empty when there was nothing to evaluate ({@code skipped} says why). */
  public record Result(List<Group> groups, List<DiseaseResult> diseases, double seconds, String skipped,
      String noise) {
    static Result skipped(String why) {
      return new Result(List.of(), List.of(), 0, why, "");
    }

    public Group group(String key) {
      return groups.stream().filter(g -> g.key().equals(key)).findFirst().orElse(null);
    }

    /** The MLflow metrics: {@code heldout_<group>_<metric>}. */
    Map<String, Double> metrics() {
      Map<String, Double> m = new LinkedHashMap<>();
      for (Group g : groups) {
        g.metrics().forEach((k, v) -> m.put("heldout_" + g.key() + "_" + k, v));
      }
      return m;
    }

    /** One line per group, for the job's output. */
    public String describe() {
      if (skipped != null) {
        return "held-out evaluation skipped: " + skipped;
      }
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
          "held-out evaluation (%d generated patients%s, %.1f s):", diseases.stream().mapToInt(DiseaseResult::records)
              .sum(), noise, seconds));
      groups.forEach(g -> b.append("\n    ").append(g.describe()));
      return b.toString();
    }

    /** Per disease, as CSV: code, name, group, training cases, class or not, records, hits at 1/3/10. */
    byte[] csv() {
      StringBuilder b = new StringBuilder("code,name,group,training_cases,is_class,records,top1,top3,top10\n");
      for (DiseaseResult d : diseases) {
        b.append(d.code()).append(',').append('"').append(d.name().replace("\"", "\"\"")).append('"').append(',')
            .append(d.orphan() ? "orphan" : "common").append(',').append(d.trainingCases()).append(',')
            .append(d.isClass()).append(',').append(d.records()).append(',').append(d.top1()).append(',')
            .append(d.top3()).append(',').append(d.top10()).append('\n');
      }
      return b.toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  /** The ontology's root and the phenotypic-abnormality term: too general to be written as a finding. */
  private static final Set<String> TOO_GENERAL = Set.of("HP:0000001", "HP:0000118");

  /**
   * Less precise terms, as clinicians write them: each of a case's symptoms that is an HPO term is
   * written, with probability {@code share}, as one of its {@code is_a} parents (its HPO id), which
   * cleaning maps back to a catalogue symptom (the parent itself, or its nearest known ancestor),
   * as it maps a source's terms. Parents that are the ontology's root, "Phenotypic abnormality" or
   * one of its organ-system children ("Abnormality of the nervous system") are not used; a symptom
   * without another parent stays as it is.
   */
  static final class ImpreciseTerms implements BronzeSynthesizer.CaseNoise {
    private final Map<String, String[]> parents;
    private final double share;
    private final long seed;

    ImpreciseTerms(Map<String, String[]> parents, double share, long seed) {
      this.parents = parents;
      this.share = share;
      this.seed = seed;
    }

    /** For each catalogue symptom that is an HPO term, the parents a case may be written with. */
    static ImpreciseTerms of(DiseaseCatalogue catalogue, HpoOntology ontology, double share, long seed) {
      Set<String> systems = new java.util.HashSet<>(TOO_GENERAL);
      for (HpoOntology.Term t : ontology.terms()) {
        if (t.parents().contains("HP:0000118")) {
          systems.add(t.id());
        }
      }
      Map<String, String[]> parents = new HashMap<>();
      for (io.dxpipe.catalogue.Symptom s : catalogue.symptoms()) {
        if (s.hpoId() == null) {
          continue;
        }
        ontology.current(s.hpoId()).ifPresent(t -> {
          String[] usable = t.parents().stream().filter(p -> !systems.contains(p)).toArray(String[]::new);
          if (usable.length > 0) {
            parents.put(s.code(), usable);
          }
        });
      }
      return new ImpreciseTerms(parents, share, seed);
    }

    int terms() {
      return parents.size();
    }

    @Override
    public PatientRecord apply(PatientRecord r, long index) {
      if (share <= 0) {
        return r;
      }
      java.util.SplittableRandom rng = new java.util.SplittableRandom(Rng.mix(seed, index));
      List<PatientRecord.SymptomEntry> written = new ArrayList<>(r.symptoms.size());
      for (PatientRecord.SymptomEntry s : r.symptoms) {
        String[] p = parents.get(s.code());
        written.add(p != null && rng.nextDouble() < share
            ? new PatientRecord.SymptomEntry(p[rng.nextInt(p.length)], s.code(), s.severity()) : s);
      }
      r.symptoms = written;
      return r;
    }
  }

  /**
   * The diseases to evaluate: the labels that are catalogue diseases, in label order, then
   * {@code unseen} of the catalogue's other diseases (all with -1), drawn by {@code seed}.
   */
  static List<Disease> evaluatedDiseases(DiseaseCatalogue catalogue, List<String> labels, int unseen, long seed) {
    Map<String, Disease> byCode = catalogue.diseasesByCode();
    List<Disease> evaluated = new ArrayList<>();
    for (String label : labels) {
      if (byCode.containsKey(label)) {
        evaluated.add(byCode.get(label));
      }
    }
    Set<String> known = Set.copyOf(labels);
    List<Disease> others = new ArrayList<>(catalogue.diseases().stream().filter(d -> !known.contains(d.code()))
        .sorted(java.util.Comparator.comparing(Disease::code)).toList());
    Collections.shuffle(others, new java.util.Random(seed));
    evaluated.addAll(unseen < 0 ? others : others.subList(0, Math.min(unseen, others.size())));
    return evaluated;
  }

  /**
   * Generates the held-out set, scores it with {@code model} and reports it.
   *
   * @param classes the model's classes, in index order
   * @param trainingCases records per label the model was fitted on (train + validation)
   */
  static Result run(SparkSession spark, PipelineModel model, List<String> classes, List<String> labels,
      Map<String, Long> trainingCases, DiseaseCatalogue catalogue, GenerateSettings generate, SilverBuilder cleaning,
      TrainSettings.Evaluation settings, String hpoOntology) {
    if (!settings.enabled()) {
      return Result.skipped("dxpipe.train.evaluation.records-per-disease = 0");
    }
    if (labels.stream().noneMatch(catalogue.diseasesByCode()::containsKey)) {
      return Result.skipped("no training label is a catalogue disease, so patients of them cannot be generated");
    }
    long start = System.nanoTime();
    List<Disease> diseases = evaluatedDiseases(catalogue, labels, settings.unseenDiseases(), settings.seed());
    int perDisease = settings.recordsPerDisease();
    GenerateSettings cases = generate.forCases(settings.seed(), LocalDate.of(2000, 1, 1).plusDays(
        Math.floorMod(settings.seed(), 3650)), (long) diseases.size() * perDisease);
    BronzeSynthesizer.CaseNoise noise = (r, i) -> r;
    String imprecision = "";
    if (settings.impreciseShare() > 0) {
      java.util.Optional<HpoOntology> ontology = HpoOntology.readIfPresent(hpoOntology);
      if (ontology.isPresent()) {
        noise = ImpreciseTerms.of(catalogue, ontology.get(), settings.impreciseShare(), settings.seed());
        imprecision = String.format(Locale.ROOT, ", %.0f%% of the HPO terms written as a parent",
            100 * settings.impreciseShare());
      } else {
        imprecision = ", every term as annotated (no HPO ontology at " + hpoOntology + " for less precise ones)";
      }
    }
    Dataset<Row> bronze = BronzeSynthesizer.cases(spark, catalogue, cases, diseases, perDisease,
        "held-out evaluation".getBytes(StandardCharsets.UTF_8), "held-out-" + settings.seed(), noise);
    Dataset<Row> scored = model.transform(cleaning.clean(bronze));
    boolean margins = !java.util.Arrays.asList(scored.columns()).contains("probability");
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      index.put(classes.get(i), i);
    }
    // the truth is the generated diagnosis: the bronze row's code, which cleaning keeps (a catalogue code)
    List<Row> ranks = scored.select(col(Bronze.DIAGNOSIS_CODE), org.apache.spark.sql.functions.udf(
        (UDF2<Vector, String, Integer>) (v, code) -> rank(v.toArray(), index.getOrDefault(code, -1)),
        DataTypes.IntegerType).apply(col(margins ? "rawPrediction" : "probability"), col(Bronze.DIAGNOSIS_CODE)))
        .collectAsList();
    Map<String, int[]> hits = new HashMap<>(); // records, top1, top3, top10
    for (Row r : ranks) {
      int[] h = hits.computeIfAbsent(r.getString(0), c -> new int[4]);
      int rank = r.getInt(1);
      h[0]++;
      h[1] += rank >= 1 && rank <= 1 ? 1 : 0;
      h[2] += rank >= 1 && rank <= 3 ? 1 : 0;
      h[3] += rank >= 1 && rank <= 10 ? 1 : 0;
    }
    List<DiseaseResult> results = new ArrayList<>();
    for (Disease d : diseases) {
      int[] h = hits.getOrDefault(d.code(), new int[4]);
      results.add(new DiseaseResult(d.code(), d.name(), d.group() == DiseaseGroup.ORPHAN,
          trainingCases.getOrDefault(d.code(), 0L), index.containsKey(d.code()), h[0], h[1], h[2], h[3]));
    }
    return new Result(groups(results), results, (System.nanoTime() - start) / 1e9, null, imprecision);
  }

  /**
   * The 1-based rank of class {@code truth} among the scores (ties go to the lower index, as Spark's
   * prediction and the top-k do); 0 when the truth is not a class.
   */
  static int rank(double[] scores, int truth) {
    if (truth < 0 || truth >= scores.length) {
      return 0;
    }
    double t = scores[truth];
    int above = 0;
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] > t || (scores[i] == t && i < truth)) {
        above++;
      }
    }
    return above + 1;
  }

  /** The groups' figures; a group without a disease is left out. */
  static List<Group> groups(List<DiseaseResult> results) {
    List<Group> groups = new ArrayList<>();
    addGroup(groups, "all", "all diseases", results);
    addGroup(groups, "common", "common", results.stream().filter(d -> !d.orphan()).toList());
    addGroup(groups, "orphan", "orphan", results.stream().filter(DiseaseResult::orphan).toList());
    addGroup(groups, "cases_0", "0 training cases", results.stream().filter(d -> d.trainingCases() == 0).toList());
    addGroup(groups, "cases_1_5", "1-5 training cases", results.stream()
        .filter(d -> d.trainingCases() >= 1 && d.trainingCases() <= 5).toList());
    addGroup(groups, "cases_over_5", "over 5 training cases", results.stream().filter(d -> d.trainingCases() > 5)
        .toList());
    return groups;
  }

  private static void addGroup(List<Group> groups, String key, String name, List<DiseaseResult> members) {
    List<DiseaseResult> scored = members.stream().filter(d -> d.records() > 0).toList();
    if (scored.isEmpty()) {
      return;
    }
    long records = scored.stream().mapToLong(DiseaseResult::records).sum();
    double top1 = scored.stream().mapToLong(DiseaseResult::top1).sum() / (double) records;
    double top3 = scored.stream().mapToLong(DiseaseResult::top3).sum() / (double) records;
    double top10 = scored.stream().mapToLong(DiseaseResult::top10).sum() / (double) records;
    double macro = scored.stream().mapToDouble(d -> d.top1() / (double) d.records()).average().orElse(0);
    double macro10 = scored.stream().mapToDouble(d -> d.top10() / (double) d.records()).average().orElse(0);
    groups.add(new Group(key, name, records, scored.size(), top1, top3, top10, macro, macro10));
  }
}
