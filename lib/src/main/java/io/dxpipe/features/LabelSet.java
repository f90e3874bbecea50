package io.dxpipe.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.dxpipe.catalogue.Disease;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.catalogue.LabelSettings;
import io.dxpipe.schema.Bronze;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The classes the model is trained on, and every silver record's place: trained on, unlabelled (no
 * diagnosis: to be scored), or not trained on with its reason. From one Spark job (records per
 * diagnosis code); the counts add up: {@code records = trained + unlabelled + notTrainedRecords}.
 *
 * <p>Reasons: {@value #UNMAPPED} (a diagnosis in words that matched no disease, flagged
 * {@code unmapped:diagnosis=} by the clean job), {@value #OUTSIDE} (a code the catalogue does not
 * have, labels from the catalogue), {@value #TOO_FEW} (labels from the data, a diagnosis with fewer
 * than {@code dxpipe.labels.min-records} records; each such class is listed with its count).
 *
 * @param classes the trained classes' codes, sorted
 * @param notTrained reason to records
 * @param tooFewClasses "code (records)" of each diagnosis with too few records, by code
 */
public record LabelSet(long records, long trained, long unlabelled, List<String> classes,
    Map<String, Long> notTrained, List<String> tooFewClasses) implements Serializable {

  public static final String UNMAPPED = "with a diagnosis that matched no disease (unmapped)";
  public static final String OUTSIDE = "with a diagnosis code outside the catalogue";
  public static final String TOO_FEW = "in a class with fewer than dxpipe.labels.min-records records";

  public long notTrainedRecords() {
    return notTrained.values().stream().mapToLong(Long::longValue).sum();
  }

  /** "12 with a diagnosis that matched no disease (unmapped), 3 in a class with fewer than ... records: [a (2), b (1)]". */
  public String describeNotTrained() {
    List<String> parts = new ArrayList<>();
    notTrained.forEach((reason, n) -> parts.add(String.format(Locale.ROOT, "%,d %s", n, reason)
        + (reason.equals(TOO_FEW) ? ": " + tooFewClasses : "")));
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }

  public static LabelSet of(Dataset<Row> silver, DiseaseCatalogue catalogue, LabelSettings settings) {
    Column code = col(Bronze.DIAGNOSIS_CODE);
    Column text = col(Bronze.DIAGNOSIS_TEXT);
    Column kind = when(code.isNotNull(), lit("coded"))
        .when(text.isNull().or(trim(text).equalTo("")), lit("unlabelled")).otherwise(lit("unmapped"));
    Map<String, Long> perCode = new TreeMap<>();
    long unlabelled = 0;
    long unmapped = 0;
    for (Row r : silver.groupBy(kind.as("kind"), code).count().collectAsList()) {
      switch (r.getString(0)) {
        case "coded" -> perCode.put(r.getString(1), r.getLong(2));
        case "unlabelled" -> unlabelled += r.getLong(2);
        default -> unmapped += r.getLong(2);
      }
    }
    return of(perCode, unlabelled, unmapped, catalogue, settings);
  }

  /**
   * The label set from counts: records per diagnosis code, records without a diagnosis, and records
   * whose diagnosis matched no disease (the onboarding check counts a sample this way, without Spark).
   */
  public static LabelSet of(Map<String, Long> perCode, long unlabelled, long unmapped, DiseaseCatalogue catalogue,
      LabelSettings settings) {
    Set<String> catalogueCodes = catalogue.diseases().stream().map(Disease::code).collect(Collectors.toSet());
    List<String> classes = new ArrayList<>();
    List<String> tooFew = new ArrayList<>();
    long outside = 0;
    long small = 0;
    long trained = 0;
    for (Map.Entry<String, Long> e : new TreeMap<>(perCode).entrySet()) {
      if (settings.fromData()) {
        if (e.getValue() >= settings.minRecords()) {
          classes.add(e.getKey());
          trained += e.getValue();
        } else {
          tooFew.add(e.getKey() + " (" + e.getValue() + ")");
          small += e.getValue();
        }
      } else if (catalogueCodes.contains(e.getKey())) {
        classes.add(e.getKey());
        trained += e.getValue();
      } else {
        outside += e.getValue();
      }
    }
    Map<String, Long> notTrained = new LinkedHashMap<>();
    if (unmapped > 0) {
      notTrained.put(UNMAPPED, unmapped);
    }
    if (outside > 0) {
      notTrained.put(OUTSIDE, outside);
    }
    if (small > 0) {
      notTrained.put(TOO_FEW, small);
    }
    return new LabelSet(trained + unlabelled + unmapped + outside + small, trained, unlabelled, List.copyOf(classes),
        java.util.Collections.unmodifiableMap(notTrained), List.copyOf(tooFew));
  }
}
