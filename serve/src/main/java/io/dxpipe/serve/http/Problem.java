package io.dxpipe.serve.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An error response in RFC 9457 "problem details" form ({@value #MEDIA_TYPE}): a problem type,
 * a title that is the same for every occurrence of that type, the HTTP status, a detail for this
 * occurrence, the request path as {@code instance}, and two extension members: the request id
 * (the one in the audit row and the logs, so a support call can find the request) and, for
 * invalid requests, every bad field with its reason.
 *
 * <p>Types of our own ({@value #TYPE_BASE}{@code <slug>}) are used where the problem means more
 * than its status (an invalid record, a record the model cannot score, no model loaded, a
 * timeout); plain HTTP conditions (401, 403, 404, 405, 413, 415) are {@code about:blank}, whose
 * title is the status phrase, as the RFC recommends.
 *
 * <p>No factory takes request content: details are fixed sentences, field names and limits, so
 * an error response can never carry patient data or a stack trace.
 */
public record Problem(URI type, String title, int status, String detail, String instance,
    String requestId, List<FieldError> errors) {

  /** The media type of problem responses (RFC 9457 section 3). */
  public static final String MEDIA_TYPE = "application/problem+json";
  /** Where our problem types live; the slug names the problem. */
  public static final String TYPE_BASE = "https://dxpipe.io/problems/";
  /** RFC 9457's type for a problem that is no more than its HTTP status. */
  public static final URI ABOUT_BLANK = URI.create("about:blank");
  /**
   * The {@code WWW-Authenticate} header of a 401 without credentials (RFC 6750 section 3): the
   * scheme and realm, and no error code, since the client has not tried yet.
   */
  public static final String WWW_AUTHENTICATE = "Bearer realm=\"dxpipe\"";
  /** The {@code WWW-Authenticate} header of a 401 whose token was given but is not valid. */
  public static final String WWW_AUTHENTICATE_INVALID_TOKEN = "Bearer realm=\"dxpipe\", error=\"invalid_token\"";

  /** JSON member names: RFC 9457's, then our extensions in the request bodies' snake_case. */
  static final String REQUEST_ID = "request_id";
  static final String ERRORS = "errors";

  private static final ObjectMapper JSON = new ObjectMapper();

  public Problem {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(title, "title");
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  /** 400: the request's fields (or its body as a whole) are not what the endpoint reads; every one is listed. */
  public static Problem badRequest(List<FieldError> errors, String path, String requestId) {
    int n = errors.size();
    String detail = n == 1 ? "1 problem with the request: see errors" : n + " problems with the request: see errors";
    return new Problem(ours("invalid-request"), "Invalid request", 400, detail, path, requestId, errors);
  }

  /**
   * 422: a well-formed record the model cannot score, for the reason the batch path would reject it
   * with (no known symptom, say). The reason must be one of the cleaning rules' fixed sentences,
   * not text built from the record.
   */
  public static Problem unprocessable(String reason, String path, String requestId) {
    return new Problem(ours("unscorable-record"), "Record cannot be scored", 422, reason, path, requestId, List.of());
  }

  /** 422 for a batch: which records cannot be scored and why (fields such as {@code records[3]}). */
  public static Problem unprocessable(List<FieldError> records, String path, String requestId) {
    int n = records.size();
    String detail = (n == 1 ? "1 record" : n + " records") + " cannot be scored: see errors";
    return new Problem(ours("unscorable-record"), "Record cannot be scored", 422, detail, path, requestId, records);
  }

  /** 401: no bearer token, or one that is not valid; send with {@link #WWW_AUTHENTICATE}. */
  public static Problem unauthorized(String path, String requestId) {
    return new Problem(ABOUT_BLANK, "Unauthorized", 401,
        "a valid bearer token is required (header Authorization: Bearer <token>)", path, requestId, List.of());
  }

  /** 403: a valid token whose roles do not include the one this endpoint needs. */
  public static Problem forbidden(Tokens.Role needed, String path, String requestId) {
    return new Problem(ABOUT_BLANK, "Forbidden", 403,
        "this endpoint needs the role '" + needed.label() + "'", path, requestId, List.of());
  }

  public static Problem notFound(String path, String requestId) {
    return new Problem(ABOUT_BLANK, "Not Found", 404, "no endpoint at this path", path, requestId, List.of());
  }

  /** 405, naming the methods the path does allow (the same list as the {@code Allow} header). */
  public static Problem methodNotAllowed(List<String> allowed, String path, String requestId) {
    return new Problem(ABOUT_BLANK, "Method Not Allowed", 405,
        "this path allows " + String.join(", ", allowed), path, requestId, List.of());
  }

  /** 413: the body is over the configured size limit (RFC 9110 calls it "Content Too Large"). */
  public static Problem payloadTooLarge(long maxBytes, String path, String requestId) {
    return new Problem(ABOUT_BLANK, "Content Too Large", 413,
        "the body is larger than the limit of " + maxBytes + " bytes; send fewer records per request",
        path, requestId, List.of());
  }

  /** 415: the body is not JSON by its {@code Content-Type}; see {@link RecordRequest#contentType(String)}. */
  public static Problem unsupportedMediaType(String path, String requestId) {
    return new Problem(ABOUT_BLANK, "Unsupported Media Type", 415,
        "send the body as Content-Type: application/json", path, requestId, List.of());
  }

  /** 503: the service is up but has no model that passed its gate yet; retry later. */
  public static Problem serviceUnavailable(String path, String requestId) {
    return new Problem(ours("no-model"), "No model loaded", 503,
        "no model is loaded yet, or none passed its check; see /health", path, requestId, List.of());
  }

  /**
   * 503: the request took longer than the configured request timeout. 503 rather than 504, since
   * this server is not a gateway waiting on another one: it is itself too busy to answer in time,
   * which is what 503 says; a client may retry.
   */
  public static Problem timeout(Duration limit, String path, String requestId) {
    return new Problem(ours("timeout"), "Request timed out", 503,
        "the request took longer than the limit of " + limit.toMillis() + " ms", path, requestId, List.of());
  }

  /**
   * 500, for the server's last-resort handler only: a fixed sentence, never the exception's message
   * or stack trace (those go to the log, without record content).
   */
  public static Problem internalError(String path, String requestId) {
    return new Problem(ours("internal-error"), "Internal error", 500,
        "the server failed to answer; the request id finds it in the server's log", path, requestId, List.of());
  }

  /** The problem as a JSON object, members in RFC order; absent members (null, no errors) are left out. */
  public ObjectNode toJsonNode() {
    ObjectNode o = JSON.createObjectNode();
    o.put("type", type.toString());
    o.put("title", title);
    o.put("status", status);
    if (detail != null) {
      o.put("detail", detail);
    }
    if (instance != null) {
      o.put("instance", instance);
    }
    if (requestId != null) {
      o.put(REQUEST_ID, requestId);
    }
    if (!errors.isEmpty()) {
      ArrayNode a = o.putArray(ERRORS);
      for (FieldError e : errors) {
        a.addObject().put("field", e.field()).put("reason", e.reason());
      }
    }
    return o;
  }

  /** {@link #toJsonNode()} as text, the body of a {@value #MEDIA_TYPE} response. */
  public String toJson() {
    return toJsonNode().toString();
  }

  private static URI ours(String slug) {
    return URI.create(TYPE_BASE + slug);
  }
}
