package io.dxpipe.config;

import com.typesafe.config.ConfigUtil;
import java.util.Map;
import java.util.TreeMap;

/** Spark master (empty = from spark-submit / the cluster) and extra Spark settings for all jobs. */
public record SparkSettings(String master, Map<String, String> conf) {

  static SparkSettings from(PipelineConfig config) {
    Keys keys = new Keys(config.dxpipe(), "spark");
    Map<String, String> conf = new TreeMap<>();
    keys.section("conf").entrySet().forEach(e ->
        conf.put(String.join(".", ConfigUtil.splitPath(e.getKey())), String.valueOf(e.getValue().unwrapped())));
    for (String key : conf.keySet()) {
      if (!key.startsWith("spark.")) {
        throw keys.invalid("conf", "holds '" + key + "', which is not a Spark setting (keys start with spark.; quote them: \"spark.x.y\" = 1)");
      }
    }
    return new SparkSettings(keys.string("master"), Map.copyOf(conf));
  }
}
