package io.dxpipe.io;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.StringReader;
import java.util.List;

/**
 * The one CSV reader of the project: univocity, the parser behind Spark's own CSV source (RFC 4180
 * quoting, commas and line breaks inside quotes, doubled quotes), for landing files and for the
 * project's own tables (vocabularies, the catalogue's curated files, the Kaggle table) alike.
 * {@link CsvLine} writes what this reads.
 */
public final class CsvText {
  private CsvText() {}

  /** Whether lines starting with '#' are comments: in the project's files, never in a source's data. */
  public enum Comments { SKIPPED, DATA }

  public static CsvParserSettings settings(Comments comments) {
    CsvParserSettings settings = new CsvParserSettings();
    settings.setMaxCharsPerColumn(1_000_000);
    settings.setMaxColumns(2048);
    settings.setEmptyValue("");
    settings.setNullValue("");
    settings.getFormat().setLineSeparator("\n");
    settings.setLineSeparatorDetectionEnabled(true);
    // univocity skips '#' lines by default: in a source's data that would drop a record silently
    settings.getFormat().setComment(comments == Comments.SKIPPED ? '#' : '\0');
    settings.setSkipEmptyLines(true);
    return settings;
  }

  /** The fields of one CSV line (an empty line has one empty field). */
  public static List<String> fields(String line) {
    List<String[]> rows = rows(line, Comments.DATA);
    return rows.isEmpty() ? List.of("") : List.of(rows.get(0));
  }

  /** A row with the line it starts on (1-based), for messages that point at it. */
  public record Line(long number, String[] values) {}

  /** Every row with its line number, the header first. */
  public static List<Line> lines(String text, Comments comments) {
    CsvParser parser = new CsvParser(settings(comments));
    parser.beginParsing(new StringReader(text));
    List<Line> lines = new java.util.ArrayList<>();
    String[] row;
    while ((row = parser.parseNext()) != null) {
      lines.add(new Line(parser.getContext().currentLine(), row));
    }
    return lines;
  }

  /** Every row, the header first. */
  public static List<String[]> rows(String text, Comments comments) {
    return new CsvParser(settings(comments)).parseAll(new StringReader(text));
  }
}
