package io.dxpipe.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one CSV reader: quoting as CsvLine writes it, comments only where the file is the project's own. */
class CsvTextTest {
  @Test
  void quotedCommasQuotesAndLineBreaksRoundTripWithCsvLine() {
    List<String> values = List.of("pain, chest", "say \"ah\"", "two\nlines", "plain");
    assertThat(CsvText.rows(CsvLine.join(values), CsvText.Comments.DATA)).singleElement()
        .satisfies(row -> assertThat(row).containsExactlyElementsOf(values));
  }

  @Test
  void hashLinesAreCommentsInTheProjectsFilesButDataInASourcesFile() {
    String text = "id,name\n#1,first\n2,second\n";
    assertThat(CsvText.rows(text, CsvText.Comments.SKIPPED)).hasSize(2);
    // (univocity's default: a clinic's record with id "#1" was dropped without a trace)
    assertThat(CsvText.rows(text, CsvText.Comments.DATA)).hasSize(3)
        .anySatisfy(row -> assertThat(row).containsExactly("#1", "first"));
  }
}
