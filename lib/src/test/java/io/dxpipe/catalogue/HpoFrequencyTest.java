package io.dxpipe.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HpoFrequencyTest {
  @Test
  void fractions() {
    assertThat(HpoFrequency.parse("7/8").getAsDouble()).isEqualTo(0.875);
    assertThat(HpoFrequency.parse("1/1").getAsDouble()).isEqualTo(1.0);
    assertThat(HpoFrequency.parse(" 28/55 ").getAsDouble()).isEqualTo(28 / 55.0);
  }

  @Test
  void percentages() {
    assertThat(HpoFrequency.parse("45%").getAsDouble()).isEqualTo(0.45);
    assertThat(HpoFrequency.parse("12.5%").getAsDouble()).isEqualTo(0.125);
  }

  @Test
  void frequencyTermsMapToTheMidpointOfTheirRange() {
    assertThat(HpoFrequency.parse("HP:0040281").getAsDouble()).isEqualTo(0.895); // very frequent 80-99%
    assertThat(HpoFrequency.parse("HP:0040283").getAsDouble()).isEqualTo(0.17); // occasional 5-29%
    assertThat(HpoFrequency.parse("HP:0040285").getAsDouble()).isEqualTo(0.0); // excluded
  }

  @Test
  void missingIsEmptyNotZero() {
    assertThat(HpoFrequency.parse("")).isEmpty();
    assertThat(HpoFrequency.parse(null)).isEmpty();
  }

  @Test
  void garbageFailsWithTheValue() {
    assertThatThrownBy(() -> HpoFrequency.parse("often")).hasMessageContaining("'often'");
    assertThatThrownBy(() -> HpoFrequency.parse("3/0")).hasMessageContaining("zero denominator");
  }

  @Test
  void orphanetClasses() {
    assertThat(HpoFrequency.parseOrphanetClass("Very frequent (99-80%)").getAsDouble()).isEqualTo(0.895);
    assertThat(HpoFrequency.parseOrphanetClass("Frequent (79-30%)").getAsDouble()).isEqualTo(0.545);
    assertThat(HpoFrequency.parseOrphanetClass("Occasional (29-5%)").getAsDouble()).isEqualTo(0.17);
    assertThatThrownBy(() -> HpoFrequency.parseOrphanetClass("Sometimes")).hasMessageContaining("'Sometimes'");
  }
}
