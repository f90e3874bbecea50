package io.dxpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HpoCasesParserTest {
  private static final SourceSettings SOURCE = SourceSettings.from("published_cases",
      ConfigFactory.parseString("format = hpo-cases"));

  private static List<RawRecord> parse(String text) throws Exception {
    return RecordParser.of(SourceFormat.HPO_CASES).parse(text.getBytes(StandardCharsets.UTF_8), SOURCE);
  }

  @Test
  void oneCasePerLineItsIdsAsSymptomsAndAStableIdOfItsOwn() throws Exception {
    List<RawRecord> records = parse("\uFEFF# published cases, one per line\n"
        + "HP:0001250 HP:0001263\tHP:0000252\n"
        + "\n"
        + "hp:0001250, HP_0001263; HP:0001250\r\n"
        + "HP:0001263 HP:0000252 HP:0001250\n");
    assertThat(records).hasSize(3);
    RawRecord first = records.get(0);
    assertThat(first.malformed).isNull();
    assertThat(first.index).isEqualTo(2);
    assertThat(first.symptoms).extracting(s -> s[0]).containsExactly("HP:0001250", "HP:0001263", "HP:0000252");
    assertThat(first.symptoms).allSatisfy(s -> assertThat(s[1]).isNull());
    assertThat(first.get(Field.RECORD_ID)).matches("case-2-[0-9a-f]{12}");
    // the forms sources write ids in, repeats kept once
    assertThat(records.get(1).symptoms).extracting(s -> s[0]).containsExactly("HP:0001250", "HP:0001263");
    // the same ids in another order on another line: another line, the same digest
    assertThat(records.get(2).get(Field.RECORD_ID)).isEqualTo(first.get(Field.RECORD_ID).replace("case-2-", "case-5-"));
    assertThat(parse("HP:0001250 HP:0001263\tHP:0000252\n").get(0).get(Field.RECORD_ID))
        .isEqualTo(first.get(Field.RECORD_ID).replace("case-2-", "case-1-"));
    // a case needs nothing but its record id
    assertThat(SOURCE.required()).containsExactly(Field.RECORD_ID);
  }

  @Test
  void aLineWithAnythingButHpoIdsIsMalformedNamingTheToken() throws Exception {
    List<RawRecord> records = parse("HP:0001250 seizures\nHP:0001250 ORPHA:558\n" + "HP:0001250 ".repeat(1)
        + String.join(" ", java.util.stream.IntStream.range(1, 501).mapToObj(i -> String.format("HP:%07d", i)).toList()) + "\n");
    assertThat(records).hasSize(3);
    assertThat(records.get(0).malformed).isEqualTo("line 1: 'seizures' is not an HPO id (a case file holds one case per "
        + "line, HPO ids such as HP:0001250 and nothing else)");
    assertThat(records.get(1).malformed).startsWith("line 2: 'ORPHA:558' is not an HPO id");
    assertThat(records.get(2).malformed).isEqualTo("line 3: 501 HPO ids, more than 500 (is this one case?)");
    assertThatThrownBy(() -> RecordParser.of(SourceFormat.HPO_CASES).parse(new byte[] {(byte) 0xC3, 0x28}, SOURCE))
        .isInstanceOf(RecordParser.UnreadableFileException.class).hasMessageContaining("not UTF-8");
  }
}
