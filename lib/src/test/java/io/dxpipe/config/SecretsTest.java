package io.dxpipe.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretsTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "wasb://c@a.blob.core.windows.net/x?sv=2022&sig=SECRET/landing|wasb://c@a.blob.core.windows.net/x?sv=2022&sig=****",
      "https://user:SECRET@host:5000/api|https://user:****@host:5000/api",
      "https://user:p@SECRET@host|https://user:****@host",
      "'abfss://c@a.dfs.core.windows.net/x?se=2030&SIG=SECRET%2B1'|'abfss://c@a.dfs.core.windows.net/x?se=2030&SIG=****'",
      "https://h/cb?code=SECRET&state=1|https://h/cb?code=****&state=1",
      "https://h/?access_token=SECRET|https://h/?access_token=****",
      "https://h/?api_key=SECRET#top|https://h/?api_key=****#top",
      "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=SECRET;EndpointSuffix=x"
          + "|DefaultEndpointsProtocol=https;AccountName=a;AccountKey=****;EndpointSuffix=x",
      "argument ingest.patient-key=SECRET failed|argument ingest.patient-key=**** failed",
      "\"jdbc:postgresql://h/db?user=u&password=SECRET\"|\"jdbc:postgresql://h/db?user=u&password=****\""})
  void credentialsAreMasked(String text, String masked) {
    assertThat(Secrets.mask(text)).isEqualTo(masked).doesNotContain("SECRET");
  }

  @ParameterizedTest
  @ValueSource(strings = {"wasb://c@a.blob.core.windows.net/x/landing", "abfss://raw@acct.dfs.core.windows.net/dx",
      "http://localhost:5000", "file:/data/dxpipe", "dxpipe.monitor.signal.exit-code = 3",
      "dxpipe.generate.records = 1500", "user@example.org", "https://h/?sv=2022&se=2030&sp=r",
      "dxpipe.ingest.sources = [clinic-csv, ehr-json]"})
  void everythingElseIsLeftAlone(String text) {
    assertThat(Secrets.mask(text)).isEqualTo(text);
  }
}
