package io.dxpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.dxpipe.config.ConfigurationException;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.DeclaredInputs;
import io.dxpipe.schema.Quarantine;
import io.dxpipe.spark.Rows;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Inputs declared in configuration (dxpipe.inputs) and a source's columns mapped to them: an ordinal
 * blood pressure category, a cholesterol level, a smoking status. Before, such columns had nowhere
 * to go (a "Low" blood pressure was a type mismatch against "120/80").
 */
class DeclaredInputsTest {

  private static final String DECLARED = "inputs {\n"
      + "  bp_category { type = ordinal, levels = [Low, Normal, High] }\n"
      + "  cholesterol_mg_dl { type = numeric }\n"
      + "  smoking { type = categorical }\n"
      + "}\n";

  private static DeclaredInputs declared(String block) {
    return DeclaredInputs.from(ConfigFactory.parseString(block));
  }

  private static SourceSettings csv(String inputs) {
    return SourceSettings.from("profiles", ConfigFactory.parseString("format = csv\n"
        + "fields { record-id = \"#line\", diagnosis = Disease, age = Age }\n"
        + "required = [record-id, diagnosis]\n" + inputs), declared(DECLARED));
  }

  private static RecordValidator.Result validate(SourceSettings s, RawRecord r) {
    return new RecordValidator(s, new byte[32], Map.of()).validate(r, new RecordValidator.Context(
        "file:/l/profiles/2026-11-25/f.csv", java.time.LocalDate.parse("2026-11-25"), "run", new java.sql.Timestamp(0)));
  }

  private static Map<Object, Object> inputs(Row bronze) {
    return Rows.javaMap(bronze.get(bronze.fieldIndex(Bronze.INPUTS)));
  }

  @Test
  void declaredInputsAreReadInNameOrderWithTheirTypesAndLowerCaseLevels() {
    DeclaredInputs d = declared(DECLARED);
    assertThat(d.names()).containsExactly("bp_category", "cholesterol_mg_dl", "smoking");
    assertThat(d.get("bp_category").type()).isEqualTo(DeclaredInputs.Type.ORDINAL);
    assertThat(d.get("bp_category").levels()).containsExactly("low", "normal", "high");
    assertThat(d.get("bp_category").level(" HIGH ")).isEqualTo(2);
    assertThat(d.numeric()).extracting(DeclaredInputs.Input::name).containsExactly("bp_category", "cholesterol_mg_dl");
    assertThat(d.categorical()).extracting(DeclaredInputs.Input::name).containsExactly("smoking");
    assertThat(declared("x = 1").isEmpty()).isTrue();
  }

  @Test
  void aWrongDeclarationIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> declared("inputs { Chol { type = numeric } }"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("dxpipe.inputs.Chol")
        .hasMessageContaining("lower-case letters");
    assertThatThrownBy(() -> declared("inputs { heart_rate { type = numeric } }"))
        .hasMessageContaining("'heart_rate' is a built-in column");
    assertThatThrownBy(() -> declared("inputs { chol { kind = numeric } }"))
        .hasMessageContaining("dxpipe.inputs.chol.kind is not a known key");
    assertThatThrownBy(() -> declared("inputs { chol {} }")).hasMessageContaining("dxpipe.inputs.chol.type is missing");
    assertThatThrownBy(() -> declared("inputs { chol { type = text } }")).hasMessageContaining("dxpipe.inputs.chol.type");
    assertThatThrownBy(() -> declared("inputs { bp { type = ordinal } }"))
        .hasMessageContaining("dxpipe.inputs.bp.levels must list at least two levels");
    assertThatThrownBy(() -> declared("inputs { bp { type = ordinal, levels = [low, LOW] } }"))
        .hasMessageContaining("names 'low' twice");
    assertThatThrownBy(() -> declared("inputs { bp { type = ordinal, levels = [low, \"it's high\"] } }"))
        .hasMessageContaining("'it's high' is not a level name");
    assertThatThrownBy(() -> declared("inputs { chol { type = numeric, levels = [a, b] } }"))
        .hasMessageContaining("levels is only for an ordinal input");
    assertThatThrownBy(() -> declared("inputs { chol = numeric }")).hasMessageContaining("must be an object");
  }

  @Test
  void aSourceMayMapOnlyDeclaredInputs() {
    assertThatThrownBy(() -> csv("inputs { cholesterol = \"Cholesterol Level\" }"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dxpipe.ingest.sources.profiles.inputs.cholesterol is not a declared input")
        .hasMessageContaining("declared: bp_category, cholesterol_mg_dl, smoking");
    assertThatThrownBy(() -> SourceSettings.from("p", ConfigFactory.parseString(
        "format = csv\nfields { record-id = \"#line\" }\ninputs { chol = C }"), DeclaredInputs.NONE))
        .hasMessageContaining("none is declared");
  }

  @Test
  void mappedColumnsReachBronzeNormalisedAndAWrongValueIsQuarantinedNamingInputAndColumn() throws Exception {
    SourceSettings s = csv("inputs { bp_category = \"Blood Pressure\", cholesterol_mg_dl = Chol, smoking = Smoker }");
    List<RawRecord> parsed = RecordParser.of(s.format()).parse(("Disease,Age,Blood Pressure,Chol,Smoker\n"
        + "flu,30,High,212.5,Former\n"
        + "cold,31,,,\n"
        + "asthma,32,normal, 180 ,no\n"
        + "flu,33,Very high,200,no\n"
        + "flu,34,low,two hundred,no\n").getBytes(StandardCharsets.UTF_8), s);
    assertThat(parsed).hasSize(5);

    Row first = validate(s, parsed.get(0)).bronze();
    assertThat(inputs(first)).containsExactlyInAnyOrderEntriesOf(
        Map.of("bp_category", "high", "cholesterol_mg_dl", "212.5", "smoking", "former"));
    assertThat(first.get(first.fieldIndex(Bronze.AGE))).isEqualTo(30);
    assertThat(inputs(validate(s, parsed.get(1)).bronze())).as("a record without any: null, as old rows").isNull();
    assertThat(inputs(validate(s, parsed.get(2)).bronze()))
        .containsExactlyInAnyOrderEntriesOf(Map.of("bp_category", "normal", "cholesterol_mg_dl", "180.0", "smoking", "no"));

    RecordValidator.Result level = validate(s, parsed.get(3));
    assertThat(level.reason()).isEqualTo(Quarantine.Reason.TYPE_MISMATCH);
    assertThat(level.explanation()).isEqualTo(
        "input bp_category 'Very high' is not one of its levels [low, normal, high] (mapped from Blood Pressure)");
    RecordValidator.Result number = validate(s, parsed.get(4));
    assertThat(number.reason()).isEqualTo(Quarantine.Reason.TYPE_MISMATCH);
    assertThat(number.explanation()).isEqualTo("input cholesterol_mg_dl 'two hundred' is not a number (mapped from Chol)");
  }

  @Test
  void aMappedColumnMissingFromTheHeaderMakesTheFileUnreadable() {
    SourceSettings s = csv("inputs { cholesterol_mg_dl = Chol }");
    assertThatThrownBy(() -> RecordParser.of(s.format()).parse("Disease,Age\nflu,3\n".getBytes(StandardCharsets.UTF_8), s))
        .isInstanceOf(RecordParser.UnreadableFileException.class).hasMessageContaining("[Chol]");
  }

  @Test
  void jsonSourcesMapInputsByPointerAndFlagColumnsForEveryOtherColumnLeaveInputColumnsAlone() throws Exception {
    SourceSettings json = SourceSettings.from("j", ConfigFactory.parseString("format = jsonl\n"
        + "fields { record-id = /id, diagnosis = /dx }\nrequired = [record-id]\n"
        + "inputs { cholesterol_mg_dl = /labs/chol, bp_category = /bp }"), declared(DECLARED));
    List<RawRecord> r = RecordParser.of(json.format()).parse(
        "{\"id\":\"a\",\"dx\":\"flu\",\"labs\":{\"chol\":190},\"bp\":\"LOW\"}\n".getBytes(StandardCharsets.UTF_8), json);
    assertThat(inputs(validate(json, r.get(0)).bronze()))
        .containsExactlyInAnyOrderEntriesOf(Map.of("cholesterol_mg_dl", "190.0", "bp_category", "low"));

    SourceSettings flags = csv("inputs { bp_category = BP }\nsymptom-flags.all-columns-except = []");
    List<RawRecord> f = RecordParser.of(flags.format()).parse(
        "Disease,Age,BP,Fever\nflu,30,High,Yes\n".getBytes(StandardCharsets.UTF_8), flags);
    assertThat(f.get(0).malformed).isNull();
    assertThat(f.get(0).symptoms).extracting(x -> x[0]).containsExactly("Fever");
    assertThat(f.get(0).inputs).containsEntry("bp_category", "High");
  }
}
