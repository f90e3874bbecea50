package io.dxpipe.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FlagTextTest {
  @Test
  void anHpoTermTakenAsItsAncestorIsSaidInWords() {
    assertThat(FlagText.describe("symptom-ancestor:HP:0001250->HP:0000707"))
        .isEqualTo("symptom 'HP:0001250' is not in the vocabulary: read as its broader term HP:0000707");
    assertThat(FlagText.describe("symptom-typo:feverr->fever")).isEqualTo("symptom 'feverr' read as 'fever'");
  }
}
