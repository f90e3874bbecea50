package io.dxpipe.serve.http;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import io.dxpipe.schema.Bronze;
import io.dxpipe.schema.Predictions;
import io.dxpipe.serve.OnlineModel;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The service's two Delta tables: the audit (one row per request, no identifiers: the principal's
 * name, and patients only as HMAC pseudonyms) and the online predictions (the batch predictions'
 * columns, {@link Predictions#SCHEMA}, plus the request id), so monitoring reads both alike.
 */
public final class OnlineTables {
  private OnlineTables() {}

  public static final String TIME = "time";
  public static final String AUDIT_DATE = "audit_date";
  public static final String REQUEST_ID = "request_id";
  public static final String PRINCIPAL = "principal";
  public static final String ROLES = "roles";
  public static final String METHOD = "method";
  public static final String ENDPOINT = "endpoint";
  public static final String STATUS = "status";
  public static final String LATENCY_MS = "latency_ms";
  public static final String MODEL_NAME = "model_name";
  public static final String MODEL_VERSION = "model_version";
  public static final String RECORDS = "records";
  public static final String REJECTED_RECORDS = "rejected_records";
  public static final String PATIENT_KEYS = "patient_keys";

  public static final StructType AUDIT = createStructType(List.of(
      createStructField(TIME, TimestampType, false),
      createStructField(AUDIT_DATE, DateType, false),
      createStructField(REQUEST_ID, StringType, false),
      createStructField(PRINCIPAL, StringType, true),
      createStructField(ROLES, StringType, true),
      createStructField(METHOD, StringType, false),
      createStructField(ENDPOINT, StringType, false),
      createStructField(STATUS, IntegerType, false),
      createStructField(LATENCY_MS, DoubleType, false),
      createStructField(MODEL_NAME, StringType, true),
      createStructField(MODEL_VERSION, IntegerType, true),
      createStructField(RECORDS, IntegerType, false),
      createStructField(REJECTED_RECORDS, IntegerType, false),
      createStructField(PATIENT_KEYS, createArrayType(StringType, false), false)));

  public static final StructType PREDICTIONS;
  private static final java.util.Set<String> ORPHANS = io.dxpipe.catalogue.DiseaseCatalogue.fromClasspath().orphanCodes();

  static {
    List<StructField> fields = new ArrayList<>(List.of(Predictions.SCHEMA.fields()));
    fields.add(createStructField(REQUEST_ID, StringType, false));
    PREDICTIONS = createStructType(fields);
  }

  /** A predicted record's row of the online predictions table (JSON-able values, in the spool). */
  static Map<String, Object> predictionRow(Map<String, Object> bronze, OnlineModel.Outcome o, OnlineModel model,
      String requestId, String instanceId, Instant now, LocalDate today) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put(Bronze.RECORD_KEY, bronze.get(Bronze.RECORD_KEY));
    r.put(Bronze.PATIENT_KEY, bronze.get(Bronze.PATIENT_KEY));
    r.put(Bronze.SOURCE, bronze.get(Bronze.SOURCE));
    Object visit = bronze.get(Bronze.VISIT_DATE);
    r.put(Bronze.VISIT_DATE, visit == null ? null : visit.toString());
    r.put(Predictions.PREDICTED_CODE, o.predictedCode());
    r.put(Predictions.PROBABILITY, o.top().get(0).probability());
    List<Map<String, Object>> top = new ArrayList<>();
    for (OnlineModel.RankedDisease d : o.top()) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put(Predictions.TOP_CODE, d.code());
      t.put(Predictions.PROBABILITY, d.probability());
      t.put(Predictions.IS_ORPHAN, d.orphan());
      top.add(t);
    }
    List<Map<String, Object>> top3 = top.subList(0, Math.min(3, top.size()));
    r.put(Predictions.TOP3, top3);
    r.put(Predictions.IS_ORPHAN, ORPHANS.contains(o.predictedCode()));
    r.put(Predictions.ORPHAN_IN_TOP3, top3.stream().anyMatch(t -> (Boolean) t.get(Predictions.IS_ORPHAN)));
    r.put(Predictions.TOP_K, top); // the request's top (top_k, 3 by default)
    r.put(Predictions.MODEL_NAME, model.model().name());
    r.put(Predictions.MODEL_VERSION, model.model().version());
    r.put(Predictions.MODEL_RUN_ID, model.model().runId());
    r.put(Predictions.MODEL_URI, model.model().uri());
    r.put(Predictions.SCORE_RUN_ID, instanceId);
    r.put(Predictions.SCORED_AT, now.toString());
    r.put(Predictions.SCORING_DATE, today.toString());
    r.put(REQUEST_ID, requestId);
    return r;
  }
}
