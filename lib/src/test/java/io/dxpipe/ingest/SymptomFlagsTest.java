package io.dxpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.dxpipe.config.ConfigurationException;
import io.dxpipe.ingest.RecordParser.UnreadableFileException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One yes/no column per symptom (symptom-flags), and symptom-columns that hold such flags by mistake. */
class SymptomFlagsTest {

  private static SourceSettings source(String block) {
    return SourceSettings.from("onehot", ConfigFactory.parseString(block));
  }

  private static SourceSettings csv(String flags) {
    return source("format = csv\nfields { record-id = \"#line\", diagnosis = Disease, age = Age }\n"
        + "required = [record-id, diagnosis]\n" + flags);
  }

  private static List<RawRecord> parse(SourceSettings s, String text) throws UnreadableFileException {
    return RecordParser.of(s.format()).parse(text.getBytes(StandardCharsets.UTF_8), s);
  }

  private static List<String> symptoms(RawRecord r) {
    return r.symptoms.stream().map(x -> x[0]).toList();
  }

  @Test
  void trueCellsAddTheirColumnsSymptomFalseAndBlankOnesNothing() throws Exception {
    SourceSettings s = csv("symptom-flags.columns { Fever = fever, \"Chest pain\" = chest_pain, Cough = cough }");
    List<RawRecord> r = parse(s, "Disease,Age,Fever,Chest pain,Cough\n"
        + "flu,30,1,0,YES\n"
        + "angina,61,no,Present,\n"
        + "cold,5, 0 ,n,1.0\n");
    assertThat(r).hasSize(3).allSatisfy(x -> assertThat(x.malformed).isNull());
    assertThat(symptoms(r.get(0))).containsExactly("fever", "cough");
    assertThat(symptoms(r.get(1))).containsExactly("chest_pain");
    assertThat(symptoms(r.get(2))).containsExactly("cough");
    assertThat(r.get(0).symptoms.get(0)[1]).isNull();
    assertThat(r.get(1).get(Field.AGE)).isEqualTo("61");
  }

  @Test
  void aSourcesOwnWordsReplaceTheDefaults() throws Exception {
    SourceSettings s = csv("symptom-flags { columns { Fever = fever }, true = [X], false = [\"-\"] }");
    List<RawRecord> r = parse(s, "Disease,Age,Fever\nflu,30,x\nflu,31,-\nflu,32,1\nflu,33,\n");
    assertThat(symptoms(r.get(0))).containsExactly("fever");
    assertThat(r.get(1).malformed).isNull();
    assertThat(symptoms(r.get(1))).isEmpty();
    assertThat(r.get(2).malformed).contains("Fever = '1'");
    assertThat(r.get(3).malformed).as("blank is false only when false lists \"\"").contains("Fever = ''");
  }

  @Test
  void aValueNeitherTrueNorFalseMakesTheRecordMalformedNamingColumnValueAndAcceptedValues() throws Exception {
    SourceSettings s = csv("symptom-flags.columns { Fever = fever, Cough = cough }");
    List<RawRecord> r = parse(s, "Disease,Age,Fever,Cough\nflu,30,1,0\nflu,31,maybe,1\n");
    assertThat(r.get(0).malformed).isNull();
    assertThat(r.get(1).malformed).startsWith("row 3: ").contains("Fever = 'maybe'").doesNotContain("Cough =")
        .contains("true [1, yes, y, true, t, present, positive]").contains("false [0, no");
    assertThat(r.get(1).payload).isEqualTo("flu,31,maybe,1");
    RecordValidator.Result result = new RecordValidator(s, new byte[32], java.util.Map.of())
        .validate(r.get(1), new RecordValidator.Context("file:/l/onehot/2026-11-25/f.csv",
            java.time.LocalDate.parse("2026-11-25"), "run", new java.sql.Timestamp(0)));
    assertThat(result.reason()).isEqualTo(io.dxpipe.schema.Quarantine.Reason.MALFORMED_RECORD);
  }

  @Test
  void flagColumnsMissingFromTheHeaderMakeTheFileUnreadable() {
    SourceSettings s = csv("symptom-flags.columns { Fever = fever, Rash = skin_rash }");
    assertThatThrownBy(() -> parse(s, "Disease,Age,Fever\nflu,30,1\n"))
        .isInstanceOf(UnreadableFileException.class).hasMessageContaining("symptom-flags column(s) [Rash]");
    SourceSettings except = csv("symptom-flags.all-columns-except = [Patient]");
    assertThatThrownBy(() -> parse(except, "Disease,Age,Fever\nflu,30,1\n"))
        .isInstanceOf(UnreadableFileException.class).hasMessageContaining("[Patient]");
  }

  @Test
  void allColumnsExceptTakesEveryUnlistedUnmappedColumnByItsHeader() throws Exception {
    SourceSettings s = csv("symptom-flags { all-columns-except = [Gender], columns { \"Chest pain\" = chest_pain } }");
    List<RawRecord> r = parse(s, "Disease,Age,Gender,Fever,Chest pain,Skin Rash\n"
        + "flu,1,male,1,1,0\n"
        + "measles,0,female,yes,no,yes\n");
    // Disease and Age are mapped fields (values "flu", 1, 0 would be read as flags otherwise), Gender is listed
    assertThat(r).allSatisfy(x -> assertThat(x.malformed).isNull());
    assertThat(symptoms(r.get(0))).containsExactly("Fever", "chest_pain");
    assertThat(symptoms(r.get(1))).containsExactly("Fever", "Skin Rash");
    assertThat(r.get(1).get(Field.AGE)).isEqualTo("0");
    assertThat(r.get(1).get(Field.DIAGNOSIS)).isEqualTo("measles");
  }

  @Test
  void anUnnamedColumnUnderAllColumnsExceptIsNamedInTheReason() throws Exception {
    SourceSettings s = csv("symptom-flags.all-columns-except = []");
    assertThatThrownBy(() -> parse(s, ",Disease,Age,Fever\n0,flu,1,1\n")).isInstanceOf(UnreadableFileException.class)
        .hasMessageContaining("column(s) [1]").hasMessageContaining("no name");
    SourceSettings listed = csv("symptom-flags.all-columns-except = [\"\"]");
    assertThat(symptoms(parse(listed, ",Disease,Age,Fever\n0,flu,1,1\n").get(0))).containsExactly("Fever");
  }

  @Test
  void historyFlagsShareTheTrueWords() throws Exception {
    SourceSettings s = csv("history-flags { Hx_Asthma = bronchial_asthma }\n"
        + "symptom-flags { columns { Fever = fever }, true = [positive, 1], false = [negative, 0, \"\"] }");
    List<RawRecord> r = parse(s, "Disease,Age,Fever,Hx_Asthma\nflu,30,positive,positive\nflu,30,1,yes\n");
    assertThat(r.get(0).previousDiagnoses).containsExactly("bronchial_asthma");
    assertThat(r.get(1).previousDiagnoses).as("'yes' is not a true word of this source").isEmpty();
    SourceSettings defaults = csv("history-flags { Hx_Asthma = bronchial_asthma }");
    assertThat(parse(defaults, "Disease,Age,Hx_Asthma\nflu,30,Y\nflu,30,no\n").get(0).previousDiagnoses)
        .containsExactly("bronchial_asthma");
  }

  @Test
  void theBlockIsChecked() {
    assertThatThrownBy(() -> csv("symptom-flags { columns { Fever = fever }, truth = [1] }"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unknown key 'dxpipe.ingest.sources.onehot.symptom-flags.truth'");
    assertThatThrownBy(() -> csv("symptom-flags { true = [1] }")).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("needs columns");
    assertThatThrownBy(() -> csv("symptom-flags { columns { Fever = fever }, true = [1, yes], false = [YES, 0] }"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("both list [yes]");
    assertThatThrownBy(() -> csv("symptom-flags.columns { Disease = fever }")).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Disease (fields.diagnosis)");
    assertThatThrownBy(() -> source("format = jsonl\nfields { record-id = \"/id\" }\nsymptom-flags.all-columns-except = []"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("all-columns-except is for csv sources");
    assertThatThrownBy(() -> source("format = jsonl\nfields { record-id = \"/id\" }\nsymptom-flags.columns { fever = fever }"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("is not a JSON pointer");
    assertThatThrownBy(() -> source("format = fhir\nsymptom-flags.columns { fever = fever }"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("not fhir");
  }

  @Test
  void jsonFlagsAreReadAtPointersAsBooleansNumbersOrWords() throws Exception {
    SourceSettings s = source("format = jsonl\nfields { record-id = \"/id\", diagnosis = \"/dx\" }\n"
        + "symptom-flags.columns { \"/fever\" = fever, \"/signs/cough\" = cough, \"/rash\" = skin_rash }");
    List<RawRecord> r = parse(s, "{\"id\":1,\"dx\":\"flu\",\"fever\":true,\"signs\":{\"cough\":1},\"rash\":\"no\"}\n"
        + "{\"id\":2,\"dx\":\"flu\",\"fever\":false,\"rash\":null}\n"
        + "{\"id\":3,\"dx\":\"flu\",\"fever\":\"sometimes\"}\n");
    assertThat(symptoms(r.get(0))).containsExactlyInAnyOrder("fever", "cough");
    assertThat(r.get(1).malformed).isNull();
    assertThat(symptoms(r.get(1))).isEmpty();
    assertThat(r.get(2).malformed).contains("/fever = 'sometimes'");
  }

  @Test
  void symptomColumnsHoldingOnlyFlagValuesMakeTheFileUnreadable() throws Exception {
    SourceSettings s = csv("symptom-columns = [Fever, Cough]");
    assertThatThrownBy(() -> parse(s, "Disease,Age,Fever,Cough\nflu,30,1,0\ncold,4,0,\nflu,2,Yes,no\n"))
        .isInstanceOf(UnreadableFileException.class)
        .hasMessageContaining("symptom-columns [Fever, Cough] hold flag values")
        .hasMessageContaining("not symptom names: map them with symptom-flags");
    assertThatThrownBy(() -> parse(s, "Disease,Age,Fever,Cough\nflu,30,1,2\n")).as("a stray number beside flags")
        .isInstanceOf(UnreadableFileException.class).hasMessageContaining("hold flag values [1, 2]");
    assertThat(parse(s, "Disease,Age,Fever,Cough\nflu,30,2,3\n").get(0).malformed).as("numbers alone are no flags").isNull();
    // symptom names, even beside a stray 0, are read as today
    List<RawRecord> names = parse(s, "Disease,Age,Fever,Cough\nflu,30,high_fever,0\ncold,4,,cough\n");
    assertThat(symptoms(names.get(0))).containsExactly("high_fever", "0");
    assertThat(symptoms(names.get(1))).containsExactly("cough");
    // all blank: nothing to judge
    assertThat(parse(s, "Disease,Age,Fever,Cough\nflu,30,,\n")).hasSize(1);
  }

  @Test
  void aSymptomListColumnHoldingOnlyFlagValuesMakesTheFileUnreadable() throws Exception {
    SourceSettings s = source("format = csv\nfields { record-id = \"#line\", diagnosis = Disease, symptoms = Fever }\n"
        + "required = [record-id, diagnosis]");
    assertThatThrownBy(() -> parse(s, "Disease,Fever\nflu,1\ncold,0\nflu,yes\n"))
        .isInstanceOf(UnreadableFileException.class)
        .hasMessageContaining("fields.symptoms column 'Fever' holds flag values [0, 1, yes]")
        .hasMessageContaining("symptom-flags { columns { \"Fever\" = <symptom> } }");
    // a list of names, with or without severities, is read as before
    List<RawRecord> lists = parse(s, "Disease,Fever\nflu,high_fever (3); cough\ncold,0\n");
    assertThat(symptoms(lists.get(0))).containsExactly("high_fever", "cough");
  }
}
