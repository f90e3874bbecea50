package io.dxpipe.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dxpipe.config.ConfigurationException;
import io.dxpipe.testing.TestSettings;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class MlflowSettingsTest {
  private static MlflowSettings load(String uri) {
    return MlflowSettings.from(TestSettings.load("mlflow.tracking-uri=\"" + uri + "\"").config().dxpipe());
  }

  @Test
  void aFileStoreUriIsRefusedNamingTheLocalServer() {
    for (String uri : new String[] {"file:./mlruns", "file:///tmp/mlruns"}) {
      assertThatThrownBy(() -> load(uri)).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("dxpipe.mlflow.tracking-uri").hasMessageContaining(uri)
          .hasMessageContaining("MLflow 3 refuses").hasMessageContaining("scripts/run-local.sh");
    }
  }

  @Test
  void serversAndDatabricksAreTakenAndOtherSchemesRefused() {
    assertThat(load("http://127.0.0.1:5055").trackingUri()).isEqualTo("http://127.0.0.1:5055");
    assertThat(load("databricks").trackingUri()).isEqualTo("databricks");
    assertThatThrownBy(() -> load("sqlite:///x.db")).hasMessageContaining("must be http(s)://host:port or databricks");
  }

  @Test
  void noUriIsFineUntilSomethingLogsToMlflow() {
    MlflowSettings none = load("");
    assertThatThrownBy(() -> Tracking.open(none, new Configuration()))
        .hasMessageContaining("tracking-uri is empty").hasMessageContaining("scripts/run-local.sh");
    assertThatThrownBy(() -> MlflowSettings.requiringTracking(
        TestSettings.load("mlflow.tracking-uri=\"\"").config().dxpipe()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("dxpipe.mlflow.tracking-uri")
        .hasMessageContaining("MLFLOW_TRACKING_URI");
  }
}
