package io.dxpipe.serve.http;

import java.util.Objects;

/**
 * One thing wrong with a request: where ({@code field}, a path into the body such as
 * {@code records[2].symptoms[0].severity}, a query parameter's name, or {@code (body)} for the body
 * as a whole) and why, in words a client developer can act on. Reasons name fields and short lists
 * of allowed values, never the value that was sent: a request carries patient data, and error
 * responses and logs must not.
 */
public record FieldError(String field, String reason) {
  /** The {@code field} of an error about the body as a whole (malformed JSON, empty body, size). */
  public static final String BODY = "(body)";

  public FieldError {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(reason, "reason");
  }
}
