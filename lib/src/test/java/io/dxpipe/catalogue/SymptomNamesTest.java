package io.dxpipe.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SymptomNamesTest {
  @Test
  void kaggleQuirksBecomeCanonicalCodes() {
    assertThat(SymptomNames.code(" dischromic _patches")).isEqualTo("dischromic_patches");
    assertThat(SymptomNames.code(" spotting_ urination")).isEqualTo("spotting_urination");
    assertThat(SymptomNames.code("toxic_look_(typhos)")).isEqualTo("toxic_look_typhos");
  }

  @Test
  void hpoLabelsBecomeCodes() {
    assertThat(SymptomNames.code("Muscle weakness")).isEqualTo("muscle_weakness");
    assertThat(SymptomNames.code("High, narrow palate")).isEqualTo("high_narrow_palate");
  }

  @Test
  void matchKeyIgnoresLostUnderscores() {
    assertThat(SymptomNames.matchKey("foul_smell_ofurine")).isEqualTo(SymptomNames.matchKey("foul_smell_of_urine"));
  }

  @Test
  void emptyNamesAreRejected() {
    assertThatThrownBy(() -> SymptomNames.code(" _ ")).hasMessageContaining("' _ '");
  }
}
