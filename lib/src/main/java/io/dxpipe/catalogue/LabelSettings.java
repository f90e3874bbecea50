package io.dxpipe.catalogue;

import com.typesafe.config.Config;
import io.dxpipe.config.Keys;
import java.io.Serializable;

/**
 * Which diseases the model is trained on ({@code dxpipe.labels}): the built-in catalogue's (the
 * default), or the diagnoses the data holds, named as the source names them (after its
 * {@code values.diagnosis} mapping), each class with at least {@code minRecords} labelled records.
 *
 * @param from where the label set comes from
 * @param minRecords with labels from the data, a diagnosis with fewer labelled records is not a class
 *     (reported by the features job, not silently dropped)
 */
public record LabelSettings(From from, int minRecords) implements Serializable {

  /** Where the label set comes from. */
  public enum From {
    /** The built-in disease catalogue: a diagnosis outside it is not trained on. */
    CATALOGUE,
    /** The diagnoses in the data: a diagnosis the catalogue knows takes its code, any other its own name. */
    DATA
  }

  public boolean fromData() {
    return from == From.DATA;
  }

  public static LabelSettings from(Config dxpipe) {
    Keys keys = new Keys(dxpipe, "labels");
    return new LabelSettings(keys.enumValue("from", From.class), keys.intAtLeast("min-records", 1));
  }
}
