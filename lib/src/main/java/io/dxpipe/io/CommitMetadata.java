package io.dxpipe.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The lineage a stage records in its Delta commit ({@code userMetadata}): run id, input versions,
 * the model. Built from key/values and written as one line of JSON (Jackson, so values are escaped:
 * an input description may hold quotes); read back from a table's history by version. A commit
 * whose metadata is missing or not this JSON, or lacks a key asked for, is an error that names the
 * table and version: lineage is never guessed.
 */
public final class CommitMetadata {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Object> values;
  private final String source;

  private CommitMetadata(Map<String, Object> values, String source) {
    this.values = Collections.unmodifiableMap(values);
    this.source = source;
  }

  /** Metadata of key/value pairs, in order ({@code of("clean_run_id", runId, "input", input)}). */
  public static CommitMetadata of(Object... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("commit metadata takes key/value pairs, got " + keyValues.length
          + " arguments");
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      if (!(keyValues[i] instanceof String key) || key.isBlank()) {
        throw new IllegalArgumentException("commit metadata key " + (i / 2) + " is not a name: " + keyValues[i]);
      }
      if (keyValues[i + 1] == null) {
        throw new IllegalArgumentException("commit metadata " + key + " is null");
      }
      values.put(key, keyValues[i + 1]);
    }
    return new CommitMetadata(values, "new commit metadata");
  }

  /**
   * The metadata of one commit of a Delta table.
   *
   * @throws IllegalStateException when the table has no such version or the commit's metadata is
   *     missing or not a JSON object
   */
  public static CommitMetadata read(SparkSession spark, String table, long version) {
    List<Row> commits = io.delta.tables.DeltaTable.forPath(spark, table).history()
        .filter(functions.col("version").equalTo(version)).select("userMetadata").collectAsList();
    String where = "version " + version + " of " + table;
    if (commits.isEmpty()) {
      throw new IllegalStateException("no " + where + " in its history (vacuumed or never written)");
    }
    String text = commits.get(0).isNullAt(0) ? null : commits.get(0).getString(0);
    return parse(text, where);
  }

  /**
   * Metadata as written by {@link #json()}.
   *
   * @param where names the commit in errors ("version 3 of file:/data/gold")
   */
  public static CommitMetadata parse(String text, String where) {
    if (text == null || text.isBlank()) {
      throw new IllegalStateException("the commit of " + where + " has no metadata: it was not written by this "
          + "pipeline's stage (or by an older release); run that stage again");
    }
    try {
      Map<String, Object> values = JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {});
      return new CommitMetadata(values, "the commit of " + where);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the commit metadata of " + where + " is not a JSON object: '" + text
          + "'; run the stage that writes it again", e);
    }
  }

  /** One line of JSON, keys in the order given. */
  public String json() {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("commit metadata " + values + " cannot be written as JSON", e);
    }
  }

  public Map<String, Object> values() {
    return values;
  }

  /** A text value that must be present. */
  public String string(String key) {
    return String.valueOf(require(key));
  }

  /** A whole-number value that must be present (e.g. an input table's version). */
  public long number(String key) {
    Object v = require(key);
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw new IllegalStateException(source + " records " + key + " = " + v + ", not a whole number");
  }

  private Object require(String key) {
    Object v = values.get(key);
    if (v == null) {
      throw new IllegalStateException(source + " records no " + key + " (it has " + values.keySet() + ")");
    }
    return v;
  }

  @Override
  public String toString() {
    return json();
  }
}
