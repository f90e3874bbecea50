package io.dxpipe.ingest;

import io.dxpipe.io.CsvLine;
import io.dxpipe.io.CsvText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CSV sources mapped by configuration: a header row, then one record per row; each canonical field
 * is read from the column the source's {@code fields} block names. Symptoms come from one column
 * holding a list ("fever (7); cough (3)", split by {@code symptom-separator}, name and severity by
 * {@code symptom-pattern}) or from several columns ({@code symptom-columns}); yes/no history
 * columns from {@code history-flags}. Parsing uses univocity, Spark's own CSV parser (quotes,
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
    if (!missing.isEmpty()) {
      throw new UnreadableFileException("header lacks the mapped column(s) " + missing + "; header is "
          + Arrays.toString(header));
    }
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
      for (String c : source.symptomColumns()) {
        String value = row[column.get(c)];
        if (value != null && !value.isBlank()) {
          r.symptoms.add(new String[] {value.trim(), null});
        }
      }
      for (Map.Entry<String, String> flag : source.historyFlags().entrySet()) {
        String value = row[column.get(flag.getKey())];
        if (value != null && List.of("yes", "y", "true", "1").contains(value.trim().toLowerCase(Locale.ROOT))) {
          r.previousDiagnoses.add(flag.getValue());
        }
      }
      records.add(r);
    }
    return records;
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
