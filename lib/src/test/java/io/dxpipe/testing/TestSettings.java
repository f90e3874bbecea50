package io.dxpipe.testing;

import io.dxpipe.config.Settings;
import io.dxpipe.generate.GenerateSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Settings for tests: the repository's conf/local.conf plus key=value overrides. */
public final class TestSettings {
  private TestSettings() {}

  public static Settings load(String... overrides) {
    List<String> all = new ArrayList<>(List.of("generate.date=2026-11-25"));
    all.addAll(Arrays.asList(overrides));
    return Settings.load(Repo.root().resolve("conf/local.conf").toString(), all);
  }

  public static GenerateSettings generate(String... overrides) {
    return GenerateSettings.from(load(overrides).config());
  }
}
