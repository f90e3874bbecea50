package io.dxpipe.ingest;

import io.dxpipe.io.CsvLine;
import io.dxpipe.io.CsvText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CSV sources mapped by configuration: a header row, then one record per row; each canonical field
 * is read from the column the source's {@code fields} block names. Symptoms come from one column
 * holding a list ("fever (7); cough (3)", split by {@code symptom-separator}, name and severity by
 * {@code symptom-pattern}), from several columns each naming one ({@code symptom-columns}), or
 * from one yes/no column per symptom ({@code symptom-flags}); yes/no history columns from
 * {@code history-flags}. Parsing uses univocity, Spark's own CSV parser (quotes,
 * embedded separators and line breaks).
 */
final class CsvRecordParser implements RecordParser {

  @Override
  public List<RawRecord> parse(byte[] content, SourceSettings source) throws UnreadableFileException {
    String text = Text.utf8(content);
    if (text == null) {
      throw new UnreadableFileException("not UTF-8 text (binary content, or another encoding)");
    }
    List<String[]> rows;
    try {
      rows = CsvText.rows(text, CsvText.Comments.DATA);
    } catch (RuntimeException e) {
      throw new UnreadableFileException("not readable as CSV: " + Text.brief(e.getMessage()), e);
    }
    if (rows.isEmpty()) {
      throw new UnreadableFileException("empty file: no header row");
    }
    String[] header = rows.get(0);
    Map<String, Integer> column = new HashMap<>();
    for (int i = 0; i < header.length; i++) {
      column.put(header[i] == null ? "" : header[i].trim(), i);
    }
    List<String> missing = new ArrayList<>();
    source.fields().values().stream().filter(c -> !c.equals(SourceSettings.LINE_NUMBER) && !column.containsKey(c))
        .forEach(missing::add);
    source.symptomColumns().stream().filter(c -> !column.containsKey(c)).forEach(missing::add);
    source.historyFlags().keySet().stream().filter(c -> !column.containsKey(c)).forEach(missing::add);
    source.inputLocations().stream().filter(c -> !column.containsKey(c)).forEach(missing::add);
    if (!missing.isEmpty()) {
      throw new UnreadableFileException("header lacks the mapped column(s) " + missing + "; header is "
          + Arrays.toString(header));
    }
    SymptomFlags flags = source.symptomFlags();
    Map<Integer, String> flagColumns = flags.any() ? flags.resolve(header, column, source) : Map.of();
    List<Integer> flagAt = List.copyOf(flagColumns.keySet());
    List<String> flagLabels = flagAt.stream().map(i -> header[i].trim()).toList();
    List<String> flagSymptoms = List.copyOf(flagColumns.values());
    refuseFlagsAsSymptomNames(rows, header.length, column, source);
    refuseFlagsAsSymptomList(rows, header.length, column, source);
    Pattern symptomPattern = Pattern.compile(source.symptomPattern());
    List<RawRecord> records = new ArrayList<>();
    for (int i = 1; i < rows.size(); i++) {
      String[] row = rows.get(i);
      int line = i + 1;
      String payload = CsvLine.join(Arrays.asList(row));
      if (row.length == 1 && (row[0] == null || row[0].isBlank())) {
        continue; // blank line
      }
      if (row.length != header.length) {
        records.add(RawRecord.malformed(line, payload, "row " + line + " has " + row.length + " columns, the header has "
            + header.length + " (a truncated or shifted row)"));
        continue;
      }
      RawRecord r = new RawRecord(line);
      r.payload = payload;
      for (Map.Entry<Field, String> e : source.fields().entrySet()) {
        String value = SourceSettings.LINE_NUMBER.equals(e.getValue()) ? String.valueOf(line) : row[column.get(e.getValue())];
        switch (e.getKey()) {
          case SYMPTOMS -> symptoms(value, source, symptomPattern, r);
          case PREVIOUS_DIAGNOSES -> list(value, source.listSeparator(), r.previousDiagnoses);
          default -> r.put(e.getKey(), value);
        }
      }
      for (SourceSettings.MappedInput in : source.inputs()) {
        r.putInput(in.input().name(), row[column.get(in.location())]);
      }
      for (String c : source.symptomColumns()) {
        String value = row[column.get(c)];
        if (value != null && !value.isBlank()) {
          r.symptoms.add(new String[] {value.trim(), null});
        }
      }
      for (Map.Entry<String, String> flag : source.historyFlags().entrySet()) {
        if (flags.values().isTrue(row[column.get(flag.getKey())])) {
          r.previousDiagnoses.add(flag.getValue());
        }
      }
      if (!flagAt.isEmpty()) {
        String bad = flags.read(flagLabels, flagSymptoms, flagAt.stream().map(c -> row[c]).toList(), r);
        if (bad != null) {
          records.add(RawRecord.malformed(line, payload, "row " + line + ": " + bad));
          continue;
        }
      }
      records.add(r);
    }
    return records;
  }

  /**
   * A file whose symptom-columns hold nothing but flag words (0/1, yes/no: a one-hot table mapped
   * as if each cell named a symptom) would give a model without symptoms, record by record
   * "unknown-symptom:1"; it is unreadable instead, with the way to map it. Numbers count with the
   * flag words (a stray 2 in a 0/1 table; no symptom is named by a number), but at least one
   * flag word must be there.
   */
  private static void refuseFlagsAsSymptomNames(List<String[]> rows, int width, Map<String, Integer> column,
      SourceSettings source) throws UnreadableFileException {
    if (source.symptomColumns().isEmpty()) {
      return;
    }
    java.util.Set<String> seen = flagValuesOnly(rows, width,
        source.symptomColumns().stream().map(column::get).toList(), source.symptomFlags().values());
    if (seen != null) {
      throw new UnreadableFileException("symptom-columns " + source.symptomColumns() + " hold flag values "
          + seen + (seen.size() == 10 ? " (and more)" : "") + ", not symptom names: map them with symptom-flags { columns { <column> = <symptom> } }"
          + " (or all-columns-except = [...]), see README \"Onboarding a source\"");
    }
  }

  /**
   * The same mistake with a symptom list column ({@code fields.symptoms}): a column whose every
   * non-blank cell is one flag value (0/1, yes/no) is a single symptom's flag, not a list of names.
   */
  private static void refuseFlagsAsSymptomList(List<String[]> rows, int width, Map<String, Integer> column,
      SourceSettings source) throws UnreadableFileException {
    String listColumn = source.fields().get(Field.SYMPTOMS);
    if (listColumn == null || SourceSettings.LINE_NUMBER.equals(listColumn)) {
      return;
    }
    java.util.Set<String> seen = flagValuesOnly(rows, width, List.of(column.get(listColumn)),
        source.symptomFlags().values());
    if (seen != null) {
      throw new UnreadableFileException("fields.symptoms column '" + listColumn + "' holds flag values " + seen
          + ", not lists of symptom names: a yes/no column per symptom is mapped with symptom-flags { columns { \""
          + listColumn + "\" = <symptom> } }, see README \"Onboarding a source\"");
    }
  }

  /**
   * The first 10 distinct values (trimmed) of the columns {@code at} when every non-blank cell of
   * them, in rows of the header's width, is a flag word or a number and at least one is a flag word;
   * otherwise null (a cell that names something, or no flag word at all).
   */
  private static java.util.Set<String> flagValuesOnly(List<String[]> rows, int width, List<Integer> at,
      FlagValues words) {
    java.util.Set<String> seen = new java.util.TreeSet<>();
    boolean anyFlag = false;
    for (int i = 1; i < rows.size(); i++) {
      String[] row = rows.get(i);
      if (row.length != width) {
        continue;
      }
      for (int c : at) {
        String v = row[c];
        if (v == null || v.isBlank()) {
          continue;
        }
        boolean flag = words.isFlagWord(v);
        if (!flag && !isNumber(v.trim())) {
          return null;
        }
        anyFlag |= flag;
        if (seen.size() < 10) {
          seen.add(v.trim());
        }
      }
    }
    return anyFlag ? seen : null;
  }

  private static boolean isNumber(String v) {
    try {
      new java.math.BigDecimal(v);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static void symptoms(String value, SourceSettings source, Pattern pattern, RawRecord r) {
    if (value == null || value.isBlank()) {
      return;
    }
    for (String item : value.split(Pattern.quote(source.symptomSeparator()))) {
      if (item.isBlank()) {
        continue;
      }
      Matcher m = pattern.matcher(item.trim());
      if (m.matches()) {
        r.symptoms.add(new String[] {m.group(1).trim(), m.groupCount() >= 2 ? m.group(2) : null});
      } else {
        r.symptoms.add(new String[] {item.trim(), null});
      }
    }
  }

  private static void list(String value, String separator, List<String> into) {
    if (value == null || value.isBlank()) {
      return;
    }
    for (String item : value.split(Pattern.quote(separator))) {
      if (!item.isBlank()) {
        into.add(item.trim());
      }
    }
  }
}
