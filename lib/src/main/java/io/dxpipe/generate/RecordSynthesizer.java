package io.dxpipe.generate;

import io.dxpipe.catalogue.Category;
import io.dxpipe.catalogue.Disease;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.catalogue.Symptom;
import io.dxpipe.catalogue.SymptomFrequency;
import io.dxpipe.catalogue.SymptomNames;
import io.dxpipe.catalogue.VitalShift;
import io.dxpipe.generate.GenerateSettings.GenerationMode;
import io.dxpipe.generate.PatientRecord.SymptomEntry;
import io.dxpipe.ingest.SourceFormat;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Synthesises the clean truth of record {@code index}: a pure function of (catalogue, settings,
 * index), so any executor can produce any record and a seed always gives the same data.
 *
 * <p>Diseases are assigned by systematic sampling over a seeded permutation of the record
 * indices: each disease gets its prevalence share of the records to within one record, so even a
 * 1,500-record sample holds every orphan disease its expected 3-15 times, while the order of the
 * diseases across records (and hence across files and formats) is scrambled.
 *
 * <p>Repeat visits (historical mode, {@code generate.repeat-visit-rate}): record i may be a later
 * visit of record i-1's patient, within blocks of {@value #MAX_VISITS} indices, so finding a record's
 * first visit takes at most {@value #MAX_VISITS} - 1 steps back. The repeat visit keeps the patient
 * (format and so source, source patient id, national id, name, address, birth date) and has its own
 * disease by the systematic sampling above (so prevalences stay exact) on a visit date 1 to 365 days
 * after the previous one, never after {@code generate.date}: clean keeps it as another visit.
 */
public final class RecordSynthesizer implements Serializable {
  private static final int DEMOGRAPHICS = 1;
  private static final int CLINICAL = 2;
  private static final int FORMAT = 3;
  static final int DIRT = 4;
  private static final int VISITS = 5;
  /** A patient has at most this many visits; their indices lie in one block of this size. */
  static final int MAX_VISITS = 4;
  private static final int MAX_DAYS_BETWEEN_VISITS = 365;

  /** Chronic conditions that show up as previous diagnoses, with a base rate and an age slope per decade. */
  private static final Map<String, double[]> CHRONIC = Map.ofEntries(
      Map.entry("hypertension", new double[] {0.02, 0.035}),
      Map.entry("diabetes", new double[] {0.01, 0.018}),
      Map.entry("bronchial_asthma", new double[] {0.05, 0.0}),
      Map.entry("allergy", new double[] {0.08, 0.0}),
      Map.entry("hypothyroidism", new double[] {0.01, 0.006}),
      Map.entry("gerd", new double[] {0.03, 0.006}),
      Map.entry("osteoarthritis", new double[] {0.0, 0.02}),
      Map.entry("migraine", new double[] {0.04, 0.0}),
      Map.entry("psoriasis", new double[] {0.02, 0.0}));
  private static final double RISK_FACTOR_BOOST = 0.35;
  /** How many look-alike diseases a misdiagnosis chooses from. */
  private static final int CONFUSABLE = 3;

  private static final String[] MARITAL = {"single", "married", "divorced", "widowed"};
  private static final String[] EDUCATION = {"none", "primary", "secondary", "bachelor", "master", "doctorate"};

  /** Upper bound of generate.records: keeps the index permutation within long arithmetic. */
  public static final long MAX_RECORDS = 2_000_000_000L;

  private final GenerateSettings settings;
  private final List<Disease> diseases;
  private final double[] cumulative;
  private final Map<String, Symptom> vocabulary;
  private final Map<String, List<Disease>> confusable;
  private final List<Category> ethnicities;
  private final Map<String, String> diseaseNames;
  private final long permutationStep;
  private final long permutationOffset;
  private final String idPrefix;
  /** Mixed into every identifier so that runs of other seeds, modes or dates never share one. */
  private final long runSalt;

  public RecordSynthesizer(DiseaseCatalogue catalogue, GenerateSettings settings) {
    this.settings = settings;
    // diseases of weight 0 (Orphanet diseases without a curated prevalence) are never drawn
    this.diseases = catalogue.diseases().stream().filter(d -> d.weight() > 0).toList();
    this.cumulative = new double[diseases.size()];
    GenerateSettings.Drift drift = settings.drift();
    if (!drift.outbreakDisease().isEmpty()
        && diseases.stream().noneMatch(d -> d.code().equals(drift.outbreakDisease()))) {
      throw new IllegalArgumentException("dxpipe.generate.drift.outbreak-disease: '" + drift.outbreakDisease()
          + "' is not a disease code of the catalogue (e.g. " + diseases.get(0).code() + ", dengue)");
    }
    double[] weights = diseases.stream().mapToDouble(d -> d.weight()
        * (d.code().equals(drift.outbreakDisease()) ? drift.outbreakFactor() : 1)).toArray();
    double total = java.util.Arrays.stream(weights).sum();
    double running = 0;
    for (int i = 0; i < diseases.size(); i++) {
      running += weights[i] / total;
      cumulative[i] = running;
    }
    cumulative[diseases.size() - 1] = 1.0;
    this.vocabulary = catalogue.symptomsByCode();
    this.confusable = confusableDiseases(diseases);
    this.ethnicities = List.copyOf(catalogue.ethnicities());
    this.diseaseNames = Map.copyOf(catalogue.diseases().stream()
        .collect(java.util.stream.Collectors.toMap(Disease::code, Disease::name)));
    long n = settings.records();
    long step = n <= 1 ? 1 : Math.floorMod(Rng.mix(settings.seed(), 0xD15EA5EL), n);
    while (n > 1 && (step == 0 || gcd(step, n) != 1)) {
      step = (step + 1) % n;
    }
    this.permutationStep = step;
    this.permutationOffset = n <= 1 ? 0 : Math.floorMod(Rng.mix(settings.seed(), 0x0FF5E7L), n);
    this.runSalt = Rng.mix(settings.seed(), settings.date().toEpochDay() * 4 + settings.mode().ordinal());
    this.idPrefix = (settings.mode() == GenerationMode.HISTORICAL ? "H" : "D")
        + settings.date().format(DateTimeFormatter.BASIC_ISO_DATE) + "-s" + settings.seed() + "-";
  }

  /** The disease of record {@code index} (systematic sampling, see class comment). */
  Disease diseaseOf(long index) {
    long n = settings.records();
    // step < n <= MAX_RECORDS, so step * index cannot overflow a long.
    long slot = Math.floorMod(permutationStep * index + permutationOffset, n);
    return diseases.get(diseaseAt((slot + 0.5) / n));
  }

  /** Index of the disease whose prevalence interval holds the quantile. */
  private int diseaseAt(double quantile) {
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] < quantile) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The format (and so the source) that delivers record {@code index}. */
  SourceFormat formatOf(long index) {
    double u = Rng.stream(settings.seed(), index, FORMAT).nextDouble();
    double running = 0;
    SourceFormat last = null;
    for (SourceFormat f : SourceFormat.generated()) {
      double share = settings.formatShares().getOrDefault(f, 0.0);
      if (share <= 0) {
        continue;
      }
      running += share;
      last = f;
      if (u < running) {
        return f;
      }
    }
    return last;
  }

  /** The first visit (record index) of record {@code index}'s patient, and the record's visit date. */
  record Visit(long first, LocalDate date) {}

  Visit visitOf(long index) {
    if (settings.mode() != GenerationMode.HISTORICAL || settings.repeatVisitRate() <= 0) {
      return new Visit(index, firstVisitDate(index));
    }
    long first = index;
    while (first % MAX_VISITS != 0 && Rng.stream(settings.seed(), first, VISITS).nextDouble()
        < settings.repeatVisitRate()) {
      first--;
    }
    LocalDate date = firstVisitDate(first);
    for (long j = first + 1; j <= index; j++) {
      long room = settings.date().toEpochDay() - date.toEpochDay();
      if (room <= 0) { // the previous visit was on the delivery date: no later one, a new patient
        first = j;
        date = firstVisitDate(j);
        continue;
      }
      SplittableRandom visits = Rng.stream(settings.seed(), j, VISITS);
      visits.nextDouble(); // the draw that made j a repeat visit
      date = date.plusDays(1 + visits.nextLong(Math.min(room, MAX_DAYS_BETWEEN_VISITS)));
    }
    return new Visit(first, date);
  }

  /** The visit date of a patient's first visit: the first draw of the record's clinical stream. */
  private LocalDate firstVisitDate(long index) {
    return settings.mode() == GenerationMode.HISTORICAL
        ? settings.date().minusDays(Rng.stream(settings.seed(), index, CLINICAL).nextInt(settings.historyYears() * 365))
        : settings.date();
  }

  public PatientRecord synthesize(long index) {
    Visit visit = visitOf(index);
    if (visit.first() != index) {
      return repeatVisit(index, visit);
    }
    return firstVisit(index, diseaseOf(index), visit);
  }

  /**
   * A patient of {@code disease} on a first visit, diagnosed with it (no misdiagnosis, no repeat
   * visit): record {@code index} of the same process as {@link #synthesize}, with the disease given
   * rather than drawn by prevalence, so any catalogue disease can be drawn, also one of weight 0 (an
   * Orphanet disease known only from its annotations). The held-out evaluation set is made of these.
   */
  public PatientRecord synthesizeCase(Disease disease, long index) {
    PatientRecord r = firstVisit(index, disease, new Visit(index, firstVisitDate(index)));
    r.diseaseCode = disease.code();
    r.diseaseName = disease.name();
    r.mislabelled = false;
    return r;
  }

  private PatientRecord firstVisit(long index, Disease disease, Visit visit) {
    SplittableRandom demo = Rng.stream(settings.seed(), index, DEMOGRAPHICS);
    SplittableRandom clin = Rng.stream(settings.seed(), index, CLINICAL);
    PatientRecord r = new PatientRecord();
    r.index = index;
    r.patientIndex = index;
    r.recordId = idPrefix + String.format(java.util.Locale.ROOT, "%08d", index);
    r.format = formatOf(index);

    // Demographics: age and sex from the disease profile, the rest from population shares.
    r.gender = demo.nextDouble() < disease.femaleShare() ? "female" : "male";
    r.age = (int) Math.round(Rng.truncatedNormal(demo, disease.ageMean(), disease.ageSd(), 0, 99));
    if (settings.drift().ageShiftShare() > 0 && demo.nextDouble() < settings.drift().ageShiftShare()) {
      r.age = Math.max(0, Math.min(99, r.age + settings.drift().ageShiftYears())); // drift: an older population
    }
    r.ethnicity = pickCategory(demo, ethnicities);
    r.maritalStatus = maritalStatus(demo, r.age);
    r.education = education(demo, r.age);
    r.firstName = Names.given(demo, r.gender);
    r.lastName = Names.family(demo);
    r.street = Names.street(demo);
    r.city = Names.city(demo);
    r.postalCode = Names.postalCode(demo);
    r.nationalId = settings.distinctNationalIds() ? Names.distinctNationalId(index, runSalt)
        : Names.nationalId(index, runSalt);
    r.sourcePatientId = sourcePatientId(r.format, index);

    // Dates: diagnosis (visit) date, onset from a log-normal duration around the disease median.
    if (settings.mode() == GenerationMode.HISTORICAL) {
      clin.nextInt(settings.historyYears() * 365); // the draw firstVisitDate made
    }
    r.diagnosisDate = visit.date();
    r.birthDate = r.diagnosisDate.minusYears(r.age).minusDays(demo.nextInt(365));
    return clinical(r, disease, clin);
  }

  /** A later visit of the patient of record {@code visit.first()}: that patient, this record's disease. */
  private PatientRecord repeatVisit(long index, Visit visit) {
    PatientRecord patient = synthesize(visit.first());
    Disease disease = diseaseOf(index);
    SplittableRandom clin = Rng.stream(settings.seed(), index, CLINICAL);
    clin.nextInt(settings.historyYears() * 365); // as a first visit would, so the draws below are alike
    PatientRecord r = new PatientRecord();
    r.index = index;
    r.patientIndex = visit.first();
    r.recordId = idPrefix + String.format(java.util.Locale.ROOT, "%08d", index);
    r.format = patient.format;
    r.gender = patient.gender;
    r.birthDate = patient.birthDate;
    r.diagnosisDate = visit.date();
    r.age = Math.min(99, (int) java.time.temporal.ChronoUnit.YEARS.between(patient.birthDate, r.diagnosisDate));
    r.ethnicity = patient.ethnicity;
    r.maritalStatus = patient.maritalStatus;
    r.education = patient.education;
    r.firstName = patient.firstName;
    r.lastName = patient.lastName;
    r.street = patient.street;
    r.city = patient.city;
    r.postalCode = patient.postalCode;
    r.nationalId = patient.nationalId;
    r.sourcePatientId = patient.sourcePatientId;
    return clinical(r, disease, clin);
  }

  /** Symptoms, history, vitals, note and recorded diagnosis of a visit whose patient and date are set. */
  private PatientRecord clinical(PatientRecord r, Disease disease, SplittableRandom clin) {
    int duration = (int) Math.max(1, Math.round(disease.durationDays() * Math.exp(0.6 * clin.nextGaussian())));
    r.symptomDurationDays = duration;
    r.onsetDate = r.diagnosisDate.minusDays(duration);

    r.symptoms = symptoms(clin, disease);
    r.previousDiagnoses = previousDiagnoses(clin, disease, r.age);
    vitals(clin, disease, r);
    if (r.temperatureC != null && SampleSources.name(r.format).equals(settings.drift().fahrenheitSource())) {
      r.temperatureC = round1(r.temperatureC * 9 / 5 + 32); // drift: this source now sends °F as °C
    }
    r.note = note(clin, r);
    if (settings.mode() == GenerationMode.HISTORICAL) {
      // Misdiagnosis: now and then the recorded diagnosis is a disease that looks alike.
      Disease recorded = clin.nextDouble() < settings.labelNoiseRate()
          ? confusable.get(disease.code()).get(clin.nextInt(CONFUSABLE)) : disease;
      r.diseaseCode = recorded.code();
      r.diseaseName = recorded.name();
      r.mislabelled = recorded != disease;
    }
    r.orphan = disease.isOrphan();
    return r;
  }

  /**
   * The symptoms recorded at the visit. The Kaggle frequencies describe the textbook picture (most
   * are 0.9 or more), real patients present part of it: each record draws how complete its
   * presentation is, uniformly in [presentation-min, presentation-max], and keeps each typical
   * symptom with probability frequency x completeness. Unrelated complaints are added from the
   * profile of another disease drawn by prevalence, so everyday symptoms (cough, fatigue, headache)
   * are the usual noise, as in a clinic.
   */
  private List<SymptomEntry> symptoms(SplittableRandom rng, Disease disease) {
    double completeness = settings.presentationMin()
        + (settings.presentationMax() - settings.presentationMin()) * rng.nextDouble();
    List<SymptomFrequency> present = new ArrayList<>();
    for (SymptomFrequency s : disease.symptoms()) {
      if (rng.nextDouble() < s.frequency() * completeness) {
        present.add(s);
      }
    }
    if (present.isEmpty()) {
      // a visit always has a presenting complaint: one of the disease's symptoms, by frequency
      present.add(weightedSymptom(rng, disease));
    }
    if (present.size() > settings.maxSymptoms()) {
      // Clinicians note the most characteristic findings: keep those with the highest frequency x noise.
      Map<String, Double> score = new java.util.HashMap<>();
      for (SymptomFrequency s : present) {
        score.put(s.symptom(), s.frequency() * (0.5 + rng.nextDouble()));
      }
      present.sort(Comparator.comparingDouble((SymptomFrequency s) -> score.get(s.symptom())).reversed());
      present = new ArrayList<>(present.subList(0, settings.maxSymptoms()));
    }
    Set<String> codes = new HashSet<>();
    List<SymptomEntry> entries = new ArrayList<>();
    for (SymptomFrequency s : present) {
      codes.add(s.symptom());
      entries.add(entry(rng, s.symptom()));
    }
    int noise = poisson(rng, settings.noiseSymptomsMean());
    for (int i = 0; i < noise; i++) {
      Disease other = diseases.get(diseaseAt(rng.nextDouble()));
      String code = weightedSymptom(rng, other).symptom();
      if (codes.add(code)) {
        entries.add(entry(rng, code));
      }
    }
    java.util.Collections.shuffle(entries, new java.util.Random(rng.nextLong()));
    return entries;
  }

  /** For each disease, the CONFUSABLE others whose symptom profiles are most alike (cosine similarity). */
  private static Map<String, List<Disease>> confusableDiseases(List<Disease> diseases) {
    Map<String, List<Disease>> result = new java.util.HashMap<>();
    for (Disease d : diseases) {
      Map<String, Double> a = profile(d);
      result.put(d.code(), diseases.stream().filter(o -> o != d)
          .sorted(Comparator.comparingDouble((Disease o) -> -cosine(a, profile(o))).thenComparing(Disease::code))
          .limit(CONFUSABLE).toList());
    }
    return Map.copyOf(result);
  }

  private static Map<String, Double> profile(Disease d) {
    Map<String, Double> p = new java.util.HashMap<>();
    d.symptoms().forEach(s -> p.put(s.symptom(), s.frequency()));
    return p;
  }

  private static double cosine(Map<String, Double> a, Map<String, Double> b) {
    double dot = 0;
    for (Map.Entry<String, Double> e : a.entrySet()) {
      dot += e.getValue() * b.getOrDefault(e.getKey(), 0.0);
    }
    double na = Math.sqrt(a.values().stream().mapToDouble(v -> v * v).sum());
    double nb = Math.sqrt(b.values().stream().mapToDouble(v -> v * v).sum());
    return na == 0 || nb == 0 ? 0 : dot / (na * nb);
  }

  private static SymptomFrequency weightedSymptom(SplittableRandom rng, Disease disease) {
    double total = disease.symptoms().stream().mapToDouble(SymptomFrequency::frequency).sum();
    double u = rng.nextDouble() * total;
    for (SymptomFrequency s : disease.symptoms()) {
      u -= s.frequency();
      if (u <= 0) {
        return s;
      }
    }
    return disease.symptoms().get(0);
  }

  private SymptomEntry entry(SplittableRandom rng, String code) {
    Symptom symptom = vocabulary.get(code);
    int weight = symptom == null ? 4 : symptom.severityWeight();
    int severity = (int) Math.round(1 + (weight - 1) / 3.0 + 0.7 * rng.nextGaussian());
    // HPO phenotypes are written by their label ("Muscle weakness"), the Kaggle table's names as
    // their code (whose label is the code with spaces, HPO term or not)
    String written = symptom != null && symptom.hpoId() != null && !symptom.label().equals(SymptomNames.label(code))
        ? symptom.label() : code;
    return new SymptomEntry(written, code, Math.max(1, Math.min(3, severity)));
  }

  private List<String> previousDiagnoses(SplittableRandom rng, Disease disease, int age) {
    List<String> previous = new ArrayList<>();
    for (String code : CHRONIC.keySet().stream().sorted().toList()) {
      if (code.equals(disease.code())) {
        continue;
      }
      double[] rate = CHRONIC.get(code);
      double p = rate[0] + rate[1] * Math.max(0, age - 20) / 10.0;
      if (disease.riskFactors().contains(code)) {
        p += RISK_FACTOR_BOOST;
      }
      if (rng.nextDouble() < p) {
        previous.add(code);
      }
    }
    for (String code : disease.riskFactors()) {
      if (!CHRONIC.containsKey(code) && rng.nextDouble() < RISK_FACTOR_BOOST) {
        previous.add(code);
      }
    }
    return previous.size() > 4 ? new ArrayList<>(previous.subList(0, 4)) : previous;
  }

  private void vitals(SplittableRandom rng, Disease disease, PatientRecord r) {
    int age = r.age;
    boolean male = "male".equals(r.gender);
    VitalShift shift = disease.vitalShift();
    double strength = Math.max(0, 1 + 0.35 * rng.nextGaussian()); // not every patient presents alike
    double temp = 36.8 + 0.3 * rng.nextGaussian() + strength * shift.temperature();
    double hr = (age < 2 ? 120 : age < 12 ? 95 : 74) + 10 * rng.nextGaussian() + strength * shift.heartRate();
    double sbp = (age < 12 ? 102 : 112 + 0.45 * Math.max(0, age - 25) + (male ? 5 : 0)) + 12 * rng.nextGaussian()
        + strength * shift.systolic();
    double dbp = (age < 12 ? 64 : 70 + 0.15 * Math.max(0, age - 25)) + 8 * rng.nextGaussian()
        + 0.5 * strength * shift.systolic();
    double rr = (age < 2 ? 32 : age < 12 ? 22 : 15) + 2.5 * rng.nextGaussian() + strength * shift.respiratoryRate();
    double spo2 = 97.6 + 1.1 * rng.nextGaussian() + strength * shift.spo2();
    double weight = baseWeight(age, male) * (1 + 0.12 * rng.nextGaussian());
    for (SymptomEntry s : r.symptoms) {
      double[] effect = SymptomVitalEffects.of(s.code());
      if (effect != null) {
        temp += effect[0];
        hr += effect[1];
        sbp += effect[2];
        rr += effect[3];
        spo2 += effect[4];
        weight *= effect[5];
      }
    }
    double missing = settings.missingVitalRate();
    r.temperatureC = rng.nextDouble() < missing ? null : round1(temp);
    r.heartRate = rng.nextDouble() < missing ? null : (double) Math.round(Math.max(30, hr));
    boolean bpMissing = rng.nextDouble() < missing;
    r.systolic = bpMissing ? null : (double) Math.round(Math.max(70, sbp));
    r.diastolic = bpMissing ? null : (double) Math.round(Math.max(40, Math.min(dbp, sbp - 15)));
    r.respiratoryRate = rng.nextDouble() < missing ? null : (double) Math.round(Math.max(8, rr));
    r.spo2 = rng.nextDouble() < missing ? null : (double) Math.round(Math.min(100, Math.max(70, spo2)));
    r.weightKg = rng.nextDouble() < missing ? null : round1(Math.max(2, weight));
  }

  /** Median body weight by age and sex (kg), a coarse growth curve. */
  static double baseWeight(int age, boolean male) {
    if (age < 1) {
      return 5;
    } else if (age < 12) {
      return 9 + 2.9 * age;
    } else if (age < 18) {
      return 43 + (male ? 4.5 : 3) * (age - 12);
    }
    return male ? 84 - Math.max(0, age - 70) * 0.3 : 71 - Math.max(0, age - 70) * 0.3;
  }

  private String note(SplittableRandom rng, PatientRecord r) {
    String first = r.symptoms.isEmpty() ? "malaise" : spoken(r.symptoms.get(0).writtenName());
    String second = r.symptoms.size() > 1 ? spoken(r.symptoms.get(1).writtenName()) : null;
    String days = r.symptomDurationDays + (r.symptomDurationDays == 1 ? " day" : " days");
    String history = r.previousDiagnoses.isEmpty() ? ""
        : " Known " + spoken(diseaseNames.getOrDefault(r.previousDiagnoses.get(0),
            r.previousDiagnoses.get(0))).toLowerCase() + ".";
    switch (rng.nextInt(5)) {
      case 0:
        return r.firstName + " reports " + first + (second == null ? "" : " and " + second) + " for " + days + "." + history;
      case 1:
        return "Pt " + r.firstName + " " + r.lastName + " seen today, complains of " + first + "." + history;
      case 2:
        return "Presents with " + first + (second == null ? "" : ", " + second) + " since " + days + " ago." + history;
      case 3:
        return "Follow-up requested. " + capitalise(first) + " for " + days + ". Lives at " + r.street + "." + history;
      default:
        return capitalise(first) + (second == null ? "" : " with " + second) + "; onset " + r.onsetDate + "." + history;
    }
  }

  private static String spoken(String name) {
    return name.replace('_', ' ').toLowerCase();
  }

  private static String capitalise(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /**
   * The patient identifier in the id scheme of the system that issues it. Salted with the run
   * (seed, mode, date): record 0 of another day is another person with another id.
   */
  String sourcePatientId(SourceFormat format, long index) {
    long h = Math.floorMod(Rng.mix(Rng.mix(runSalt, SampleSources.patientIdSystem(format).hashCode()), index),
        100_000_000L);
    switch (format) {
      case CSV:
        return "PT" + String.format(java.util.Locale.ROOT, "%08d", h);
      case REGISTRY_XML:
        return "REG-" + String.format(java.util.Locale.ROOT, "%08d", h);
      case FHIR:
        return new java.util.UUID(Rng.mix(runSalt ^ 0xF41L, index), Rng.mix(runSalt ^ 0xF42L, index)).toString();
      default:
        return "MRN" + String.format(java.util.Locale.ROOT, "%08d", h);
    }
  }

  private static String pickCategory(SplittableRandom rng, List<Category> categories) {
    double u = rng.nextDouble();
    double running = 0;
    for (Category c : categories) {
      running += c.share();
      if (u < running) {
        return c.value();
      }
    }
    return categories.get(categories.size() - 1).value();
  }

  private static String maritalStatus(SplittableRandom rng, int age) {
    double[] p;
    if (age < 18) {
      return "single";
    } else if (age <= 25) {
      p = new double[] {0.80, 0.18, 0.02, 0.0};
    } else if (age <= 40) {
      p = new double[] {0.35, 0.55, 0.09, 0.01};
    } else if (age <= 65) {
      p = new double[] {0.13, 0.62, 0.18, 0.07};
    } else {
      p = new double[] {0.08, 0.50, 0.12, 0.30};
    }
    return MARITAL[pickIndex(rng, p)];
  }

  private static String education(SplittableRandom rng, int age) {
    if (age < 6) {
      return "none";
    } else if (age < 12) {
      return "primary";
    } else if (age < 19) {
      return "secondary";
    }
    double[] p = age < 65
        ? new double[] {0.03, 0.07, 0.40, 0.30, 0.15, 0.05}
        : new double[] {0.06, 0.16, 0.45, 0.20, 0.10, 0.03};
    return EDUCATION[pickIndex(rng, p)];
  }

  private static int pickIndex(SplittableRandom rng, double[] p) {
    double u = rng.nextDouble();
    double running = 0;
    for (int i = 0; i < p.length; i++) {
      running += p[i];
      if (u < running) {
        return i;
      }
    }
    return p.length - 1;
  }

  private static int poisson(SplittableRandom rng, double mean) {
    double l = Math.exp(-mean);
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= rng.nextDouble();
    } while (p > l);
    return k - 1;
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  public GenerateSettings settings() {
    return settings;
  }
}
