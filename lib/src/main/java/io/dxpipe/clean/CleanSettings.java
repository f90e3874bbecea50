package io.dxpipe.clean;

import com.typesafe.config.Config;
import io.dxpipe.config.Keys;
import io.dxpipe.schema.Silver;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of the clean job ({@code dxpipe.clean}).
 *
 * @param deliveryDate the delivery to clean, or null for all of bronze
 * @param hpoOntology where the HPO ontology ({@code hp.obo}) is: a path, or a file of that name on the
 *     classpath; when neither exists HPO ids resolve through the catalogue's own ids only
 * @param limits per numeric column, the physiologically possible [min, max]
 * @param earliestDate visit and onset dates before it are implausible
 * @param daysAfterDelivery visit and onset dates more than this many days after the delivery are implausible
 * @param labels where the label set comes from ({@code dxpipe.labels}): with labels from the data, a
 *     diagnosis outside the catalogue is a label of its own instead of an unmapped one
 */
public record CleanSettings(
    LocalDate deliveryDate,
    String symptomsFile,
    String categoriesFile,
    String diagnosesFile,
    String hpoOntology,
    int maxTypoDistance,
    Map<String, double[]> limits,
    double[] fahrenheitRange,
    List<String> sourcePriority,
    LocalDate earliestDate,
    int daysAfterDelivery,
    io.dxpipe.catalogue.LabelSettings labels) implements Serializable {

  public static CleanSettings from(Config dxpipe) {
    Keys keys = new Keys(dxpipe, "clean");
    String date = keys.nonEmptyString("delivery-date");
    LocalDate deliveryDate = "all".equalsIgnoreCase(date) ? null : keys.date("delivery-date");
    Keys vocabulary = new Keys(dxpipe, "clean.vocabulary");
    Keys limitKeys = new Keys(dxpipe, "clean.limits");
    Keys dates = new Keys(dxpipe, "clean.dates");
    Map<String, double[]> limits = new LinkedHashMap<>();
    for (String column : keys.section("limits").root().keySet()) {
      if (!Silver.NUMERIC_COLUMNS.contains(column)) {
        throw limitKeys.invalid(column, "is not a numeric column (" + String.join(", ", Silver.NUMERIC_COLUMNS) + ")");
      }
      limits.put(column, pair(limitKeys, column));
    }
    return new CleanSettings(deliveryDate, vocabulary.nonEmptyString("symptoms"),
        vocabulary.nonEmptyString("categories"), vocabulary.nonEmptyString("diagnoses"),
        vocabulary.nonEmptyString("hpo-ontology"),
        (int) vocabulary.longBetween("max-typo-distance", 0, 3), Map.copyOf(limits), pair(keys, "fahrenheit-range"),
        List.copyOf(keys.strings("source-priority")), dates.date("earliest"),
        (int) dates.longBetween("days-after-delivery", 0, 366), io.dxpipe.catalogue.LabelSettings.from(dxpipe));
  }

  private static double[] pair(Keys keys, String key) {
    List<Double> values = keys.numbers(key);
    if (values.size() != 2 || values.get(0) > values.get(1)) {
      throw keys.invalid(key, "must be [min, max] with min <= max but is " + values);
    }
    return new double[] {values.get(0), values.get(1)};
  }
}
