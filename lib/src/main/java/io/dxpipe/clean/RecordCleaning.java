package io.dxpipe.clean;

import static io.dxpipe.spark.Rows.seq;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.map_from_arrays;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Silver;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * The cleaning rules, each a pure {@code Dataset -> Dataset} transform over records in silver's
 * column layout (see {@link #selectSilverColumns}). A rule that changes or cannot resolve a value
 * appends a flag to {@link Silver#QUALITY_FLAGS}; nothing is dropped silently. Shared by the clean
 * job (training data) and the scoring path, so both see the same records.
 */
public final class RecordCleaning {
  private RecordCleaning() {}

  private static final StructType SYMPTOMS_RESULT = createStructType(List.of(
      createStructField("symptoms", Bronze.SCHEMA.apply(Bronze.SYMPTOMS).dataType(), false),
      createStructField("flags", createArrayType(StringType, false), false)));

  /** Dates of the clinical timeline, judged by {@link #flagImplausibleDates}. */
  static final List<String> DATE_COLUMNS = List.of(Bronze.VISIT_DATE, Bronze.SYMPTOM_ONSET_DATE);

  private static final StructType DIAGNOSIS_RESULT = createStructType(List.of(
      createStructField("code", StringType, true),
      createStructField("flag", StringType, true)));

  /** Bronze columns silver keeps, with no flags yet. */
  public static Dataset<Row> selectSilverColumns(Dataset<Row> bronze) {
    List<Column> columns = new ArrayList<>();
    Silver.BRONZE_COLUMNS.forEach(c -> columns.add(col(c)));
    columns.add(array().cast(createArrayType(StringType, false)).as(Silver.QUALITY_FLAGS));
    return bronze.select(columns.toArray(Column[]::new));
  }

  /** Appends a flag (a string column, null for none) to each record's quality flags. */
  static Dataset<Row> addFlag(Dataset<Row> df, Column flagOrNull) {
    // one reference to the flags column: nested calls collapse into one expression, which must
    // grow linearly with the number of flags (when(null, flags).otherwise(concat(flags, ...)) doubles)
    return df.withColumn(Silver.QUALITY_FLAGS, concat(col(Silver.QUALITY_FLAGS),
        when(flagOrNull.isNull(), array().cast(createArrayType(StringType, false))).otherwise(array(flagOrNull))));
  }

  /**
   * A temperature inside {@code fahrenheitRange} in the °C column was taken in °F (no human body is
   * at 86-113 °C): converted to °C and flagged {@code unit:temperature_c}.
   */
  public static Dataset<Row> normalizeUnits(Dataset<Row> df, double[] fahrenheitRange) {
    Column t = col(Bronze.TEMPERATURE_C);
    Column fahrenheit = t.between(fahrenheitRange[0], fahrenheitRange[1]);
    return addFlag(df, when(fahrenheit, lit(Silver.FLAG_UNIT + Bronze.TEMPERATURE_C)))
        .withColumn(Bronze.TEMPERATURE_C, when(fahrenheit, t.minus(32).multiply(5.0 / 9.0)).otherwise(t));
  }

  /**
   * Categorical values to their canonical spelling (trimmed, lower case, mapped by the vocabulary).
   * A value the vocabulary does not know becomes null and is flagged {@code unmapped:<column>=<value>}.
   */
  public static Dataset<Row> normalizeCategories(Dataset<Row> df, CategoryVocabulary vocabulary) {
    Dataset<Row> out = df;
    for (String column : Silver.CATEGORICAL_COLUMNS) {
      Map<String, String> values = vocabulary.of(column);
      Column raw = lower(trim(col(column)));
      Column mapped = element_at(map_from_arrays(
          array(values.keySet().stream().map(org.apache.spark.sql.functions::lit).toArray(Column[]::new)),
          array(values.values().stream().map(org.apache.spark.sql.functions::lit).toArray(Column[]::new))), raw);
      Column blank = raw.isNull().or(raw.equalTo(""));
      Column unknown = blank.unary_$bang().and(mapped.isNull());
      out = addFlag(out, when(unknown, concat(lit(Silver.FLAG_UNMAPPED + column + "="), raw)))
          .withColumn(column, when(blank.or(unknown).or(mapped.equalTo("")), lit(null).cast(StringType))
              .otherwise(mapped));
    }
    return out;
  }

  /**
   * Symptom names to canonical codes ({@link SymptomVocabulary}); a symptom named twice in a record
   * is kept once with its highest severity. Typos and unknown names are flagged.
   */
  public static Dataset<Row> normalizeSymptoms(Dataset<Row> df, SymptomVocabulary vocabulary) {
    UserDefinedFunction normalize = org.apache.spark.sql.functions.udf(
        (UDF1<scala.collection.Seq<Row>, Row>) symptoms -> normalizeSymptomList(symptoms, vocabulary),
        SYMPTOMS_RESULT);
    String tmp = "_symptoms_result";
    Dataset<Row> withResult = df.withColumn(tmp, normalize.apply(col(Bronze.SYMPTOMS)));
    return withResult
        .withColumn(Bronze.SYMPTOMS, col(tmp + ".symptoms"))
        .withColumn(Silver.QUALITY_FLAGS, concat(col(Silver.QUALITY_FLAGS), col(tmp + ".flags")))
        .drop(tmp);
  }

  static Row normalizeSymptomList(scala.collection.Seq<Row> symptoms, SymptomVocabulary vocabulary) {
    Symptoms result = symptoms(JavaConverters.seqAsJavaList(symptoms), vocabulary);
    return RowFactory.create(seq(result.symptoms()), seq(result.flags()));
  }

  /** A record's symptoms as silver holds them (rows of {@link Bronze#SYMPTOM}) and the flags raised. */
  record Symptoms(List<Row> symptoms, List<String> flags) {}

  /**
   * The symptom rule on a list of entries: bronze rows ({@code name}, {@code severity}) or maps with
   * those keys (the online service's records).
   */
  static Symptoms symptoms(List<?> entries, SymptomVocabulary vocabulary) {
    Map<String, Integer> bySeverity = new LinkedHashMap<>();
    List<String> flags = new ArrayList<>();
    for (Object s : entries) {
      String name;
      Integer severity;
      if (s instanceof Row r) {
        name = r.getString(0);
        severity = r.isNullAt(1) ? null : r.getInt(1);
      } else {
        Map<?, ?> m = (Map<?, ?>) s;
        name = (String) m.get(Bronze.SYMPTOM_NAME);
        severity = (Integer) m.get(Bronze.SYMPTOM_SEVERITY);
      }
      SymptomVocabulary.Resolution r = vocabulary.resolve(name);
      if (r.flag() != null) {
        flags.add(r.flag());
      }
      if (r.code() == null) {
        continue;
      }
      bySeverity.merge(r.code(), severity == null ? -1 : severity, Math::max);
    }
    List<Row> out = new ArrayList<>();
    bySeverity.forEach((code, severity) -> out.add(
        new GenericRowWithSchema(new Object[] {code, severity < 0 ? null : severity}, Bronze.SYMPTOM)));
    return new Symptoms(out, flags);
  }

  /**
   * The diagnosis as a catalogue disease code: a known code stays; otherwise the code or, failing
   * that, the written diagnosis is looked up in the vocabulary. What cannot be resolved keeps its
   * code (or none) and is flagged {@code unknown-diagnosis:} / {@code unmapped:diagnosis}, unless the
   * labels come from the data ({@code dxpipe.labels.from = data}): then it is a label of its own, the
   * code as written or the written diagnosis in code form, unflagged.
   */
  public static Dataset<Row> normalizeDiagnoses(Dataset<Row> df, DiagnosisVocabulary vocabulary) {
    UserDefinedFunction resolve = org.apache.spark.sql.functions.udf(
        (UDF2<String, String, Row>) (code, text) -> resolveDiagnosis(code, text, vocabulary), DIAGNOSIS_RESULT);
    String tmp = "_diagnosis_result";
    Dataset<Row> withResult = df.withColumn(tmp, resolve.apply(col(Bronze.DIAGNOSIS_CODE), col(Bronze.DIAGNOSIS_TEXT)));
    return addFlag(withResult, col(tmp + ".flag"))
        .withColumn(Bronze.DIAGNOSIS_CODE, col(tmp + ".code"))
        .drop(tmp);
  }

  static Row resolveDiagnosis(String code, String text, DiagnosisVocabulary vocabulary) {
    if (code != null && vocabulary.known().contains(code)) {
      return RowFactory.create(code, null);
    }
    String resolved = vocabulary.resolve(code);
    if (resolved == null) {
      resolved = vocabulary.resolve(text);
    }
    if (resolved != null) {
      return RowFactory.create(resolved, null);
    }
    if (vocabulary.fromData()) {
      // the user's own label set: a diagnosis the catalogue lacks is a label, named as the source names it
      String own = code != null ? code : text == null || text.isBlank() ? null : ownCode(text);
      if (own != null) {
        return RowFactory.create(own, null);
      }
    }
    if (code != null) {
      return RowFactory.create(code, Silver.FLAG_UNKNOWN_DIAGNOSIS + code);
    }
    return RowFactory.create(null, text == null || text.isBlank() ? null : Silver.FLAG_UNMAPPED + "diagnosis=" + text);
  }

  private static String ownCode(String text) {
    try {
      return io.dxpipe.catalogue.SymptomNames.code(text);
    } catch (IllegalArgumentException e) {
      return null; // no letter or digit: stays unmapped
    }
  }

  /**
   * Values outside the physiologically possible limits become null, flagged {@code outlier:<column>}.
   * Plausible extremes inside the limits are kept as they are (no clipping).
   */
  public static Dataset<Row> flagOutliers(Dataset<Row> df, Map<String, double[]> limits) {
    Dataset<Row> out = df;
    for (Map.Entry<String, double[]> e : limits.entrySet()) {
      String column = e.getKey();
      DataType type = df.schema().apply(column).dataType();
      Column value = col(column);
      Column impossible = value.isNotNull().and(value.between(e.getValue()[0], e.getValue()[1]).unary_$bang());
      out = addFlag(out, when(impossible, lit(Silver.FLAG_OUTLIER + column)))
          .withColumn(column, when(impossible, lit(null).cast(type)).otherwise(value));
    }
    return out;
  }

  /**
   * Visit and onset dates no delivery can hold, before {@code earliest} or more than
   * {@code daysAfterDelivery} days after the record's delivery date (9999-12-31, a year typed
   * 2205), become null, flagged {@code outlier:<column>}: like an impossible vital sign, it is the
   * record's problem, not its delivery's. The tolerance allows for time zones and late-night visits.
   */
  public static Dataset<Row> flagImplausibleDates(Dataset<Row> df, LocalDate earliest, int daysAfterDelivery) {
    Dataset<Row> out = df;
    Column latest = date_add(col(Bronze.DELIVERY_DATE), daysAfterDelivery);
    for (String column : DATE_COLUMNS) {
      DataType type = df.schema().apply(column).dataType();
      Column value = col(column);
      Column implausible = value.isNotNull().and(value.lt(lit(java.sql.Date.valueOf(earliest))).or(value.gt(latest)));
      out = addFlag(out, when(implausible, lit(Silver.FLAG_OUTLIER + column)))
          .withColumn(column, when(implausible, lit(null).cast(type)).otherwise(value));
    }
    return out;
  }
}
