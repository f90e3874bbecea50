package io.dxpipe.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.dxpipe.testing.MemoryTracking;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChallengerRegistrationTest {
  @Test
  void registersTheRunsModelArtifactAsANewVersionWithTheAliasChallenger() {
    MemoryTracking tracking = new MemoryTracking();
    String first = tracking.startRun("exp", "train 1", null, Map.of());
    String second = tracking.startRun("exp", "train 2", null, Map.of());
    assertThat(ChallengerRegistration.register(tracking, tracking, tracking, "clf", first, "one")).isEqualTo(1);
    assertThat(ChallengerRegistration.register(tracking, tracking, tracking, "clf", second, "two")).isEqualTo(2);
    assertThat(tracking.alias("clf", "challenger")).contains(2);
    assertThat(tracking.version("clf", 2).source()).isEqualTo("memory:/" + second + "/artifacts/model");
    assertThat(tracking.version("clf", 2).description()).isEqualTo("two");
    assertThat(tracking.tags(second)).containsEntry("dxpipe.registered_version", "2");
    assertThat(tracking.tags(first)).containsEntry("dxpipe.registered_version", "1");
  }
}
