package io.dxpipe.serve;

/**
 * A fitted pipeline the row evaluator cannot reproduce exactly (a stage type it does not know, a
 * SQL statement other than the feature pipeline's, a setting it does not implement): the model is
 * refused rather than served with answers that differ from the batch path's.
 */
public final class UnsupportedModelException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnsupportedModelException(String message) {
    super(message);
  }
}
