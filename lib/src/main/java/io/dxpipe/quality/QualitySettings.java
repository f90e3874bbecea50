package io.dxpipe.quality;

import com.typesafe.config.Config;
import io.dxpipe.config.ConfigurationException;
import io.dxpipe.config.Keys;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The check groups configured per table ({@code dxpipe.quality.tables.<table>}). */
public record QualitySettings(Map<String, List<CheckGroup>> tables) {

  public static QualitySettings from(Config dxpipe) {
    Config tablesConfig = dxpipe.getConfig("quality.tables");
    Map<String, List<CheckGroup>> tables = new LinkedHashMap<>();
    for (String table : tablesConfig.root().keySet()) {
      String prefix = "dxpipe.quality.tables." + table;
      List<CheckGroup> groups = new ArrayList<>();
      Set<String> names = new HashSet<>();
      List<? extends Config> groupConfigs = Keys.of(tablesConfig, "dxpipe.quality.tables").objects(table);
      for (int g = 0; g < groupConfigs.size(); g++) {
        String groupPrefix = prefix + "[" + g + "]";
        Keys keys = Keys.of(groupConfigs.get(g), groupPrefix);
        keys.allowOnly(Set.of("group", "severity", "checks"));
        List<Check> checks = new ArrayList<>();
        List<? extends Config> checkConfigs = keys.objects("checks");
        for (int c = 0; c < checkConfigs.size(); c++) {
          Check check = Checks.fromConfig(checkConfigs.get(c), groupPrefix + ".checks[" + c + "]");
          if (!names.add(check.name())) {
            throw new ConfigurationException(groupPrefix + ".checks[" + c + "]: a second check named '" + check.name()
                + "' on table " + table + ": give one of them a distinct name = ...");
          }
          checks.add(check);
        }
        groups.add(new CheckGroup(keys.nonEmptyString("group"), keys.enumValue("severity", Severity.class),
            List.copyOf(checks)));
      }
      tables.put(table, List.copyOf(groups));
    }
    return new QualitySettings(Map.copyOf(tables));
  }

  /** The suite of a table (empty when no checks are configured for it). */
  public QualitySuite suite(String table) {
    return new QualitySuite(table, tables.getOrDefault(table, List.of()));
  }
}
