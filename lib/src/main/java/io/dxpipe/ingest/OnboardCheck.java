package io.dxpipe.ingest;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.catalogue.LabelSettings;
import io.dxpipe.clean.SilverBuilder;
import io.dxpipe.clean.SymptomVocabulary;
import io.dxpipe.features.LabelSet;
import io.dxpipe.io.CsvText;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Silver;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * The onboarding check: a new file read with its source block, before anything is written, in
 * plain Java (no Spark: an answer in seconds). It runs the ingest job's parser and validation and
 * the clean job's rules (the online service's row form of them) on the file's records and reports
 * what each column became, which symptoms and diagnoses were recognised and which not, what would
 * be quarantined and why, and what training would use and leave out. A bad mapping shows here, not
 * after training.
 */
public final class OnboardCheck {
  private static final int SHOWN = 15;

  /**
   * What the check found; {@link #text} is what the command prints.
   *
   * @param unreadable why the whole file cannot be read, or null
   * @param recognised symptom as written to the code it became (known, synonym, lost separator, HPO)
   * @param corrected symptom as written to the flag of its correction (typo, HPO ancestor)
   * @param unknownSymptoms symptom as written (not in the catalogue's vocabulary) to records
   * @param matched diagnosis as written to the code it became
   * @param unmatched diagnosis as written that matched no disease, to records
   * @param inputsWithoutValues silver inputs no sampled record has a value for
   */
  public record Report(String file, String source, SourceFormat format, String unreadable, int records, int checked,
      List<String> columns, long bronze, Map<String, Long> quarantined, Map<String, String> quarantineExample,
      Map<String, Long> recognised, Map<String, String> recognisedAs, Map<String, String> corrected,
      Map<String, Long> unknownSymptoms, Map<String, Long> matched, Map<String, String> matchedAs,
      Map<String, Long> unmatched, LabelSet labels, LabelSettings labelSettings, List<String> inputsWithoutValues,
      String text) {

    /** Whether the file can be ingested at all: readable, with at least one record for bronze. */
    public boolean usable() {
      return unreadable == null && bronze > 0;
    }
  }

  private final IngestSettings ingest;
  private final SilverBuilder cleaning;
  private final DiseaseCatalogue catalogue;
  private final LabelSettings labels;

  public OnboardCheck(IngestSettings ingest, SilverBuilder cleaning, DiseaseCatalogue catalogue, LabelSettings labels) {
    this.ingest = ingest;
    this.cleaning = cleaning;
    this.catalogue = catalogue;
    this.labels = labels;
  }

  /**
   * The source a landing path belongs to: the folder above its {@code yyyy-MM-dd} folder
   * ({@code <landing>/<source>/<yyyy-MM-dd>/<file>}), else the folder holding it.
   */
  public static String sourceOf(java.nio.file.Path file) {
    java.nio.file.Path parent = file.toAbsolutePath().getParent();
    if (parent != null && deliveryDate(parent.getFileName().toString()) != null && parent.getParent() != null) {
      return parent.getParent().getFileName().toString();
    }
    return parent == null ? "" : parent.getFileName().toString();
  }

  private static LocalDate deliveryDate(String folder) {
    try {
      return LocalDate.parse(folder);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * Checks {@code content} (the file {@code file}) as source {@code sourceName}, validating and
   * cleaning at most {@code sample} of its records.
   */
  public Report check(String file, String sourceName, byte[] content, int sample) {
    SourceSettings source = ingest.sources().get(sourceName);
    if (source == null) {
      throw new io.dxpipe.config.ConfigurationException("no source block dxpipe.ingest.sources." + sourceName
          + " (configured sources: " + String.join(", ", ingest.sources().keySet()) + "); name the source with "
          + "--source NAME or put the file under <landing>/<source>/<yyyy-MM-dd>/");
    }
    StringBuilder out = new StringBuilder();
    line(out, "onboarding check of %s as source %s (%s)", file, sourceName, source.format().key());
    List<RawRecord> raw;
    try {
      raw = RecordParser.of(source.format()).parse(content, source);
    } catch (RecordParser.UnreadableFileException e) {
      line(out, "UNREADABLE: %s", e.getMessage());
      line(out, "the ingest job would quarantine the whole file with this reason; nothing else to check");
      return new Report(file, sourceName, source.format(), e.getMessage(), 0, 0, List.of(), 0, Map.of(), Map.of(),
          Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), null, labels, List.of(), out.toString());
    }
    int checked = Math.min(sample, raw.size());
    line(out, "%,d records in the file%s", raw.size(), checked < raw.size() ? String.format(Locale.ROOT,
        "; the first %,d checked (--sample)", checked) : "");

    List<String> columns = columns(content, source, raw.subList(0, checked));
    out.append("\ncolumns and fields:\n");
    columns.forEach(c -> out.append("  ").append(c).append('\n'));

    java.nio.file.Path folder = java.nio.file.Path.of(file).toAbsolutePath().getParent();
    LocalDate delivery = folder == null ? null : deliveryDate(folder.getFileName().toString());
    RecordValidator validator = new RecordValidator(source, ingest.patientKey(), LandingIngest.diseaseCodes(catalogue));
    RecordValidator.Context ctx = new RecordValidator.Context(file, delivery != null ? delivery
        : LocalDate.now(ZoneOffset.UTC), "onboard-check", new Timestamp(System.currentTimeMillis()));
    Map<String, Long> quarantined = new TreeMap<>();
    Map<String, String> example = new TreeMap<>();
    List<Map<String, Object>> silver = new ArrayList<>();
    List<Row> bronzeRows = new ArrayList<>();
    for (RawRecord r : raw.subList(0, checked)) {
      RecordValidator.Result result = validator.validate(r, ctx);
      if (result.bronze() == null) {
        String reason = result.reason().name();
        quarantined.merge(reason, 1L, Long::sum);
        example.putIfAbsent(reason, "record " + r.index + ": " + result.explanation());
        continue;
      }
      bronzeRows.add(result.bronze());
      silver.add(cleaning.clean(asMap(result.bronze())));
    }
    long quarantinedCount = quarantined.values().stream().mapToLong(Long::longValue).sum();
    out.append('\n');
    line(out, "records: %,d checked = %,d to bronze + %,d quarantined", checked, bronzeRows.size(), quarantinedCount);
    quarantined.forEach((reason, n) -> line(out, "  %-22s %,d (e.g. %s)", reason, n, example.get(reason)));

    // symptoms: every name as written, resolved as the clean job resolves it
    SymptomVocabulary vocabulary = cleaning.symptoms();
    Map<String, Long> recognised = new TreeMap<>();
    Map<String, String> recognisedAs = new TreeMap<>();
    Map<String, String> corrected = new TreeMap<>();
    Map<String, Long> unknown = new TreeMap<>();
    for (Row b : bronzeRows) {
      for (Object s : elements(b.get(b.fieldIndex(Bronze.SYMPTOMS)))) {
        String name = ((Row) s).getString(0);
        SymptomVocabulary.Resolution res = vocabulary.resolve(name);
        if (res.flag() == null) {
          recognised.merge(name, 1L, Long::sum);
          recognisedAs.put(name, res.code());
        } else if (res.flag().startsWith(Silver.FLAG_UNKNOWN_SYMPTOM)) {
          unknown.merge(name, 1L, Long::sum);
        } else {
          recognised.merge(name, 1L, Long::sum);
          recognisedAs.put(name, res.code());
          corrected.put(name, res.flag());
        }
      }
    }
    out.append('\n');
    line(out, "symptoms: %d distinct names, %d recognised, %d not in the catalogue's vocabulary", recognised.size()
        + unknown.size(), recognised.size(), unknown.size());
    line(out, "  (%s)", vocabulary.hpoSummary());
    if (recognised.isEmpty() && unknown.isEmpty()) {
      line(out, "  NO SYMPTOM in any record: check fields.symptoms, symptom-columns or symptom-flags");
    }
    top(recognised).forEach(e -> line(out, "  ok       %s -> %s (%,d)%s", e.getKey(), recognisedAs.get(e.getKey()),
        e.getValue(), corrected.containsKey(e.getKey()) ? "  [" + corrected.get(e.getKey()) + "]" : ""));
    more(out, recognised);
    top(unknown).forEach(e -> line(out, "  unknown  %s (%,d): kept as written; a feature if seen in enough training "
        + "records, but the catalogue's diseases do not use it", e.getKey(), e.getValue()));
    more(out, unknown);

    // diagnoses: as written to what the clean job made of them
    Map<String, Long> matched = new TreeMap<>();
    Map<String, String> matchedAs = new TreeMap<>();
    Map<String, Long> unmatched = new TreeMap<>();
    Map<String, Long> perCode = new TreeMap<>();
    long unlabelled = 0;
    long unmapped = 0;
    java.util.Set<String> catalogueCodes = catalogue.diseasesByCode().keySet();
    for (int i = 0; i < silver.size(); i++) {
      Row b = bronzeRows.get(i);
      String written = b.getString(b.fieldIndex(Bronze.DIAGNOSIS_TEXT));
      if (written == null || written.isBlank()) {
        written = b.getString(b.fieldIndex(Bronze.DIAGNOSIS_CODE));
      }
      String code = (String) silver.get(i).get(Bronze.DIAGNOSIS_CODE);
      if (code == null) {
        if (written == null || written.isBlank()) {
          unlabelled++;
        } else {
          unmapped++;
          unmatched.merge(written, 1L, Long::sum);
        }
        continue;
      }
      perCode.merge(code, 1L, Long::sum);
      if (catalogueCodes.contains(code)) {
        matched.merge(written, 1L, Long::sum);
        matchedAs.put(written, code);
      } else {
        unmatched.merge(written, 1L, Long::sum);
      }
    }
    out.append('\n');
    line(out, "diagnoses: %d distinct, %d matched a catalogue disease, %d did not; %,d records without a diagnosis",
        matched.size() + unmatched.size(), matched.size(), unmatched.size(), unlabelled);
    top(matched).forEach(e -> line(out, "  matched  %s -> %s (%,d)", e.getKey(), matchedAs.get(e.getKey()),
        e.getValue()));
    more(out, matched);
    top(unmatched).forEach(e -> line(out, "  %s %s (%,d)", labels.fromData() ? "own      " : "unmatched", e.getKey(),
        e.getValue()));
    more(out, unmatched);
    if (!unmatched.isEmpty() && !labels.fromData()) {
      line(out, "  (labels.from = catalogue: unmatched diagnoses are not trained on; map them in values.diagnosis "
          + "or conf/vocabulary/diagnoses.csv, or train on the data's own labels with labels.from = data)");
    }

    LabelSet set = LabelSet.of(perCode, unlabelled, unmapped, catalogue, labels);
    List<String> empty = new ArrayList<>();
    for (String c : Silver.NUMERIC_COLUMNS) {
      if (silver.stream().allMatch(r -> r.get(c) == null)) {
        empty.add(c);
      }
    }
    if (silver.stream().allMatch(r -> isEmpty(r.get(Bronze.PREVIOUS_DIAGNOSES)))) {
      empty.add(Bronze.PREVIOUS_DIAGNOSES);
    }
    if (silver.stream().allMatch(r -> isEmpty(r.get(Bronze.SYMPTOMS)))) {
      empty.add(Bronze.SYMPTOMS);
    }
    out.append('\n');
    line(out, "training (labels from the %s%s) would:", labels.fromData() ? "data" : "catalogue",
        labels.fromData() ? ", at least " + labels.minRecords() + " records per class" : "");
    line(out, "  train on %,d records of %d classes%s", set.trained(), set.classes().size(),
        set.classes().isEmpty() ? "" : ": " + abbreviate(set.classes()));
    line(out, "  not train on %,d unlabelled records (no diagnosis: they are scored)", set.unlabelled());
    if (!set.notTrained().isEmpty()) {
      line(out, "  not train on %s", set.describeNotTrained());
    }
    line(out, "  leave out the inputs without a value in this sample: %s", empty.isEmpty() ? "none" : empty);
    if (set.classes().size() < 2) {
      line(out, "  NOT TRAINABLE: a model needs at least 2 classes");
    }
    return new Report(file, sourceName, source.format(), null, raw.size(), checked, columns, bronzeRows.size(),
        quarantined, example, recognised, recognisedAs, corrected, unknown, matched, matchedAs, unmatched, set, labels,
        List.copyOf(empty), out.toString());
  }

  /** What each column (CSV) or field (other formats) became, with how many checked records have a value. */
  private static List<String> columns(byte[] content, SourceSettings source, List<RawRecord> all) {
    List<RawRecord> records = all.stream().filter(r -> r.malformed == null).toList();
    Map<Field, Long> values = new LinkedHashMap<>();
    long withSymptoms = records.stream().filter(r -> !r.symptoms.isEmpty()).count();
    long withHistory = records.stream().filter(r -> !r.previousDiagnoses.isEmpty()).count();
    for (Field f : source.fields().keySet()) {
      values.put(f, switch (f) {
        case SYMPTOMS -> withSymptoms;
        case PREVIOUS_DIAGNOSES -> withHistory;
        default -> records.stream().filter(r -> r.get(f) != null).count();
      });
    }
    List<String> lines = new ArrayList<>();
    if (source.format() == SourceFormat.CSV) {
      String text = Text.utf8(content);
      List<String[]> rows = text == null ? List.of() : CsvText.rows(text, CsvText.Comments.DATA);
      String[] header = rows.isEmpty() ? new String[0] : rows.get(0);
      Map<String, Field> byColumn = new LinkedHashMap<>();
      source.fields().forEach((f, c) -> byColumn.put(c, f));
      Map<String, String> flagColumns = new LinkedHashMap<>();
      Map<String, Integer> position = new LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) {
        position.put(header[i] == null ? "" : header[i].trim(), i);
      }
      if (source.symptomFlags().any()) {
        try {
          source.symptomFlags().resolve(header, position, source)
              .forEach((i, symptom) -> flagColumns.put(header[i].trim(), symptom));
        } catch (RecordParser.UnreadableFileException e) {
          // the parser has said so already
        }
      }
      Map<String, Long> trueCells = new TreeMap<>();
      records.forEach(r -> r.symptoms.forEach(s -> trueCells.merge(s[0], 1L, Long::sum)));
      Map<String, SourceSettings.MappedInput> inputColumns = new LinkedHashMap<>();
      source.inputs().forEach(in -> inputColumns.put(in.location(), in));
      for (String h : header) {
        String column = h == null ? "" : h.trim();
        String role;
        if (byColumn.containsKey(column)) {
          Field f = byColumn.get(column);
          role = String.format(Locale.ROOT, "field %s (%,d of %,d readable records with a value)", f.key(),
              values.get(f), records.size());
        } else if (flagColumns.containsKey(column)) {
          role = String.format(Locale.ROOT, "symptom flag -> %s (true in %,d)", flagColumns.get(column),
              trueCells.getOrDefault(flagColumns.get(column), 0L));
        } else if (source.symptomColumns().contains(column)) {
          role = "symptom-columns: each cell a symptom's name";
        } else if (source.historyFlags().containsKey(column)) {
          role = "history flag -> previous diagnosis " + source.historyFlags().get(column);
        } else if (inputColumns.containsKey(column)) {
          role = input(inputColumns.get(column), records);
        } else {
          role = "NOT USED: no field, symptom, flag or input maps it (fields.<field>, symptom-flags, inputs)";
        }
        lines.add(String.format(Locale.ROOT, "%-24s %s", column.isEmpty() ? "(no name)" : column, role));
      }
    } else {
      source.fields().forEach((f, where) -> lines.add(String.format(Locale.ROOT, "%-24s <- %s (%,d of %,d readable "
          + "records with a value)", f.key(), where, values.get(f), records.size())));
      source.symptomFlags().columns().forEach((where, symptom) -> lines.add(String.format(Locale.ROOT,
          "%-24s <- %s (symptom flag)", symptom, where)));
      source.inputs().forEach(in -> lines.add(String.format(Locale.ROOT, "%-24s <- %s: %s", "input " + in.input().name(),
          in.location(), input(in, records))));
    }
    List<String> absent = new ArrayList<>();
    for (Field f : source.required()) {
      if (!source.fields().containsKey(f) && !(f == Field.AGE && source.fields().containsKey(Field.BIRTH_DATE))) {
        absent.add(f.key());
      }
    }
    if (!absent.isEmpty()) {
      lines.add("REQUIRED but not mapped: " + absent + " (every record would be quarantined; set required = [...])");
    }
    return lines;
  }

  /** A declared input's column: its type and how many records have a value, and how many of those it refuses. */
  private static String input(SourceSettings.MappedInput in, List<RawRecord> records) {
    long present = 0;
    Map<String, Long> refused = new TreeMap<>();
    for (RawRecord r : records) {
      String v = r.inputs.get(in.input().name());
      if (v != null) {
        present++;
        try {
          io.dxpipe.schema.DeclaredInputs.normalise(in.input(), v);
        } catch (IllegalArgumentException e) {
          refused.merge(v, 1L, Long::sum);
        }
      }
    }
    return String.format(Locale.ROOT, "input %s, %s (%,d of %,d readable records with a value%s)", in.input().name(),
        in.input().describe(), present, records.size(), refused.isEmpty() ? ""
            : String.format(Locale.ROOT, "; %,d not a %s, quarantined: %s", refused.values().stream()
                .mapToLong(Long::longValue).sum(), in.input().type() == io.dxpipe.schema.DeclaredInputs.Type.NUMERIC
                    ? "number" : "level", refused.keySet().stream().limit(5).toList()));
  }

  private static Map<String, Object> asMap(Row bronze) {
    Map<String, Object> m = new LinkedHashMap<>();
    String[] names = bronze.schema().fieldNames();
    for (int i = 0; i < names.length; i++) {
      m.put(names[i], bronze.get(i));
    }
    return m;
  }

  private static List<?> elements(Object list) {
    if (list instanceof List<?> l) {
      return l;
    }
    if (list instanceof scala.collection.Seq<?> s) {
      return scala.collection.JavaConverters.seqAsJavaList(s);
    }
    return List.of();
  }

  private static boolean isEmpty(Object list) {
    return list == null || (list instanceof List<?> l && l.isEmpty())
        || (list instanceof scala.collection.Seq<?> s && s.isEmpty());
  }

  private static List<Map.Entry<String, Long>> top(Map<String, Long> counts) {
    return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
        .thenComparing(Map.Entry.comparingByKey())).limit(SHOWN).toList();
  }

  private static void more(StringBuilder out, Map<String, Long> counts) {
    if (counts.size() > SHOWN) {
      line(out, "  ... and %d more", counts.size() - SHOWN);
    }
  }

  private static String abbreviate(List<String> items) {
    return items.size() <= SHOWN ? String.join(", ", items)
        : String.join(", ", items.subList(0, SHOWN)) + ", ... (" + (items.size() - SHOWN) + " more)";
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
