package io.dxpipe.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.io.File;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The effective configuration of a job: {@code reference.conf} defaults, the environment file given
 * with {@code --conf}, environment-variable overrides ({@code CONFIG_FORCE_...}), JVM system
 * properties and {@code key=value} arguments, in increasing priority. Loaded once on the driver;
 * validated at load time (unknown keys, unresolved substitutions), then read into typed settings
 * records that fail with a message naming the key.
 */
public final class PipelineConfig {
  public static final String ROOT = "dxpipe";

  /**
   * Free-form subtrees whose keys are not declared in reference.conf (the gate's threshold maps are
   * keyed by metric name and checked by GateSettings).
   */
  private static final Set<String> OPEN_SECTIONS = Set.of("dxpipe.spark.conf", "dxpipe.ingest.sources", "dxpipe.inputs",
      "dxpipe.validate.min", "dxpipe.validate.max", "dxpipe.validate.max-drop-vs-champion");

  private final Config config;
  private final String source;

  private PipelineConfig(Config config, String source) {
    this.config = config;
    this.source = source;
  }

  /**
   * @param confFile a file path, or the name of a file bundled in the jar under {@code conf/}
   *     ({@code local}, {@code databricks}, {@code hdinsight}); null for reference defaults only
   * @param overrides {@code key=value} strings; keys may omit the {@code dxpipe.} prefix
   */
  public static PipelineConfig load(String confFile, List<String> overrides) {
    ConfigParseOptions strict = ConfigParseOptions.defaults().setAllowMissing(false);
    ConfigFactory.invalidateCaches(); // system properties are read now, not when first cached
    Config reference = ConfigFactory.parseResources(PipelineConfig.class.getClassLoader(), "reference.conf", strict);
    Config file = ConfigFactory.empty();
    String source = "reference.conf";
    if (confFile != null) {
      File f = new File(confFile);
      if (f.isFile()) {
        file = parse(() -> ConfigFactory.parseFile(f, strict), confFile);
        source = f.getPath();
      } else {
        String resource = "conf/" + (confFile.endsWith(".conf") ? confFile : confFile + ".conf");
        URL bundled = PipelineConfig.class.getClassLoader().getResource(resource);
        if (bundled == null) {
          throw new ConfigurationException("--conf " + confFile + ": no such file, and no configuration of that name is "
              + "bundled in the jar (bundled: local, databricks, hdinsight)");
        }
        file = parse(() -> ConfigFactory.parseURL(bundled, strict), confFile);
        source = "bundled " + resource;
      }
    }
    Config args = ConfigFactory.empty();
    for (String override : overrides) {
      int eq = override.indexOf('=');
      if (eq <= 0) {
        throw new ConfigurationException("override '" + Secrets.mask(override) + "' is not key=value");
      }
      String key = override.substring(0, eq).trim();
      String path = key.startsWith(ROOT + ".") ? key : ROOT + "." + key;
      String value = override.substring(eq + 1);
      // the origin names the key only: error messages quote it (unknown key, wrong type), and the value may be a secret
      ConfigParseOptions origin = ConfigParseOptions.defaults().setOriginDescription("argument " + key);
      try {
        args = ConfigFactory.parseString(path + " = " + quoteIfNeeded(value), origin).withFallback(args);
      } catch (ConfigException e) {
        String problem = e.getMessage().replace(origin.getOriginDescription() + ": 1: ", "");
        throw new ConfigurationException("cannot parse the value of " + path + (Secrets.isSecretKey(path)
            ? " (argument " + key + "; the value is not shown: a secret key). Quote it: " + key + "='\"...\"'"
            : " (argument " + Secrets.mask(override) + "): " + Secrets.mask(problem)), e);
      }
    }
    Config merged = flatSparkConf(args)
        .withFallback(flatSparkConf(ConfigFactory.systemProperties().withOnlyPath(ROOT)))
        .withFallback(flatSparkConf(ConfigFactory.systemEnvironmentOverrides()))
        .withFallback(flatSparkConf(file))
        .withFallback(flatSparkConf(reference));
    Config resolved;
    try {
      resolved = merged.resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(true));
    } catch (ConfigException.UnresolvedSubstitution e) {
      throw new ConfigurationException(unresolvedMessage(e, source), e);
    }
    rejectUnknownKeys(resolved, reference, source);
    rejectWrongTypes(resolved, reference);
    return new PipelineConfig(resolved, source);
  }

  /**
   * Spark settings are written either quoted ({@code "spark.sql.shuffle.partitions" = 8}, one key)
   * or as a path ({@code -Ddxpipe.spark.conf.spark.sql.shuffle.partitions=4}, nested objects). Each
   * layer is rewritten to the quoted form before merging, so a higher layer replaces a lower one
   * whichever form each uses.
   */
  private static Config flatSparkConf(Config layer) {
    String path = ROOT + ".spark.conf";
    if (!layer.hasPathOrNull(path) || !(layer.getValue(path) instanceof ConfigObject object)) {
      return layer;
    }
    Map<String, ConfigValue> flat = new java.util.TreeMap<>();
    flatten("", object, flat);
    return layer.withoutPath(path).withValue(path, ConfigValueFactory.fromMap(flat));
  }

  private static void flatten(String prefix, ConfigObject object, Map<String, ConfigValue> flat) {
    for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue() instanceof ConfigObject child) {
        flatten(key, child, flat);
      } else {
        flat.put(key, e.getValue());
      }
    }
  }

  private static Config parse(java.util.function.Supplier<Config> parser, String what) {
    try {
      return parser.get();
    } catch (ConfigException e) {
      throw new ConfigurationException("cannot parse configuration " + what + ": " + Secrets.mask(e.getMessage()), e);
    }
  }

  private static String quoteIfNeeded(String value) {
    String v = value.trim();
    if (v.matches("-?\\d+(\\.\\d+)?") || v.equals("true") || v.equals("false") || v.startsWith("\"")
        || v.startsWith("[") || v.startsWith("{")) {
      return v;
    }
    return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private static String unresolvedMessage(ConfigException.UnresolvedSubstitution e, String source) {
    if (e.getMessage().contains("dxpipe.storage.root")) {
      return "dxpipe.storage.root is not set: set storage.root in " + source
          + " or the environment variable DXPIPE_STORAGE_ROOT (a URI such as file:/data/dxpipe or abfss://...)";
    }
    return "configuration " + source + " refers to a value that is not set: " + Secrets.mask(e.getMessage());
  }

  private static void rejectUnknownKeys(Config resolved, Config reference, String source) {
    if (!resolved.hasPath(ROOT)) {
      return;
    }
    Set<String> known = reference.getConfig(ROOT).entrySet().stream()
        .map(e -> ROOT + "." + e.getKey()).collect(Collectors.toSet());
    Set<String> knownParents = new TreeSet<>();
    for (String k : known) {
      for (int i = k.indexOf('.'); i > 0; i = k.indexOf('.', i + 1)) {
        knownParents.add(k.substring(0, i));
      }
    }
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : resolved.getConfig(ROOT).entrySet()) {
      String key = ROOT + "." + e.getKey();
      if (known.contains(key) || OPEN_SECTIONS.stream().anyMatch(s -> key.startsWith(s + "."))) {
        continue;
      }
      String parent = key.substring(0, key.lastIndexOf('.'));
      while (!knownParents.contains(parent) && parent.contains(".")) {
        parent = parent.substring(0, parent.lastIndexOf('.'));
      }
      String prefix = parent + ".";
      String siblings = known.stream().filter(k -> k.startsWith(prefix))
          .map(k -> k.substring(prefix.length()).split("\\.")[0]).distinct().sorted()
          .collect(Collectors.joining(", "));
      // the key and where it was set, never its value: a mistyped secret key holds a secret
      unknown.add("unknown configuration key '" + key + "' (" + e.getValue().origin().description()
          + "); keys under " + parent + ": " + siblings);
    }
    if (!unknown.isEmpty()) {
      throw new ConfigurationException(String.join("\n", unknown));
    }
  }

  /**
   * Every key whose default in reference.conf is a number or a boolean must be one (numbers written
   * as strings, as environment variables and system properties are, count), and keys named
   * {@code *-bytes} must be sizes of at least 0 bytes: settings classes that read the config
   * directly then never meet a wrong type, and the error names the key at start-up.
   */
  private static void rejectWrongTypes(Config resolved, Config reference) {
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : reference.getConfig(ROOT).entrySet()) {
      String path = ROOT + "." + e.getKey();
      if (path.startsWith(ROOT + ".spark.conf.") || !resolved.hasPath(path)) {
        continue; // Spark checks its own settings
      }
      com.typesafe.config.ConfigValueType expected;
      try {
        expected = e.getValue().valueType();
      } catch (ConfigException.NotResolved unresolved) {
        continue; // a substitution: its type is whatever it refers to
      }
      String problem = null;
      try {
        if (path.endsWith("-bytes")) {
          problem = resolved.getBytes(path) < 0 ? "must be a size in bytes of at least 0" : null;
        } else if (expected == com.typesafe.config.ConfigValueType.NUMBER) {
          resolved.getDouble(path);
        } else if (expected == com.typesafe.config.ConfigValueType.BOOLEAN) {
          resolved.getBoolean(path);
        }
      } catch (ConfigException.WrongType | ConfigException.BadValue bad) {
        boolean number = resolved.getValue(path).valueType() == com.typesafe.config.ConfigValueType.NUMBER;
        problem = path.endsWith("-bytes") ? (number ? "must be a size in bytes of at least 0" // Lightbend refuses negatives
            : "must be a size in bytes (a number, or with a unit: 16k, 4m)")
            : expected == com.typesafe.config.ConfigValueType.NUMBER ? "must be a number" : "must be true or false";
      }
      if (problem != null) {
        ConfigValue value = resolved.getValue(path);
        wrong.add(path + " " + problem + " but is " + (Secrets.isSecretKey(path) ? "a value that is not shown (a secret key)"
            : Secrets.mask(value.render(com.typesafe.config.ConfigRenderOptions.concise())))
            + " (" + value.origin().description() + ")");
      }
    }
    if (!wrong.isEmpty()) {
      throw new ConfigurationException(String.join("\n", wrong));
    }
  }

  /**
   * A Lightbend exception met while a settings class read this configuration (a value out of range
   * for {@code getInt}, say) as a {@link ConfigurationException} naming the full key, found by where
   * the offending value was set; secrets are not shown.
   */
  public ConfigurationException explain(ConfigException e) {
    String key = null;
    ConfigValue value = null;
    if (e.origin() != null && config.hasPath(ROOT)) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      int best = -1;
      for (Map.Entry<String, ConfigValue> entry : dxpipe().entrySet()) {
        if (!sameOrigin(entry.getValue().origin(), e.origin())) {
          continue;
        }
        // of the keys set at that place, the one whose longest tail the message names (it names the path it was read by)
        String[] parts = com.typesafe.config.ConfigUtil.splitPath(entry.getKey()).toArray(String[]::new);
        for (int i = 0; i < parts.length; i++) {
          String tail = String.join(".", java.util.Arrays.copyOfRange(parts, i, parts.length));
          if (message.contains(tail) && tail.length() > best) {
            best = tail.length();
            key = ROOT + "." + entry.getKey();
            value = entry.getValue();
          }
        }
      }
    }
    if (key == null) {
      return new ConfigurationException("invalid configuration: " + (e.getMessage() == null ? e.toString()
          : Secrets.mask(e.getMessage())), e);
    }
    return new ConfigurationException(ConfigErrors.describe(key, e, value), e);
  }

  private static boolean sameOrigin(com.typesafe.config.ConfigOrigin a, com.typesafe.config.ConfigOrigin b) {
    return a.description().equals(b.description()) && a.lineNumber() == b.lineNumber();
  }

  /** The underlying Lightbend config, rooted at {@code dxpipe}. */
  public Config dxpipe() {
    return config.getConfig(ROOT);
  }

  public String source() {
    return source;
  }

  /**
   * One {@code key = value} line per setting, sorted, secrets masked (values of secret keys
   * entirely, credentials inside other values by {@link Secrets#mask}): printed when a job starts.
   * Source mappings are long: they are summarised by name (they are in the --conf file).
   */
  public List<String> render() {
    List<String> lines = new ArrayList<>(dxpipe().entrySet().stream()
        .filter(e -> !e.getKey().startsWith("ingest.sources.") && !e.getKey().startsWith("quality.tables."))
        .map(e -> {
          String key = ROOT + "." + e.getKey();
          String value = isSecret(e.getKey()) ? "****** (set)"
              : Secrets.mask(e.getValue().render(com.typesafe.config.ConfigRenderOptions.concise()));
          return key + " = " + value;
        })
        .toList());
    if (dxpipe().hasPath("ingest.sources")) {
      lines.add(ROOT + ".ingest.sources = " + new java.util.TreeSet<>(dxpipe().getObject("ingest.sources").keySet())
          + " (mappings not shown: see dxpipe.ingest.sources in reference.conf and " + source + ")");
    }
    if (dxpipe().hasPath("quality.tables")) {
      for (String table : new java.util.TreeSet<>(dxpipe().getObject("quality.tables").keySet())) {
        List<String> groups = new ArrayList<>();
        for (Config group : dxpipe().getConfigList("quality.tables." + table)) {
          groups.add((group.hasPath("group") ? group.getString("group") : "?") + " ("
              + (group.hasPath("severity") ? group.getString("severity") : "?") + ", "
              + (group.hasPath("checks") ? group.getList("checks").size() : 0) + " checks)");
        }
        lines.add(ROOT + ".quality.tables." + table + " = " + groups);
      }
    }
    java.util.Collections.sort(lines);
    return lines;
  }

  /** A key is secret when a word of it says so: secret, password, token, credential, hmac, sas, key. */
  static boolean isSecret(String key) {
    return Secrets.isSecretKey(key);
  }
}
