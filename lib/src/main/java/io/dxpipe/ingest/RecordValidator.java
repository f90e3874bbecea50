package io.dxpipe.ingest;

import static io.dxpipe.spark.Rows.seq;

import io.dxpipe.schema.Quarantine.Reason;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.DeclaredInputs;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;

/**
 * Turns a raw record into a bronze row, or into the reason it cannot be one: required fields
 * present, numbers and dates that parse, then units to °C and kg, the source's value mappings,
 * pseudonymous keys instead of identifiers, and a scrubbed note. Impossible but well-typed values
 * (a temperature of 60 °C) pass: judging plausibility is the clean stage's job. One instance per
 * task (it holds a {@link Pseudonymizer}).
 */
public final class RecordValidator {

  /** Either a bronze row or a quarantine reason. */
  public record Result(Row bronze, Reason reason, String explanation) {
    static Result ok(Row row) {
      return new Result(row, null, null);
    }

    static Result rejected(Reason reason, String explanation) {
      return new Result(null, reason, explanation);
    }
  }

  /** Where the records come from and when they are ingested. */
  public record Context(String sourceFile, LocalDate deliveryDate, String runId, Timestamp ingestTime) {}

  private final SourceSettings source;
  private final Pseudonymizer pseudonymizer;
  private final Map<String, String> diseaseCodes;
  private final DateTimeFormatter dateFormat;

  /**
   * @param diseaseCodes lower-case disease names and codes to canonical disease codes (the catalogue),
   *     applied after the source's own {@code values.diagnosis} mapping
   */
  public RecordValidator(SourceSettings source, byte[] patientKey, Map<String, String> diseaseCodes) {
    this.source = source;
    this.pseudonymizer = new Pseudonymizer(patientKey);
    this.diseaseCodes = diseaseCodes;
    this.dateFormat = DateTimeFormatter.ofPattern(strictPattern(source.dateFormat()), Locale.ROOT)
        .withResolverStyle(ResolverStyle.STRICT);
  }

  /**
   * The configured pattern with year-of-era ({@code y}) as proleptic year ({@code u}) outside quoted
   * literals. Under {@link ResolverStyle#STRICT} (2025-02-30 is refused, not moved to 2025-02-28) a
   * {@code yyyy} year needs an era field to resolve; {@code uuuu} is the same year without one, so
   * the patterns sources are configured with keep working.
   */
  static String strictPattern(String pattern) {
    StringBuilder b = new StringBuilder(pattern.length());
    boolean quoted = false;
    for (char c : pattern.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
      }
      b.append(!quoted && c == 'y' ? 'u' : c);
    }
    return b.toString();
  }

  public Result validate(RawRecord r, Context ctx) {
    if (r.malformed != null) {
      return Result.rejected(Reason.MALFORMED_RECORD, r.malformed);
    }
    if (r.invalidValue != null) {
      return Result.rejected(Reason.TYPE_MISMATCH, r.invalidValue);
    }
    try {
      return Result.ok(toRow(r, ctx));
    } catch (Rejection e) {
      return Result.rejected(e.reason, e.getMessage());
    }
  }

  private Row toRow(RawRecord r, Context ctx) throws Rejection {
    // Presence of required fields first, so the reason names the real gap.
    for (Field f : source.required()) {
      boolean present = r.get(f) != null
          || f == Field.AGE && r.get(Field.BIRTH_DATE) != null
          || f == Field.GIVEN_NAME && r.get(Field.FULL_NAME) != null;
      if (!present) {
        String where = source.fields().get(f);
        throw new Rejection(Reason.MISSING_REQUIRED_FIELD, "required field " + f.key() + " is missing"
            + (where == null ? "" : " (mapped from " + where + ")"));
      }
    }
    LocalDate visit = date(r, Field.VISIT_DATE);
    LocalDate onset = date(r, Field.ONSET_DATE);
    Integer age = integer(r, Field.AGE);
    LocalDate birth = date(r, Field.BIRTH_DATE);
    if (age == null && birth != null && visit != null) {
      age = Period.between(birth, visit).getYears(); // sources that send a birth date (FHIR) get an age at the visit
    }
    Integer duration = integer(r, Field.DURATION_DAYS);
    if (duration == null && onset != null && visit != null) {
      duration = (int) java.time.temporal.ChronoUnit.DAYS.between(onset, visit);
    }
    Double temperature = number(r, Field.TEMPERATURE);
    if (temperature != null && source.temperatureUnit() == SourceSettings.TemperatureUnit.FAHRENHEIT) {
      temperature = Units.fahrenheitToCelsius(temperature);
    }
    Double weight = number(r, Field.WEIGHT);
    if (weight != null && source.weightUnit() == SourceSettings.WeightUnit.LB) {
      weight = Units.poundsToKg(weight);
    } else if (weight != null && source.weightUnit() == SourceSettings.WeightUnit.G) {
      weight = weight / 1000;
    }
    Double systolic = number(r, Field.SYSTOLIC);
    Double diastolic = number(r, Field.DIASTOLIC);
    String bp = r.get(Field.BLOOD_PRESSURE);
    if (bp != null) {
      String[] parts = bp.split("/");
      if (parts.length != 2) {
        throw new Rejection(Reason.TYPE_MISMATCH, "blood-pressure '" + bp + "' is not systolic/diastolic (e.g. 120/80)");
      }
      systolic = parse(Field.BLOOD_PRESSURE, parts[0]);
      diastolic = parse(Field.BLOOD_PRESSURE, parts[1]);
    }
    List<Row> symptoms = new ArrayList<>();
    for (String[] s : r.symptoms) {
      symptoms.add(new GenericRowWithSchema(new Object[] {s[0].trim(), severity(s[1])}, Bronze.SYMPTOM));
    }
    List<String> previous = new ArrayList<>();
    for (String d : r.previousDiagnoses) {
      previous.add(diseaseCode(d, d.trim()));
    }
    String diagnosisText = r.get(Field.DIAGNOSIS);
    String diagnosisCode = diagnosisText == null ? null : diseaseCode(diagnosisText, null);

    scala.collection.Map<String, String> inputs = null;
    if (!r.inputs.isEmpty()) {
      Map<String, String> normalised = new java.util.TreeMap<>();
      for (SourceSettings.MappedInput in : source.inputs()) {
        String value = r.inputs.get(in.input().name());
        if (value != null) {
          try {
            normalised.put(in.input().name(), DeclaredInputs.normalise(in.input(), value));
          } catch (IllegalArgumentException e) {
            throw new Rejection(Reason.TYPE_MISMATCH, e.getMessage() + " (mapped from " + in.location() + ")");
          }
        }
      }
      inputs = io.dxpipe.spark.Rows.map(normalised);
    }

    String recordId = r.get(Field.RECORD_ID);
    String patientId = r.get(Field.PATIENT_ID);
    String nationalId = r.get(Field.NATIONAL_ID);
    return new GenericRowWithSchema(new Object[] {
        Bronze.recordKey(source.name(), recordId),
        source.name(),
        recordId,
        pseudonymizer.patientKey(source.patientIdSystem(), patientId != null ? patientId : "record:" + recordId),
        nationalId == null ? null : pseudonymizer.personKey(nationalId),
        age,
        mapped("gender", r.get(Field.GENDER)),
        mapped("ethnicity", r.get(Field.ETHNICITY)),
        mapped("marital-status", r.get(Field.MARITAL_STATUS)),
        mapped("education", r.get(Field.EDUCATION)),
        visit == null ? null : Date.valueOf(visit),
        onset == null ? null : Date.valueOf(onset),
        duration,
        seq(symptoms),
        seq(previous),
        temperature,
        number(r, Field.HEART_RATE),
        systolic,
        diastolic,
        number(r, Field.RESPIRATORY_RATE),
        number(r, Field.SPO2),
        weight,
        NoteScrubber.scrub(r.get(Field.NOTE), r),
        diagnosisCode,
        diagnosisText,
        ctx.sourceFile(),
        Date.valueOf(ctx.deliveryDate()),
        ctx.runId(),
        ctx.ingestTime(),
        inputs}, Bronze.SCHEMA);
  }


  private String mapped(String category, String raw) {
    if (raw == null) {
      return null;
    }
    String m = source.mapValue(category, raw);
    return m != null ? m : raw.trim();
  }

  private String diseaseCode(String raw, String fallback) {
    String m = source.mapValue("diagnosis", raw);
    if (m != null) {
      return m;
    }
    return diseaseCodes.getOrDefault(raw.trim().toLowerCase(Locale.ROOT), fallback);
  }

  /** Severity 1 (mild) to 3 (severe): the source's mapping, or a number on its severity scale. */
  private Integer severity(String raw) throws Rejection {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String m = source.mapValue("severity", raw);
    String value = m != null ? m : raw.trim();
    Double number = Units.decimal(value);
    if (number == null) {
      throw new Rejection(Reason.TYPE_MISMATCH, "symptom severity '" + raw + "' is neither mapped (values.severity) nor a number");
    }
    int n = (int) Math.round(number);
    if (m != null || source.severityScale() == 3) {
      if (n < 1 || n > 3) {
        throw new Rejection(Reason.TYPE_MISMATCH, "symptom severity " + raw + " is outside 1-3");
      }
      return n;
    }
    if (n < 0 || n > source.severityScale()) {
      throw new Rejection(Reason.TYPE_MISMATCH, "symptom severity " + raw + " is outside 0-" + source.severityScale());
    }
    // numeric rating scales: 0-10 gives 0-3 mild, 4-6 moderate, 7-10 severe (the NRS bands)
    double share = n / (double) source.severityScale();
    return share <= 0.35 ? 1 : share <= 0.65 ? 2 : 3;
  }

  private Integer integer(RawRecord r, Field f) throws Rejection {
    Double v = number(r, f);
    if (v == null) {
      return null;
    }
    if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
      throw new Rejection(Reason.TYPE_MISMATCH, f.key() + " '" + r.get(f) + "' is not a whole number");
    }
    return v.intValue();
  }

  private Double number(RawRecord r, Field f) throws Rejection {
    String raw = r.get(f);
    return raw == null ? null : parse(f, raw);
  }

  /** Plain decimal notation only ({@link Units#decimal}): no hex floats, type suffixes, NaN or infinities. */
  private static Double parse(Field f, String raw) throws Rejection {
    Double v = Units.decimal(raw);
    if (v == null) {
      throw new Rejection(Reason.TYPE_MISMATCH, f.key() + " '" + raw + "' is not a number");
    }
    return v;
  }

  private LocalDate date(RawRecord r, Field f) throws Rejection {
    String raw = r.get(f);
    if (raw == null) {
      return null;
    }
    String value = raw.trim();
    try {
      return LocalDate.parse(value, dateFormat);
    } catch (DateTimeParseException e) {
      // ISO date-times (FHIR's 2024-03-01T09:30:00+00:00) are dates too; ISO_LOCAL_DATE is strict as well
      if (value.length() > 10 && value.charAt(10) == 'T') {
        try {
          return LocalDate.parse(value.substring(0, 10));
        } catch (DateTimeParseException ignored) {
          // fall through to the rejection
        }
      }
      throw new Rejection(Reason.UNPARSEABLE_DATE, f.key() + " '" + raw + "' is not a date in the format "
          + source.dateFormat() + resolveProblem(e));
    }
  }

  /** Why text of the right shape is no date ("Invalid date 'FEBRUARY 30'"), or nothing for text of the wrong shape. */
  private static String resolveProblem(DateTimeParseException e) {
    String m = e.getMessage();
    int at = m == null ? -1 : m.indexOf("could not be parsed: ");
    return at < 0 ? "" : " (" + m.substring(at + "could not be parsed: ".length()) + ")";
  }

  /** A record that cannot go to bronze, and why. */
  private static final class Rejection extends Exception {
    final Reason reason;

    Rejection(Reason reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }
}
