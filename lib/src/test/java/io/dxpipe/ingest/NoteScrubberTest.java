package io.dxpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Identifiers written in forms the record does not spell, and clinical text that must survive. */
class NoteScrubberTest {
  private static RawRecord kwame() {
    return new RawRecord(1)
        .put(Field.PATIENT_ID, "P-0042")
        .put(Field.NATIONAL_ID, "999-54-4118")
        .put(Field.GIVEN_NAME, "Kwame")
        .put(Field.FAMILY_NAME, "Andersen")
        .put(Field.ADDRESS, "12 Oak Street");
  }

  private static String scrub(String note) {
    return NoteScrubber.scrub(note, kwame());
  }

  @ParameterizedTest
  @ValueSource(strings = {"999544118", "999 54 4118", "999-54-4118"})
  void theRecordsOwnNationalIdIsReplacedInAnySpelling(String id) {
    assertThat(scrub("SSN " + id + ", cough")).isEqualTo("SSN [ID], cough");
  }

  @ParameterizedTest
  @ValueSource(strings = {"123456789", "123 45 6789", "123-45-6789"})
  void anySsnShapedNumberIsReplaced(String id) {
    assertThat(scrub("brother's SSN " + id + ".")).isEqualTo("brother's SSN [ID].");
  }

  @Test
  void wholeAddressesAreReplacedWithCityStateAndZip() {
    assertThat(scrub("lives at 12 Oak Street, Springfield, IL 62704; cough"))
        .isEqualTo("lives at [ADDRESS]; cough");
    assertThat(scrub("works at 1600 Pennsylvania Ave NW, Washington, DC 20500."))
        .isEqualTo("works at [ADDRESS].");
    assertThat(scrub("moved from 7 Elm Court, Riverton 04101 last week"))
        .isEqualTo("moved from [ADDRESS] last week");
    assertThat(scrub("lives at 12 Oak Street, 62704 Springfield.")).isEqualTo("lives at [ADDRESS].");
  }

  @ParameterizedTest
  @ValueSource(strings = {"+49 30 1234567", "+1 (555) 123-4567", "+44 20 7946 0958", "0049 30 1234567"})
  void internationalPhoneNumbersAreReplaced(String phone) {
    assertThat(scrub("call " + phone + " if worse")).isEqualTo("call [PHONE] if worse");
  }

  @ParameterizedTest
  @ValueSource(strings = {"KwameAndersen", "AndersenKwame", "andersen,kwame", "Kwame.Andersen", "KWAME_ANDERSEN",
      "kwameandersen"})
  void namesRunTogetherAreReplaced(String name) {
    String scrubbed = scrub("login " + name + " noted");
    assertThat(scrubbed).isEqualTo("login [NAME] noted");
  }

  @Test
  void clinicalNumbersSurvive() {
    String note = "BP 120/80, temp 38.5, HR 110, RR 22, SpO2 97%, fever for 3 days since 2026-11-24; "
        + "paracetamol 500 mg q6h, 1000 ml IV over 2 h, WBC 12.5, weight 72.4 kg, seen at 09:30, 2 St John's wort tabs, "
        + "+2 kg in 3 days, 6 Minute Walk Test 410 m, 0.005 mg/kg, 100 mg then 200 mg at 0800, platelets 150000";
    assertThat(scrub(note)).isEqualTo(note);
  }

  @Test
  void clinicalNumbersSurviveNextToIdentifiers() {
    assertThat(scrub("KwameAndersen, BP 120/80, +49 30 1234567, temp 38.5 for 3 days (since 2026-11-24), 500 mg"))
        .isEqualTo("[NAME], BP 120/80, [PHONE], temp 38.5 for 3 days (since 2026-11-24), 500 mg");
  }
}
