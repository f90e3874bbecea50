package io.dxpipe.serve.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dxpipe.clean.EditDistance;
import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.DeclaredInputs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Request bodies and query strings of the prediction endpoints, read into canonical records (the
 * bronze columns a record of the batch path has, see {@link Bronze}) or into the list of every
 * field that is wrong and why. Three entry points, one per way in:
 * <ul>
 *   <li>{@link #predict} ({@code POST /v1/predict}): one record object, or
 *       {@code {"records": [...], "top_k": k}}; vitals flat or in {@code "vital_signs": {...}};
 *       symptoms as names or {@code {"name": ..., "severity": 1-3 | "mild" | "moderate" | "severe"}}.
 *       A single record may carry {@code top_k} beside its fields.
 *   <li>{@link #invocations} ({@code POST /invocations}, MLflow's scoring protocol):
 *       {@code dataframe_split} (columns and rows), {@code dataframe_records}, Databricks'
 *       {@code instances} and {@code inputs} (a list of records, a split-like object, or columns as
 *       lists), or a top-level array of records; {@code params.top_k} optional. These are tabular
 *       forms, so {@code symptoms} may also be a string {@code "fever;cough:3"} ({@code ;} or
 *       {@code ,} between symptoms, an optional {@code :severity}) and {@code previous_diagnoses} a
 *       {@code ;}-separated string (only {@code ;}: disease names contain commas).
 *   <li>{@link #query} ({@code GET /predict?age=34&symptoms=fever,cough:2}): one record from
 *       query parameters, numbers as text, symptoms and diagnoses as in the tabular forms (a
 *       list parameter may also be repeated).
 * </ul>
 *
 * <p>A record is a fresh mutable {@code Map<String, Object>}: {@code age} and
 * {@code symptom_duration_days} Integer; gender, ethnicity, marital status, education and
 * {@code patient_id} String (trimmed; blank is absent); the two dates {@link LocalDate}; the vitals
 * Double; {@code symptoms} a list of maps with {@code name} (String) and {@code severity} (Integer
 * 1-3 or null); {@code previous_diagnoses} a list of String. Absent fields are absent from the map,
 * except the two lists, which are always there (empty when not given). {@code patient_id} is the
 * caller's to pseudonymise and remove before anything is stored.
 *
 * <p>What is checked is what ingest checks ({@code io.dxpipe.ingest.RecordValidator}): the
 * shape and the types. A value that is well-typed but implausible (a temperature of 60, an age of
 * 200, a negative age or duration, an unknown gender or symptom word) is not an error here: the
 * clean rules flag or repair it exactly as they do for the batch path, so that both paths give the
 * same answer for the same record. Vocabulary is not checked for the same reason.
 *
 * <p>Errors are collected, not thrown: every bad field of every record is reported (up to
 * {@value #MAX_ERRORS}, then a count), each named by its path in the body
 * ({@code records[2].symptoms[0].severity}; a {@code dataframe_split} cell by its row and column
 * name, {@code dataframe_split.data[2].age}; a query parameter by its name; the body as a whole by
 * {@link FieldError#BODY}). Reasons never contain the values sent, only field names, limits and
 * allowed words, because values are patient data and reasons end up in responses and logs. Field
 * names are echoed only when they look like field names (letters, digits, {@code _.-}, at most 40).
 * Malformed JSON is reported with Jackson's line and column and a kind of fault, never Jackson's
 * message (which quotes the input).
 *
 * <p>Limits: {@code maxRecords} per request (from config), {@value #MAX_SYMPTOMS} symptoms and
 * {@value #MAX_DIAGNOSES} previous diagnoses per record, {@value #MAX_STRING_LENGTH} characters per
 * string, nesting of {@value #MAX_DEPTH} levels, {@code top_k} 1 to {@value #MAX_TOP_K} (the caller
 * also checks it against the model's number of classes). Duplicate keys are errors (the tree is
 * built here, so each duplicate is named by its path and reading goes on; Jackson's own
 * {@code STRICT_DUPLICATE_DETECTION} would stop at the first). The body's size and content type are
 * the server's to check before; {@link #contentType(String)} does the latter.
 *
 * <p>Thread-safe and stateless apart from the limit.
 */
public final class RecordRequest {
  /** The result: records and {@code top_k} (null when not given) when {@link #ok()}, else the errors and no records. */
  public record Parsed(List<Map<String, Object>> records, Integer topK, List<FieldError> errors) {
    public Parsed {
      records = Collections.unmodifiableList(records);
      errors = List.copyOf(errors);
    }

    public boolean ok() {
      return errors.isEmpty();
    }
  }

  public static final int MAX_TOP_K = 20;
  public static final int MAX_SYMPTOMS = 100;
  public static final int MAX_DIAGNOSES = 100;
  public static final int MAX_STRING_LENGTH = 200;
  public static final int MAX_DEPTH = 16;
  public static final int MAX_ERRORS = 100;

  public static final String RECORDS = "records";
  public static final String TOP_K = "top_k";
  public static final String VITAL_SIGNS = "vital_signs";
  public static final String PATIENT_ID = "patient_id";
  static final String DATAFRAME_SPLIT = "dataframe_split";
  static final String DATAFRAME_RECORDS = "dataframe_records";
  static final String INSTANCES = "instances";
  static final String INPUTS = "inputs";
  static final String PARAMS = "params";
  static final String COLUMNS = "columns";
  static final String DATA = "data";
  static final String INDEX = "index";

  private enum Kind { INTEGER, STRING, DATE, NUMBER, SYMPTOMS, DIAGNOSES, VITALS, INPUTS }

  /** The record fields and their kinds, in the order records are built. */
  private static final Map<String, Kind> FIELDS = new LinkedHashMap<>();
  private static final List<String> VITALS = List.of(Bronze.TEMPERATURE_C, Bronze.HEART_RATE, Bronze.SYSTOLIC_BP,
      Bronze.DIASTOLIC_BP, Bronze.RESPIRATORY_RATE, Bronze.SPO2, Bronze.WEIGHT_KG);

  static {
    FIELDS.put(PATIENT_ID, Kind.STRING);
    FIELDS.put(Bronze.AGE, Kind.INTEGER);
    FIELDS.put(Bronze.GENDER, Kind.STRING);
    FIELDS.put(Bronze.ETHNICITY, Kind.STRING);
    FIELDS.put(Bronze.MARITAL_STATUS, Kind.STRING);
    FIELDS.put(Bronze.EDUCATION, Kind.STRING);
    FIELDS.put(Bronze.VISIT_DATE, Kind.DATE);
    FIELDS.put(Bronze.SYMPTOM_ONSET_DATE, Kind.DATE);
    FIELDS.put(Bronze.SYMPTOM_DURATION_DAYS, Kind.INTEGER);
    FIELDS.put(Bronze.SYMPTOMS, Kind.SYMPTOMS);
    FIELDS.put(Bronze.PREVIOUS_DIAGNOSES, Kind.DIAGNOSES);
    for (String v : VITALS) {
      FIELDS.put(v, Kind.NUMBER);
    }
    FIELDS.put(VITAL_SIGNS, Kind.VITALS);
    FIELDS.put(DeclaredInputs.COLUMN, Kind.INPUTS); // the model's declared inputs (dxpipe.inputs), name to value
  }

  private static final List<String> SYMPTOM_FIELDS = List.of(Bronze.SYMPTOM_NAME, Bronze.SYMPTOM_SEVERITY);
  private static final List<String> SEVERITY_WORDS = List.of("mild", "moderate", "severe");
  private static final String SEVERITY_RULE = "must be 1-3 or mild, moderate, severe";
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,40}");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,4})?");
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(false);
  /**
   * NaN and infinities are read as numbers so that the field they are in can be named ("must be a
   * finite number") instead of failing the body. Nesting is limited here ({@link #MAX_DEPTH}, named
   * by path); Jackson 2.15's own {@code StreamReadConstraints} (1,000 levels, 1,000-digit numbers)
   * are a backstop, left at their defaults and not named in code, so that this class compiles
   * against the HDInsight build's Jackson 2.13 as well (see {@code JsonRecordParser}).
   */
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build();

  /** How a form gives its values: JSON types, tabular (list fields also as strings), query (all text). */
  private enum Shape { JSON, TABULAR, QUERY }

  private final int maxRecords;

  /** @param maxRecords the largest batch one request may carry (the service's config) */
  public RecordRequest(int maxRecords) {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be at least 1");
    }
    this.maxRecords = maxRecords;
  }

  // ---------------------------------------------------------------------------------------------
  // Entry points

  /** The body of {@code POST /v1/predict}: one record, or {@code {"records": [...], "top_k": k}}. */
  public Parsed predict(byte[] body) {
    Errors errors = new Errors();
    JsonNode root = read(body, errors);
    return root == null ? errors.result(List.of(), null) : predict(root, errors);
  }

  /** {@link #predict(byte[])} on text. */
  public Parsed predict(String body) {
    return predict(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
  }

  /** The body of MLflow's {@code POST /invocations}; see the class comment for the forms. */
  public Parsed invocations(byte[] body) {
    Errors errors = new Errors();
    JsonNode root = read(body, errors);
    return root == null ? errors.result(List.of(), null) : invocations(root, errors);
  }

  /** {@link #invocations(byte[])} on text. */
  public Parsed invocations(String body) {
    return invocations(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The query parameters of {@code GET /predict} as one record; {@code top_k} may be among them.
   * A parameter given with an empty value is absent.
   */
  public Parsed query(Map<String, List<String>> parameters) {
    Errors errors = new Errors();
    ObjectNode rec = NODES.objectNode();
    Integer topK = null;
    Map<String, List<String>> sorted = new java.util.TreeMap<>(); // errors in a stable order
    parameters.forEach((k, v) -> {
      if (k != null && v != null) {
        sorted.put(k, v);
      }
    });
    for (Map.Entry<String, List<String>> p : sorted.entrySet()) {
      String name = p.getKey();
      List<String> values = new ArrayList<>();
      for (String v : p.getValue()) {
        if (v != null && !v.isBlank()) {
          values.add(v);
        }
      }
      if (values.isEmpty()) {
        continue;
      }
      Kind kind = FIELDS.get(name);
      boolean list = kind == Kind.SYMPTOMS || kind == Kind.DIAGNOSES;
      if (name.equals(TOP_K)) {
        if (values.size() > 1) {
          errors.add(TOP_K, "given more than once");
        } else {
          topK = topK(NODES.textNode(values.get(0)), TOP_K, Shape.QUERY, errors);
        }
      } else if (kind == null || kind == Kind.VITALS) {
        errors.add(segment(name), unknown(name, FIELDS.keySet().stream()
            .filter(f -> !f.equals(VITAL_SIGNS)).toList(), List.of(TOP_K)));
      } else if (values.size() > 1 && !list) {
        errors.add(name, "given more than once");
      } else {
        rec.put(name, String.join(";", values)); // both list forms take ';' between items
      }
    }
    List<Map<String, Object>> records = new ArrayList<>();
    Map<String, Object> r = record(rec, "", Shape.QUERY, List.of(), errors);
    if (r != null) {
      records.add(r);
    }
    return errors.result(records, topK);
  }

  /**
   * Whether a request's {@code Content-Type} is JSON: {@code application/json}, with no parameter
   * or {@code charset=utf-8}; null when it is, else the error for a 415 (field {@code Content-Type}).
   */
  public static FieldError contentType(String header) {
    String field = "Content-Type";
    if (header == null || header.isBlank()) {
      return new FieldError(field, "missing: send Content-Type: application/json");
    }
    String[] parts = header.split(";", -1);
    if (!parts[0].strip().equalsIgnoreCase("application/json")) {
      return new FieldError(field, "must be application/json");
    }
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].strip();
      if (param.isEmpty()) {
        continue;
      }
      int eq = param.indexOf('=');
      String key = eq < 0 ? param : param.substring(0, eq).strip();
      String value = eq < 0 ? "" : param.substring(eq + 1).strip().replace("\"", "");
      if (!key.equalsIgnoreCase("charset") || !value.equalsIgnoreCase("utf-8")) {
        return new FieldError(field, "must be application/json, with no parameter other than charset=utf-8");
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // The forms

  private Parsed predict(JsonNode root, Errors errors) {
    if (!root.isObject()) {
      errors.add(FieldError.BODY, "must be a JSON object: one record, or {\"records\": [...], \"top_k\": k}"
          + (root.isNull() ? " (the body is null)" : ""));
      return errors.result(List.of(), null);
    }
    ObjectNode body = (ObjectNode) root;
    Integer topK = body.has(TOP_K) ? topK(body.get(TOP_K), TOP_K, Shape.JSON, errors) : null;
    List<Map<String, Object>> records = new ArrayList<>();
    if (body.has(RECORDS)) {
      for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
        String name = it.next();
        if (!name.equals(RECORDS) && !name.equals(TOP_K)) {
          errors.add(segment(name), unknown(name, List.of(RECORDS, TOP_K), List.of())
              + "; a batch has only records and top_k");
        }
      }
      JsonNode list = body.get(RECORDS);
      if (!list.isMissingNode()) {
        records(list, RECORDS, Shape.JSON, errors, records);
      }
    } else {
      ObjectNode rec = body.deepCopy();
      rec.remove(TOP_K);
      Map<String, Object> r = record(rec, "", Shape.JSON, List.of(RECORDS, TOP_K), errors);
      if (r != null) {
        records.add(r);
      }
    }
    return errors.result(records, topK);
  }

  private Parsed invocations(JsonNode root, Errors errors) {
    List<Map<String, Object>> records = new ArrayList<>();
    if (root.isArray()) {
      records(root, "", Shape.TABULAR, errors, records);
      return errors.result(records, null);
    }
    String forms = DATAFRAME_SPLIT + ", " + DATAFRAME_RECORDS + ", " + INSTANCES + " or " + INPUTS;
    if (!root.isObject()) {
      errors.add(FieldError.BODY, "must be a JSON object with one of " + forms + ", or an array of records"
          + (root.isNull() ? " (the body is null)" : ""));
      return errors.result(records, null);
    }
    List<String> keys = List.of(DATAFRAME_SPLIT, DATAFRAME_RECORDS, INSTANCES, INPUTS, PARAMS);
    List<String> given = new ArrayList<>();
    for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
      String name = it.next();
      if (!keys.contains(name)) {
        errors.add(segment(name), unknown(name, keys, List.of()));
      } else if (!name.equals(PARAMS)) {
        given.add(name);
      }
    }
    Integer topK = null;
    JsonNode params = root.path(PARAMS);
    if (params.isObject()) {
      for (Iterator<String> it = params.fieldNames(); it.hasNext();) {
        String name = it.next();
        if (!name.equals(TOP_K)) {
          errors.add(PARAMS + "." + segment(name), unknown(name, List.of(TOP_K), List.of()));
        }
      }
      if (params.has(TOP_K)) {
        topK = topK(params.get(TOP_K), PARAMS + "." + TOP_K, Shape.JSON, errors);
      }
    } else if (!params.isMissingNode() && !params.isNull()) {
      errors.add(PARAMS, "must be an object, such as {\"top_k\": 3}");
    }
    if (given.isEmpty()) {
      errors.add(FieldError.BODY, "must have one of " + forms);
    } else if (given.size() > 1) {
      errors.add(FieldError.BODY, "must have only one of " + forms + " (it has " + String.join(", ", given) + ")");
    } else {
      String form = given.get(0);
      JsonNode data = root.get(form);
      if (data.isMissingNode()) {
        // already reported while reading
      } else if (form.equals(DATAFRAME_SPLIT)) {
        split(data, DATAFRAME_SPLIT, errors, records);
      } else if (form.equals(INPUTS) && data.isObject()) {
        if (data.has(COLUMNS) || data.has(DATA)) {
          split(data, INPUTS, errors, records);
        } else {
          columnar((ObjectNode) data, INPUTS, errors, records);
        }
      } else {
        records(data, form, Shape.TABULAR, errors, records);
      }
    }
    return errors.result(records, topK);
  }

  /** A list of record objects at {@code path}. */
  private void records(JsonNode list, String path, Shape shape, Errors errors, List<Map<String, Object>> out) {
    String name = path.isEmpty() ? FieldError.BODY : path;
    if (!list.isArray()) {
      errors.add(name, "must be a list of record objects");
      return;
    }
    if (!checkCount(list.size(), name, errors)) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode rec = list.get(i);
      String at = path + "[" + i + "]";
      if (rec.isMissingNode()) {
        continue;
      }
      if (!rec.isObject()) {
        errors.add(at, "must be an object (a record)");
        continue;
      }
      Map<String, Object> r = record((ObjectNode) rec, at, shape, List.of(), errors);
      if (r != null) {
        out.add(r);
      }
    }
  }

  private boolean checkCount(int n, String path, Errors errors) {
    if (n == 0) {
      errors.add(path, "must hold at least one record");
      return false;
    }
    if (n > maxRecords) {
      errors.add(path, "holds more than " + maxRecords + " records, the most one request may carry; split the batch");
      return false;
    }
    return true;
  }

  /** pandas' split orientation: {@code {"columns": [...], "data": [[...], ...], "index": [...]}}. */
  private void split(JsonNode split, String path, Errors errors, List<Map<String, Object>> out) {
    if (!split.isObject()) {
      errors.add(path, "must be an object with columns and data");
      return;
    }
    for (Iterator<String> it = split.fieldNames(); it.hasNext();) {
      String name = it.next();
      if (!List.of(COLUMNS, DATA, INDEX).contains(name)) {
        errors.add(path + "." + segment(name), unknown(name, List.of(COLUMNS, DATA, INDEX), List.of()));
      }
    }
    JsonNode index = split.path(INDEX);
    if (!index.isMissingNode() && !index.isNull() && !index.isArray()) {
      errors.add(path + "." + INDEX, "must be a list");
    }
    JsonNode columns = split.path(COLUMNS);
    JsonNode data = split.path(DATA);
    if (columns.isMissingNode() || columns.isNull()) {
      errors.add(path + "." + COLUMNS, "is missing: name the columns of data");
      return;
    }
    if (!columns.isArray()) {
      errors.add(path + "." + COLUMNS, "must be a list of column names");
      return;
    }
    // columns: usable names, or null where a column is not one (its cells are skipped, the column reported)
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int c = 0; c < columns.size(); c++) {
      JsonNode col = columns.get(c);
      String at = path + "." + COLUMNS + "[" + c + "]";
      String name = null;
      if (!col.isTextual()) {
        if (!col.isMissingNode()) {
          errors.add(at, "must be a string (a column name)");
        }
      } else if (!FIELDS.containsKey(col.asText())) {
        errors.add(at, unknown(col.asText(), FIELDS.keySet(), List.of()));
      } else if (!seen.add(col.asText())) {
        errors.add(at, "names column " + col.asText() + " a second time");
      } else {
        name = col.asText();
      }
      names.add(name);
    }
    if (data.isMissingNode() || data.isNull()) {
      errors.add(path + "." + DATA, "is missing: give the rows as a list of lists");
      return;
    }
    if (!data.isArray()) {
      errors.add(path + "." + DATA, "must be a list of rows (lists of values)");
      return;
    }
    if (!checkCount(data.size(), path + "." + DATA, errors)) {
      return;
    }
    for (int i = 0; i < data.size(); i++) {
      JsonNode row = data.get(i);
      String at = path + "." + DATA + "[" + i + "]";
      if (row.isMissingNode()) {
        continue;
      }
      if (!row.isArray()) {
        errors.add(at, "must be a list of values, one per column");
        continue;
      }
      if (row.size() != names.size()) {
        errors.add(at, "has " + row.size() + " values for " + names.size() + " columns");
        continue;
      }
      ObjectNode rec = NODES.objectNode();
      for (int c = 0; c < names.size(); c++) {
        if (names.get(c) != null) {
          rec.set(names.get(c), row.get(c));
        }
      }
      Map<String, Object> r = record(rec, at, Shape.TABULAR, List.of(), errors);
      if (r != null) {
        out.add(r);
      }
    }
  }

  /** Columns as lists, {@code {"age": [34, 50], "symptoms": ["fever", "cough"]}} (MLflow's columnar {@code inputs}). */
  private void columnar(ObjectNode columns, String path, Errors errors, List<Map<String, Object>> out) {
    int rows = -1;
    boolean bad = false;
    for (Iterator<Map.Entry<String, JsonNode>> it = columns.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> col = it.next();
      String at = path + "." + segment(col.getKey());
      if (!FIELDS.containsKey(col.getKey())) {
        errors.add(at, unknown(col.getKey(), FIELDS.keySet(), List.of()));
        bad = true;
      } else if (col.getValue().isMissingNode()) {
        bad = true;
      } else if (!col.getValue().isArray()) {
        errors.add(at, "must be a list of values, one per record (or send a list of records)");
        bad = true;
      } else if (rows >= 0 && col.getValue().size() != rows) {
        errors.add(at, "has " + col.getValue().size() + " values where earlier columns have " + rows);
        bad = true;
      } else {
        rows = col.getValue().size();
      }
    }
    if (rows < 0) {
      if (!bad) {
        errors.add(path, "must hold at least one column");
      }
      return;
    }
    if (bad || !checkCount(rows, path, errors)) {
      return;
    }
    for (int i = 0; i < rows; i++) {
      ObjectNode rec = NODES.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = columns.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> col = it.next();
        rec.set(col.getKey(), col.getValue().get(i));
      }
      Map<String, Object> r = record(rec, path + "[" + i + "]", Shape.TABULAR, List.of(), errors);
      if (r != null) {
        out.add(r);
      }
    }
  }

  private static Integer topK(JsonNode v, String path, Shape shape, Errors errors) {
    if (v.isNull() || v.isMissingNode()) {
      return null;
    }
    Integer k = wholeNumber(v, path, shape, errors);
    if (k != null && (k < 1 || k > MAX_TOP_K)) {
      errors.add(path, "must be from 1 to " + MAX_TOP_K);
      return null;
    }
    return k;
  }

  // ---------------------------------------------------------------------------------------------
  // One record

  /**
   * The canonical record of {@code rec}, or null when any of its fields is wrong (each reported);
   * {@code alsoKnown} are names an unknown field may be a misspelling of besides the record's own
   * (a top-level record's {@code "recods"} is a misspelt batch).
   */
  private static Map<String, Object> record(ObjectNode rec, String base, Shape shape, List<String> alsoKnown,
      Errors errors) {
    int before = errors.count();
    Map<String, Object> values = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = rec.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> f = it.next();
      String name = f.getKey();
      JsonNode v = f.getValue();
      String path = child(base, name);
      Kind kind = FIELDS.get(name);
      if (kind == null) {
        errors.add(path, unknown(name, FIELDS.keySet(), alsoKnown));
        continue;
      }
      if (v.isMissingNode() || v.isNull()) {
        continue; // missing: reported while reading; null: absent
      }
      if (kind == Kind.VITALS) {
        vitals(v, rec, path, shape, errors, values);
      } else {
        Object value = value(kind, v, path, shape, errors);
        if (value != null) {
          values.put(name, value);
        }
      }
    }
    if (errors.count() > before) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (String name : FIELDS.keySet()) {
      Object v = values.get(name);
      if (v != null) {
        out.put(name, v);
      } else if (name.equals(Bronze.SYMPTOMS) || name.equals(Bronze.PREVIOUS_DIAGNOSES)) {
        out.put(name, new ArrayList<>());
      }
    }
    return out;
  }

  private static void vitals(JsonNode v, ObjectNode rec, String path, Shape shape, Errors errors, Map<String, Object> values) {
    if (!v.isObject()) {
      errors.add(path, "must be an object of vital signs (" + String.join(", ", VITALS) + ")");
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> f = it.next();
      String at = child(path, f.getKey());
      if (!VITALS.contains(f.getKey())) {
        errors.add(at, unknown(f.getKey(), VITALS, List.of()));
      } else if (rec.has(f.getKey()) && !rec.get(f.getKey()).isNull()) {
        errors.add(at, "is given twice, here and as " + f.getKey() + " beside vital_signs");
      } else if (!f.getValue().isMissingNode() && !f.getValue().isNull()) {
        Double d = number(f.getValue(), at, shape, errors);
        if (d != null) {
          values.put(f.getKey(), d);
        }
      }
    }
  }

  private static Object value(Kind kind, JsonNode v, String path, Shape shape, Errors errors) {
    return switch (kind) {
      case INTEGER -> wholeNumber(v, path, shape, errors);
      case NUMBER -> number(v, path, shape, errors);
      case STRING -> string(v, path, errors);
      case DATE -> date(v, path, errors);
      case SYMPTOMS -> symptoms(v, path, shape, errors);
      case DIAGNOSES -> diagnoses(v, path, shape, errors);
      case INPUTS -> inputs(v, path, errors);
      case VITALS -> throw new IllegalStateException("vital_signs is read by vitals()");
    };
  }

  private static Integer wholeNumber(JsonNode v, String path, Shape shape, Errors errors) {
    String rule = "must be a whole number";
    double d;
    if (v.isIntegralNumber()) {
      if (!v.canConvertToInt()) {
        errors.add(path, rule + " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
        return null;
      }
      return v.intValue();
    } else if (v.isNumber()) {
      d = v.doubleValue();
    } else if (shape == Shape.QUERY && v.isTextual() && DECIMAL.matcher(v.asText().strip()).matches()) {
      d = Double.parseDouble(v.asText().strip());
    } else {
      errors.add(path, rule);
      return null;
    }
    if (!Double.isFinite(d)) {
      errors.add(path, "must be a finite whole number");
    } else if (d != Math.rint(d)) {
      errors.add(path, rule);
    } else if (d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
      errors.add(path, rule + " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
    } else {
      return (int) d;
    }
    return null;
  }

  private static Double number(JsonNode v, String path, Shape shape, Errors errors) {
    double d;
    if (v.isNumber()) {
      d = v.doubleValue();
    } else if (shape == Shape.QUERY && v.isTextual() && DECIMAL.matcher(v.asText().strip()).matches()) {
      d = Double.parseDouble(v.asText().strip());
    } else {
      errors.add(path, "must be a number");
      return null;
    }
    if (!Double.isFinite(d)) {
      errors.add(path, "must be a finite number");
      return null;
    }
    return d;
  }

  /** A trimmed string, or null when blank (a form's empty field); at most {@value #MAX_STRING_LENGTH} characters. */
  /**
   * A record's declared inputs: an object of input name to a string or a finite number (null: absent),
   * as text; whether the model declares them, and their values are its levels or numbers, is the
   * model's to say ({@code OnlineModel}), as ingest checks them against the configuration.
   */
  private static Map<String, String> inputs(JsonNode v, String path, Errors errors) {
    if (!v.isObject()) {
      errors.add(path, "must be an object of the model's declared inputs, name to value (e.g. {\"cholesterol_level\": "
          + "\"high\"})");
      return null;
    }
    if (v.size() > MAX_SYMPTOMS) {
      errors.add(path, "must have at most " + MAX_SYMPTOMS + " inputs");
      return null;
    }
    Map<String, String> out = new java.util.TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> f = it.next();
      String at = child(path, f.getKey());
      JsonNode value = f.getValue();
      if (!DeclaredInputs.NAME.matcher(f.getKey()).matches()) {
        errors.add(at, "is not an input name (lower-case letters, digits and _, starting with a letter)");
      } else if (value.isNull() || value.isMissingNode()) {
        continue;
      } else if (value.isNumber()) {
        if (!Double.isFinite(value.doubleValue())) {
          errors.add(at, "must be a finite number");
        } else {
          out.put(f.getKey(), value.isIntegralNumber() ? value.asText() : Double.toString(value.doubleValue()));
        }
      } else if (value.isTextual()) {
        String s = string(value, at, errors);
        if (s != null) {
          out.put(f.getKey(), s);
        }
      } else {
        errors.add(at, "must be a string or a number");
      }
    }
    return out.isEmpty() ? null : out;
  }

  private static String string(JsonNode v, String path, Errors errors) {
    String s = text(v, path, errors);
    if (s == null) {
      return null;
    }
    s = s.strip();
    return s.isEmpty() ? null : s;
  }

  /** The text as given, or null with the error: not a string, or longer than {@value #MAX_STRING_LENGTH}. */
  private static String text(JsonNode v, String path, Errors errors) {
    if (!v.isTextual()) {
      errors.add(path, "must be a string");
      return null;
    }
    String s = v.asText();
    if (s.length() > MAX_STRING_LENGTH) {
      errors.add(path, "must be at most " + MAX_STRING_LENGTH + " characters");
      return null;
    }
    return s;
  }

  /** {@code yyyy-mm-dd}, a real calendar date; a date-time ({@code T} or space after the date) gives its date. */
  private static LocalDate date(JsonNode v, String path, Errors errors) {
    String rule = "must be a date yyyy-mm-dd";
    if (!v.isTextual()) {
      errors.add(path, rule + " (a string)");
      return null;
    }
    String s = v.asText().strip();
    if (s.length() > MAX_STRING_LENGTH) {
      errors.add(path, rule);
      return null;
    }
    if (s.length() > 10 && (s.charAt(10) == 'T' || s.charAt(10) == ' ')) {
      s = s.substring(0, 10);
    }
    if (!DATE.matcher(s).matches()) {
      errors.add(path, rule);
      return null;
    }
    try {
      return LocalDate.parse(s); // ISO_LOCAL_DATE resolves strictly: 2026-02-30 is refused
    } catch (DateTimeParseException e) {
      errors.add(path, "is not a calendar date (yyyy-mm-dd)");
      return null;
    }
  }

  private static List<Map<String, Object>> symptoms(JsonNode v, String path, Shape shape, Errors errors) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (v.isTextual() && shape != Shape.JSON) {
      String[] parts = v.asText().split("[;,]", -1);
      int i = 0;
      for (String part : parts) {
        if (part.isBlank()) {
          continue; // "fever;" and "fever, cough" alike
        }
        String at = path + "[" + i++ + "]";
        // an HPO id's own colon is no severity: "HP:0001945" is a name, "HP:0001945:2" one with a severity
        int colon = io.dxpipe.catalogue.HpoOntology.normalizeId(part) != null ? -1 : part.lastIndexOf(':');
        String name = colon < 0 ? part : part.substring(0, colon);
        Integer severity = null;
        boolean ok = true;
        if (colon >= 0) {
          severity = severity(NODES.textNode(part.substring(colon + 1)), at + "." + Bronze.SYMPTOM_SEVERITY, errors);
          ok = severity != null;
          if (severity == null && part.substring(colon + 1).isBlank()) {
            errors.add(at + "." + Bronze.SYMPTOM_SEVERITY, SEVERITY_RULE + " after the ':'");
          }
        }
        String n = symptomName(NODES.textNode(name), at + "." + Bronze.SYMPTOM_NAME, errors);
        if (ok && n != null) {
          out.add(symptom(n, severity));
        }
      }
      if (i > MAX_SYMPTOMS) {
        errors.add(path, "must list at most " + MAX_SYMPTOMS + " symptoms");
      }
      return out;
    }
    if (!v.isArray()) {
      errors.add(path, "must be a list of symptoms (names, or {\"name\": ..., \"severity\": 1-3})"
          + (shape == Shape.JSON ? "" : ", or a string such as \"fever;cough:2\""));
      return null;
    }
    if (v.size() > MAX_SYMPTOMS) {
      errors.add(path, "must list at most " + MAX_SYMPTOMS + " symptoms");
      return null;
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode s = v.get(i);
      String at = path + "[" + i + "]";
      if (s.isMissingNode()) {
        continue;
      }
      if (s.isTextual()) {
        String n = symptomName(s, at, errors);
        if (n != null) {
          out.add(symptom(n, null));
        }
      } else if (s.isObject()) {
        boolean ok = true;
        for (Iterator<String> it = s.fieldNames(); it.hasNext();) {
          String name = it.next();
          if (!SYMPTOM_FIELDS.contains(name)) {
            errors.add(child(at, name), unknown(name, SYMPTOM_FIELDS, List.of()));
            ok = false;
          }
        }
        JsonNode name = s.path(Bronze.SYMPTOM_NAME);
        String n = null;
        if (name.isMissingNode() || name.isNull()) {
          if (!s.has(Bronze.SYMPTOM_NAME) || name.isNull()) {
            errors.add(at + "." + Bronze.SYMPTOM_NAME, "is missing: a symptom needs a name");
          }
        } else {
          n = symptomName(name, at + "." + Bronze.SYMPTOM_NAME, errors);
        }
        JsonNode sev = s.path(Bronze.SYMPTOM_SEVERITY);
        Integer severity = null;
        if (!sev.isMissingNode() && !sev.isNull() && !(sev.isTextual() && sev.asText().isBlank())) {
          severity = severity(sev, at + "." + Bronze.SYMPTOM_SEVERITY, errors);
          ok &= severity != null;
        }
        if (ok && n != null) {
          out.add(symptom(n, severity));
        }
      } else {
        errors.add(at, "must be a symptom name or {\"name\": ..., \"severity\": 1-3}");
      }
    }
    return out;
  }

  private static Map<String, Object> symptom(String name, Integer severity) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(Bronze.SYMPTOM_NAME, name);
    m.put(Bronze.SYMPTOM_SEVERITY, severity);
    return m;
  }

  private static String symptomName(JsonNode v, String path, Errors errors) {
    String s = text(v, path, errors);
    if (s == null) {
      return null;
    }
    if (s.isBlank()) {
      errors.add(path, "must not be blank (a symptom needs a name)");
      return null;
    }
    return s.strip();
  }

  /** 1 (mild) to 3 (severe): a whole number, its digit as text, or the word, any case. */
  private static Integer severity(JsonNode v, String path, Errors errors) {
    if (v.isNumber()) {
      double d = v.doubleValue();
      if (d == 1 || d == 2 || d == 3) {
        return (int) d;
      }
    } else if (v.isTextual()) {
      String s = v.asText().strip().toLowerCase(Locale.ROOT);
      int word = SEVERITY_WORDS.indexOf(s);
      if (word >= 0) {
        return word + 1;
      }
      if (s.equals("1") || s.equals("2") || s.equals("3")) {
        return Integer.parseInt(s);
      }
      if (s.isEmpty()) {
        return null; // the caller words an empty severity for its form
      }
    }
    errors.add(path, SEVERITY_RULE);
    return null;
  }

  private static List<String> diagnoses(JsonNode v, String path, Shape shape, Errors errors) {
    List<String> out = new ArrayList<>();
    List<JsonNode> items = new ArrayList<>();
    if (v.isTextual() && shape != Shape.JSON) {
      for (String part : v.asText().split(";", -1)) {
        if (!part.isBlank()) {
          items.add(NODES.textNode(part));
        }
      }
    } else if (v.isArray()) {
      v.forEach(items::add);
    } else {
      errors.add(path, "must be a list of disease codes or names"
          + (shape == Shape.JSON ? "" : ", or a string of them separated by ';'"));
      return null;
    }
    if (items.size() > MAX_DIAGNOSES) {
      errors.add(path, "must list at most " + MAX_DIAGNOSES + " diagnoses");
      return null;
    }
    for (int i = 0; i < items.size(); i++) {
      JsonNode d = items.get(i);
      String at = path + "[" + i + "]";
      if (d.isMissingNode()) {
        continue;
      }
      String s = string(d, at, errors);
      if (s == null && d.isTextual() && d.asText().length() <= MAX_STRING_LENGTH) {
        errors.add(at, "must not be blank");
      } else if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Names and paths

  private static String child(String base, String name) {
    return base.isEmpty() ? segment(name) : base + "." + segment(name);
  }

  /** A field name as it appears in a path: itself when it looks like a field name, else {@code ?}. */
  private static String segment(String name) {
    return SAFE_NAME.matcher(name).matches() ? name : "?";
  }

  /**
   * "unknown field 'temprature_c' (did you mean temperature_c?)": the nearest known name within two
   * edits, or a known name that the given one is a prefix or suffix of; a name that does not look
   * like a field name is not repeated.
   */
  static String unknown(String name, Iterable<String> known, Iterable<String> alsoKnown) {
    if (!SAFE_NAME.matcher(name).matches()) {
      return "unknown field (its name is not shown: not a field name)";
    }
    String lower = name.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    List<String> all = new ArrayList<>();
    known.forEach(all::add);
    alsoKnown.forEach(all::add);
    for (String k : all) {
      int d = EditDistance.damerauLevenshtein(lower, k, 2);
      if (d <= 2 && d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    if (best == null && lower.length() >= 4) {
      for (String k : all) {
        if (k.startsWith(lower) || k.endsWith(lower)) {
          best = k;
          break;
        }
      }
    }
    return "unknown field '" + name + "'" + (best == null ? "" : " (did you mean " + best + "?)");
  }

  // ---------------------------------------------------------------------------------------------
  // Reading the JSON tree

  /**
   * The body's JSON value, built here rather than by {@code ObjectMapper.readTree} so that duplicate
   * keys and too-deep nesting are named by path and reading goes on; null when the body is not JSON
   * at all (reported as {@link FieldError#BODY}). A value that could not be read is a
   * {@link MissingNode} in the tree, which the record checks skip (it is reported already).
   */
  private static JsonNode read(byte[] body, Errors errors) {
    if (body == null || body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
      errors.add(FieldError.BODY, "is empty: send a JSON object");
      return null;
    }
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() == null) {
        errors.add(FieldError.BODY, "is empty: send a JSON object");
        return null;
      }
      JsonNode root = tree(p, "", 1, errors);
      if (p.nextToken() != null) {
        errors.add(FieldError.BODY, "has content after the JSON value" + at(p.currentLocation()));
        return null;
      }
      return root;
    } catch (JsonProcessingException e) {
      errors.add(FieldError.BODY, "is not valid JSON" + at(e.getLocation()) + ": " + fault(e));
      return null;
    } catch (IOException e) {
      errors.add(FieldError.BODY, "could not be read as UTF-8 JSON text");
      return null;
    }
  }

  private static JsonNode tree(JsonParser p, String path, int depth, Errors errors) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      throw new JsonEOFException(p, null, "end of input in a value");
    }
    if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) && depth > MAX_DEPTH) {
      errors.add(path.isEmpty() ? FieldError.BODY : path, "is nested deeper than " + MAX_DEPTH + " levels");
      p.skipChildren();
      return MissingNode.getInstance();
    }
    switch (t) {
      case START_OBJECT: {
        ObjectNode o = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          String at = child(path, name);
          JsonNode v = tree(p, at, depth + 1, errors);
          if (o.has(name)) {
            errors.add(at, "is given more than once (duplicate key)");
            o.set(name, MissingNode.getInstance());
          } else {
            o.set(name, v);
          }
        }
        return o;
      }
      case START_ARRAY: {
        ArrayNode a = NODES.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(tree(p, path + "[" + i++ + "]", depth + 1, errors));
        }
        return a;
      }
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        return switch (p.getNumberType()) {
          case INT -> NODES.numberNode(p.getIntValue());
          case LONG -> NODES.numberNode(p.getLongValue());
          default -> NODES.numberNode(p.getBigIntegerValue());
        };
      case VALUE_NUMBER_FLOAT:
        return NODES.numberNode(p.getDoubleValue()); // 1e400 is +Infinity here, reported as not finite
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new IllegalStateException("unexpected JSON token " + t); // the parser gives no others here
    }
  }

  private static String at(JsonLocation l) {
    return l == null || l.getLineNr() < 0 ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
  }

  /** The kind of fault, in our words: Jackson's messages quote the input. */
  private static String fault(JsonProcessingException e) {
    if (e instanceof JsonEOFException) {
      return "it ends in the middle of a value";
    }
    if (e.getClass().getSimpleName().equals("StreamConstraintsException")) { // Jackson 2.15+ only
      return "it is beyond the reader's limits (nesting depth, number or string length)";
    }
    String m = String.valueOf(e.getOriginalMessage());
    if (m.contains("Unexpected end-of-input")) {
      return "it ends in the middle of a value";
    }
    if (m.contains("Invalid UTF-8") || m.contains("Invalid UTF-32") || m.contains("Unmatched")) {
      return "it is not UTF-8 text";
    }
    if (m.contains("Illegal unquoted character")) {
      return "a string holds a control character (escape it)";
    }
    if (m.contains("Unrecognized token") || m.contains("Unexpected character")) {
      return "unexpected character (strings need double quotes, keys too; no trailing commas or comments)";
    }
    if (m.contains("Unrecognized character escape") || m.contains("escape")) {
      return "a string has an invalid escape sequence";
    }
    if (m.contains("Leading zeroes") || m.contains("number") || m.contains("Numeric")) {
      return "a number is not in JSON's notation";
    }
    return "the text is not JSON";
  }

  /** The errors of one request, at most {@value #MAX_ERRORS} kept and the rest counted. */
  private static final class Errors {
    private final List<FieldError> list = new ArrayList<>();
    private int count;

    void add(String field, String reason) {
      count++;
      if (list.size() < MAX_ERRORS) {
        list.add(new FieldError(field, reason));
      }
    }

    int count() {
      return count;
    }

    Parsed result(List<Map<String, Object>> records, Integer topK) {
      if (count == 0) {
        return new Parsed(records, topK, List.of());
      }
      List<FieldError> out = new ArrayList<>(list);
      if (count > list.size()) {
        out.add(new FieldError(FieldError.BODY, (count - list.size()) + " more problems, not listed"));
      }
      return new Parsed(List.of(), null, out);
    }
  }
}
