package io.dxpipe.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.dxpipe.catalogue.Category;
import io.dxpipe.catalogue.Disease;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.catalogue.DiseaseGroup;
import io.dxpipe.catalogue.Symptom;
import io.dxpipe.catalogue.SymptomFrequency;
import io.dxpipe.catalogue.VitalShift;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.junit.jupiter.api.Test;

class PhenotypeModelTest {

  private static Disease disease(String code, DiseaseGroup group, List<SymptomFrequency> symptoms, List<String> excluded) {
    return new Disease(code, code, group, "test:" + code, 1, 30, 10, 0.5, 10, VitalShift.NONE, List.of(), symptoms,
        excluded);
  }

  private static final DiseaseCatalogue SMALL = new DiseaseCatalogue("test",
      List.of(
          disease("flu", DiseaseGroup.COMMON, List.of(new SymptomFrequency("fever", 0.9), new SymptomFrequency("cough", 0.8)),
              List.of()),
          disease("cold", DiseaseGroup.COMMON, List.of(new SymptomFrequency("cough", 0.9), new SymptomFrequency("sneeze", 0.7)),
              List.of()),
          disease("orpha_1", DiseaseGroup.ORPHAN, List.of(new SymptomFrequency("fever", 0.545),
              new SymptomFrequency("curly_hair", 1.0)), List.of("cough"))),
      List.of(new Symptom("cough", "cough", 4, null), new Symptom("curly_hair", "Curly hair", 4, "HP:0002212"),
          new Symptom("fever", "fever", 4, null), new Symptom("rash", "rash", 4, null),
          new Symptom("sneeze", "sneeze", 4, null)),
      List.of(new Category("other", 1.0)));

  /** The naive Bayes posterior written out over every symptom, present or absent. */
  private static double[] naiveBayes(DiseaseCatalogue catalogue, PhenotypeModel.Counts counts, PhenotypeModel.Settings s,
      List<String> present) {
    String[] vocabulary = catalogue.symptoms().stream().map(Symptom::code).sorted().toArray(String[]::new);
    double[] logPosterior = new double[catalogue.diseases().size()];
    for (int c = 0; c < logPosterior.length; c++) {
      Disease d = catalogue.diseases().get(c);
      long n = counts.records().getOrDefault(d.code(), 0L);
      Map<String, Long> seen = counts.withSymptom().getOrDefault(d.code(), Map.of());
      double sum = 0;
      for (String j : vocabulary) {
        double k = s.background();
        for (SymptomFrequency f : d.symptoms()) {
          if (f.symptom().equals(j)) {
            k = s.presentation() * f.frequency();
          }
        }
        if (d.excludedSymptoms().contains(j) && k == s.background()) {
          k = s.background() * s.excluded();
        }
        long nj = seen.getOrDefault(j, 0L);
        double p = n == 0 ? k : (nj + s.strength() * k) / (n + s.strength());
        if (n > 0 && nj == 0 && k == s.background()) {
          p = s.background(); // neither annotated nor seen: the background
        }
        p = Math.max(s.background() * s.excluded(), Math.min(s.maxProbability(), p));
        sum += present.contains(j) ? Math.log(p) : Math.log1p(-p);
      }
      logPosterior[c] = sum + s.prior() * Math.log(n + 1.0);
    }
    double max = Arrays.stream(logPosterior).max().orElseThrow();
    double z = Arrays.stream(logPosterior).map(v -> Math.exp(v - max)).sum();
    return Arrays.stream(logPosterior).map(v -> Math.exp(v - max) / z).toArray();
  }

  private static Vector set(PhenotypeModel m, List<String> present) {
    String[] vocabulary = m.vocabulary();
    int[] idx = present.stream().mapToInt(p -> Arrays.asList(vocabulary).indexOf(p)).filter(i -> i >= 0).sorted().toArray();
    double[] ones = new double[idx.length];
    Arrays.fill(ones, 1.0);
    return Vectors.sparse(vocabulary.length, idx, ones);
  }

  @Test
  void theLinearModelIsTheNaiveBayesPosteriorWithAndWithoutTrainingRecords() {
    PhenotypeModel.Settings s = new PhenotypeModel.Settings(0.5, 0.01, 0.1, 4, 0.99);
    PhenotypeModel.Counts counts = new PhenotypeModel.Counts(Map.of("flu", 10L, "cold", 3L),
        Map.of("flu", Map.of("fever", 9L, "cough", 2L, "rash", 1L), "cold", Map.of("sneeze", 3L)));
    for (PhenotypeModel.Settings settings : List.of(s, new PhenotypeModel.Settings(0.5, 0.01, 0.1, 4, 0.99, 1))) {
      theLinearModelIsTheNaiveBayesPosterior(settings, counts);
    }
    // sparse: only pairs that differ from the background (no records: 6 annotated pairs and 1 excluded)
    assertThat(PhenotypeModel.build(SMALL, PhenotypeModel.Counts.NONE, s).nonZeros()).isEqualTo(7);
    // with records: flu's rash (seen once) is no longer the background; cold's fever stays it
    assertThat(PhenotypeModel.build(SMALL, counts, s).nonZeros()).isEqualTo(8);
  }

  private static void theLinearModelIsTheNaiveBayesPosterior(PhenotypeModel.Settings s, PhenotypeModel.Counts counts) {
    for (PhenotypeModel.Counts c : List.of(PhenotypeModel.Counts.NONE, counts)) {
      PhenotypeModel m = PhenotypeModel.build(SMALL, c, s);
      assertThat(m.classes()).containsExactly("flu", "cold", "orpha_1");
      assertThat(m.vocabulary()).containsExactly("cough", "curly_hair", "fever", "rash", "sneeze");
      for (List<String> present : List.<List<String>>of(List.of("fever"), List.of("cough", "sneeze"), List.of("fever", "curly_hair"),
          List.of("rash"), List.of(), List.of("cough", "curly_hair", "fever", "rash", "sneeze"))) {
        double[] expected = naiveBayes(SMALL, c, s, present);
        double[] actual = m.classifier().predictProbability(set(m, present)).toArray();
        for (int k = 0; k < expected.length; k++) {
          assertThat(actual[k]).as(s + " " + present + " " + m.classes().get(k)).isCloseTo(expected[k],
              within(1e-12));
        }
      }
    }
  }

  /**
   * Context after the symptoms: two one-hot groups (an age band of 2 positions, a sex of 2). The
   * posterior is the symptoms' naive Bayes times, per group, {@code p_cv / m_v} for the record's
   * position; a disease without records keeps its symptom posterior's ratio to the others.
   */
  @Test
  void contextTermsAreCategoricalNaiveBayesAgainstTheMarginalAndZeroForADiseaseWithoutRecords() {
    PhenotypeModel.Settings s = new PhenotypeModel.Settings(0.5, 0.01, 0.1, 4, 0.99);
    PhenotypeModel.Counts counts = new PhenotypeModel.Counts(Map.of("flu", 10L, "cold", 6L),
        Map.of("flu", Map.of("fever", 9L), "cold", Map.of("sneeze", 5L)));
    // positions: [young, old, female, male]; flu mostly old and male, cold young and female
    PhenotypeModel.Context context = new PhenotypeModel.Context(4, new double[] {7, 9, 6, 10}, 16,
        Map.of("flu", new double[] {2, 8, 1, 9}, "cold", new double[] {5, 1, 5, 1}));
    PhenotypeModel m = PhenotypeModel.build(SMALL, List.of("flu", "cold", "orpha_1"), counts, context, s);
    assertThat(m.classifier().numFeatures()).isEqualTo(5 + 4);
    for (List<String> present : List.<List<String>>of(List.of("fever"), List.of("sneeze", "curly_hair"), List.of())) {
      for (int[] at : new int[][] {{0, 2}, {1, 3}, {0, 3}}) {
        double[] symptoms = naiveBayes(SMALL, counts, s, present);
        double[] expected = new double[3];
        for (int c = 0; c < 3; c++) {
          double ratio = 1;
          if (c < 2) {
            double[] n = context.perClass().get(c == 0 ? "flu" : "cold");
            long records = c == 0 ? 10 : 6;
            for (int v : at) {
              double marginal = context.records()[v] / 16;
              ratio *= (n[v] + s.strength() * marginal) / (records + s.strength()) / marginal;
            }
          }
          expected[c] = symptoms[c] * ratio;
        }
        double z = Arrays.stream(expected).sum();
        Vector x = set(m, present);
        double[] values = java.util.Arrays.copyOf(x.toArray(), 9);
        for (int v : at) {
          values[5 + v] = 1;
        }
        double[] actual = m.classifier().predictProbability(Vectors.dense(values)).toArray();
        for (int c = 0; c < 3; c++) {
          assertThat(actual[c]).as(present + " " + Arrays.toString(at) + " " + m.classes().get(c))
              .isCloseTo(expected[c] / z, within(1e-12));
        }
      }
    }
  }

  @Test
  void aDiseaseWithoutRecordsIsPredictedFromItsAnnotationsAndAnExcludedSymptomCountsAgainstIt() {
    PhenotypeModel m = PhenotypeModel.build(SMALL, PhenotypeModel.Counts.NONE, PhenotypeModel.DEFAULTS);
    double[] curly = m.classifier().predictProbability(set(m, List.of("fever", "curly_hair"))).toArray();
    assertThat(PhenotypeModel.topK(curly, 1)).containsExactly(2);
    double[] withCough = m.classifier().predictProbability(set(m, List.of("fever", "curly_hair", "cough"))).toArray();
    assertThat(withCough[2]).isLessThan(curly[2]);
    assertThatThrownBy(() -> new PhenotypeModel.Settings(0, 0.01, 0.1, 1, 0.99)).hasMessageContaining("presentation");
    assertThatThrownBy(() -> new PhenotypeModel.Settings(0.5, 0.01, 0.1, -1, 0.99)).hasMessageContaining("strength");
    assertThatThrownBy(() -> new PhenotypeModel.Settings(0.5, 0.01, 0.1, 1, 0.99, 2)).hasMessageContaining("prior");
  }

  /**
   * Every orphan disease of the checked-in catalogue is predictable from its own annotated
   * phenotype over all 4,142 diseases: 20 patients per disease sampled from its annotations (each
   * symptom kept with half its frequency, at least one), with one unrelated symptom added to every
   * second patient.
   */
  @Test
  void everyOrphanDiseaseOfTheCatalogueIsReachableInTheTopTenFromItsAnnotations() {
    DiseaseCatalogue catalogue = DiseaseCatalogue.fromClasspath();
    long start = System.nanoTime();
    PhenotypeModel m = PhenotypeModel.build(catalogue, PhenotypeModel.Counts.NONE, PhenotypeModel.DEFAULTS);
    double buildSeconds = (System.nanoTime() - start) / 1e9;
    String[] vocabulary = m.vocabulary();
    Map<String, Integer> column = new HashMap<>();
    for (int j = 0; j < vocabulary.length; j++) {
      column.put(vocabulary[j], j);
    }
    SplittableRandom rng = new SplittableRandom(18);
    int diseases = 0;
    int reachable = 0;
    long patients = 0;
    long top1 = 0;
    long top10 = 0;
    start = System.nanoTime();
    for (int c = 0; c < catalogue.diseases().size(); c++) {
      Disease d = catalogue.diseases().get(c);
      if (d.group() != DiseaseGroup.ORPHAN) {
        continue;
      }
      diseases++;
      int hits = 0;
      for (int i = 0; i < 20; i++) {
        List<Integer> present = new ArrayList<>();
        for (SymptomFrequency f : d.symptoms()) {
          if (rng.nextDouble() < 0.5 * f.frequency()) {
            present.add(column.get(f.symptom()));
          }
        }
        if (present.isEmpty()) {
          present.add(column.get(d.symptoms().get(0).symptom()));
        }
        if (i % 2 == 1) {
          present.add(rng.nextInt(vocabulary.length));
        }
        int[] idx = present.stream().mapToInt(Integer::intValue).distinct().sorted().toArray();
        double[] ones = new double[idx.length];
        Arrays.fill(ones, 1.0);
        double[] raw = m.classifier().predictRaw(Vectors.sparse(vocabulary.length, idx, ones)).toArray();
        int rank = 0;
        for (double v : raw) {
          if (v > raw[c]) {
            rank++;
          }
        }
        patients++;
        top1 += rank == 0 ? 1 : 0;
        if (rank < 10) {
          top10++;
          hits++;
        }
      }
      if (hits >= 10) {
        reachable++;
      }
    }
    double scoreSeconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("[phenotype model] %d diseases x %d symptoms, %,d non-zeros, built in %.1f s; %d orphan diseases, "
        + "%d with at least half of their 20 sampled patients in the top 10; over %,d patients top-1 %.3f, top-10 %.3f "
        + "(%.0f µs per patient)%n", m.classes().size(), vocabulary.length, m.nonZeros(), buildSeconds, diseases, reachable,
        patients, top1 / (double) patients, top10 / (double) patients, scoreSeconds * 1e6 / patients);
    assertThat(diseases).isGreaterThanOrEqualTo(4000);
    assertThat(m.nonZeros()).isLessThan(200_000);
    assertThat(reachable / (double) diseases).isGreaterThan(0.9);
  }
}
