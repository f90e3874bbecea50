package io.dxpipe.generate;

import io.dxpipe.generate.GenerateSettings.DirtyRates;
import io.dxpipe.generate.PatientRecord.Defect;
import io.dxpipe.generate.PatientRecord.SymptomEntry;
import io.dxpipe.ingest.SourceFormat;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Injects the dirt real sources deliver, at the configured rates, deterministically per record:
 * at most one record defect (a required field missing, a type mismatch, an impossible value),
 * spelling variants of symptom names, duplicate deliveries, and corrupt files.
 */
public final class DirtInjector implements Serializable {

  /** Where a clean record is delivered a second time. */
  public enum Duplicate {
    NONE,
    SAME_SOURCE,
    CROSS_SOURCE
  }

  /** How a file is damaged. */
  public enum Corruption {
    NONE,
    /** Cut off part-way, as an interrupted upload leaves it. */
    TRUNCATED,
    /** Bytes that are not the declared format at all (a binary file under the wrong name). */
    GARBLED
  }

  private static final String[] NUMBER_WORDS = {"forty-two", "thirty", "sixty one", "twelve", "seventy"};

  private final DirtyRates rates;
  private final long seed;

  public DirtInjector(DirtyRates rates, long seed) {
    this.rates = rates;
    this.seed = seed;
  }

  /** Applies at most one record defect and the symptom-name variants; returns the record. */
  public PatientRecord apply(PatientRecord r) {
    SplittableRandom rng = Rng.stream(seed, r.index, RecordSynthesizer.DIRT);
    double u = rng.nextDouble();
    if (u < rates.missingRequired()) {
      missingRequired(rng, r);
    } else if (u < rates.missingRequired() + rates.typeMismatch()) {
      typeMismatch(rng, r);
    } else if (u < rates.missingRequired() + rates.typeMismatch() + rates.impossibleValue()) {
      impossibleValue(rng, r);
    }
    if (rng.nextDouble() < rates.symptomVariant() && !r.symptoms.isEmpty()) {
      int i = rng.nextInt(r.symptoms.size());
      SymptomEntry s = r.symptoms.get(i);
      r.symptoms.set(i, new SymptomEntry(variant(rng, s.writtenName()), s.code(), s.severity()));
      r.symptomVariant = true;
    }
    return r;
  }

  /** Whether a record is delivered twice; only clean records are, so each defect is counted once. */
  public Duplicate duplicateOf(PatientRecord r) {
    if (r.defect != Defect.NONE) {
      return Duplicate.NONE;
    }
    double u = Rng.stream(seed, r.index, RecordSynthesizer.DIRT + 100).nextDouble();
    if (u < rates.duplicateSameSource()) {
      return Duplicate.SAME_SOURCE;
    } else if (u < rates.duplicateSameSource() + rates.duplicateCrossSource()) {
      return Duplicate.CROSS_SOURCE;
    }
    return Duplicate.NONE;
  }

  /** The other source of a cross-source duplicate: the next format in declaration order. */
  public static SourceFormat otherSource(SourceFormat format) {
    List<SourceFormat> all = SourceFormat.generated();
    return all.get((all.indexOf(format) + 1) % all.size());
  }

  /** Whether the file with this (deterministic) name is corrupted, and how. */
  public Corruption corruptionOf(String fileName) {
    SplittableRandom rng = new SplittableRandom(Rng.mix(seed, fileName.hashCode()));
    if (rng.nextDouble() >= rates.corruptFile()) {
      return Corruption.NONE;
    }
    return rng.nextBoolean() ? Corruption.TRUNCATED : Corruption.GARBLED;
  }

  /** The damaged bytes of a file. */
  public byte[] corrupt(String fileName, byte[] content, Corruption corruption) {
    SplittableRandom rng = new SplittableRandom(Rng.mix(seed ^ 0xBADL, fileName.hashCode()));
    if (corruption == Corruption.TRUNCATED) {
      int keep = Math.max(1, (int) (content.length * (0.3 + 0.5 * rng.nextDouble())));
      byte[] cut = new byte[keep];
      System.arraycopy(content, 0, cut, 0, keep);
      return cut;
    }
    // GARBLED: a gzip header followed by noise, about as long as the real file.
    byte[] junk = new byte[Math.max(32, content.length / 2)];
    for (int i = 0; i < junk.length; i++) {
      junk[i] = (byte) rng.nextInt(256);
    }
    junk[0] = (byte) 0x1f;
    junk[1] = (byte) 0x8b;
    return junk;
  }

  private static void missingRequired(SplittableRandom rng, PatientRecord r) {
    r.defect = Defect.MISSING_REQUIRED;
    switch (rng.nextInt(4)) {
      case 0 -> r.sourcePatientId = null;
      case 1 -> {
        r.age = null;
        r.birthDate = null;
      }
      case 2 -> r.gender = null;
      default -> r.diagnosisDate = null;
    }
  }

  private static void typeMismatch(SplittableRandom rng, PatientRecord r) {
    r.defect = Defect.TYPE_MISMATCH;
    switch (rng.nextInt(4)) {
      case 0 -> r.raw.put(PatientRecord.AGE, Rng.pick(rng, NUMBER_WORDS));
      case 1 -> r.raw.put(PatientRecord.DIAGNOSIS_DATE, Rng.pick(rng, new String[] {"yesterday", "2024-13-45", "31/02/2024", "N/A"}));
      case 2 -> r.raw.put(PatientRecord.TEMPERATURE, Rng.pick(rng, new String[] {"high", "feverish", "38,5 C", "?"}));
      default -> r.raw.put(PatientRecord.HEART_RATE, Rng.pick(rng, new String[] {"ninety", "irregular", "fast", "--"}));
    }
  }

  private static void impossibleValue(SplittableRandom rng, PatientRecord r) {
    r.defect = Defect.IMPOSSIBLE_VALUE;
    switch (rng.nextInt(5)) {
      case 0 -> r.temperatureC = rng.nextBoolean() ? 60.0 : 15.2;
      case 1 -> {
        r.age = rng.nextBoolean() ? 240 : 187;
        r.birthDate = r.diagnosisDate == null ? null : r.diagnosisDate.minusYears(r.age);
      }
      case 2 -> r.heartRate = 350.0;
      case 3 -> r.spo2 = 130.0;
      default -> r.weightKg = -5.0;
    }
  }

  /** A spelling a source might use for a symptom name: spacing, case, hyphens or a typo. */
  static String variant(SplittableRandom rng, String name) {
    switch (rng.nextInt(6)) {
      case 0:
        return name.replace('_', ' ');
      case 1: {
        StringBuilder title = new StringBuilder();
        for (String w : name.replace('_', ' ').split(" ")) {
          if (!w.isEmpty()) {
            title.append(title.length() == 0 ? "" : " ").append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
          }
        }
        return title.toString();
      }
      case 2:
        return "  " + name + " ";
      case 3:
        return name.toUpperCase(Locale.ROOT);
      case 4:
        return name.replace('_', '-').replace(' ', '-');
      default:
        return typo(rng, name);
    }
  }

  /** Swaps two adjacent interior letters (or drops one), as a hurried typist does. */
  private static String typo(SplittableRandom rng, String name) {
    if (name.length() < 5) {
      return name + name.charAt(name.length() - 1);
    }
    char[] c = name.toCharArray();
    int i = 1 + rng.nextInt(c.length - 3);
    if (rng.nextBoolean() && Character.isLetter(c[i]) && Character.isLetter(c[i + 1])) {
      char t = c[i];
      c[i] = c[i + 1];
      c[i + 1] = t;
      return new String(c);
    }
    List<Character> chars = new ArrayList<>();
    for (char ch : c) {
      chars.add(ch);
    }
    chars.remove(i);
    StringBuilder sb = new StringBuilder();
    chars.forEach(sb::append);
    return sb.toString();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
