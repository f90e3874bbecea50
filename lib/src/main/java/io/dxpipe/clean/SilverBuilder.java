package io.dxpipe.clean;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.dxpipe.catalogue.Disease;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.schema.Silver;
import java.sql.Timestamp;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Bronze records to silver: the cleaning rules of {@link RecordCleaning} in order, then
 * {@link Deduplication}. Lazy: returns plans, reads and writes nothing.
 */
public final class SilverBuilder {
  private final CleanSettings settings;
  private final CategoryVocabulary categories;
  private final SymptomVocabulary symptoms;
  private final DiagnosisVocabulary diagnoses;

  public SilverBuilder(CleanSettings settings, CategoryVocabulary categories, SymptomVocabulary symptoms,
      DiagnosisVocabulary diagnoses) {
    this.settings = settings;
    this.categories = categories;
    this.symptoms = symptoms;
    this.diagnoses = diagnoses;
  }

  /** Loads the vocabularies the settings name; known symptoms and diseases are the catalogue's. */
  public static SilverBuilder load(CleanSettings settings, DiseaseCatalogue catalogue) {
    Map<String, String> diseaseNames = catalogue.diseases().stream()
        .collect(Collectors.toMap(Disease::code, Disease::name));
    return new SilverBuilder(settings, CategoryVocabulary.load(settings.categoriesFile()),
        SymptomVocabulary.load(catalogue.symptoms(), settings.symptomsFile(), settings.maxTypoDistance(),
            settings.hpoOntology()),
        DiagnosisVocabulary.load(diseaseNames, settings.diagnosesFile())
            .withLabelsFromData(settings.labels().fromData()));
  }

  /** The cleaning rules without de-duplication: what the scoring path applies to a day's records. */
  public Dataset<Row> clean(Dataset<Row> bronze) {
    Dataset<Row> records = RecordCleaning.selectSilverColumns(bronze);
    records = RecordCleaning.normalizeUnits(records, settings.fahrenheitRange());
    records = RecordCleaning.normalizeCategories(records, categories);
    records = RecordCleaning.normalizeSymptoms(records, symptoms);
    records = RecordCleaning.normalizeDiagnoses(records, diagnoses);
    records = RecordCleaning.flagOutliers(records, settings.limits());
    return RecordCleaning.flagImplausibleDates(records, settings.earliestDate(), settings.daysAfterDelivery());
  }

  /**
   * {@link #clean} on one record, in plain Java (the online service's path: no Spark query): the
   * bronze columns in, silver's columns and quality flags out, the same values and flags in the same
   * order as the Dataset rules give (see {@link RowCleaning}). The input map is not changed.
   */
  public Map<String, Object> clean(Map<String, ?> bronze) {
    Map<String, Object> record = RowCleaning.selectSilverColumns(bronze);
    RowCleaning.normalizeUnits(record, settings.fahrenheitRange());
    RowCleaning.normalizeCategories(record, categories);
    RowCleaning.normalizeSymptoms(record, symptoms);
    RowCleaning.normalizeDiagnoses(record, diagnoses);
    RowCleaning.flagOutliers(record, settings.limits());
    RowCleaning.flagImplausibleDates(record, settings.earliestDate(), settings.daysAfterDelivery());
    return record;
  }

  /** The diagnosis vocabulary the rules resolve diagnoses with. */
  public DiagnosisVocabulary diagnoses() {
    return diagnoses;
  }

  /** The symptom vocabulary the rules resolve names with (the service suggests its known codes). */
  public SymptomVocabulary symptoms() {
    return symptoms;
  }

  /** Cleaned, de-duplicated records in silver's schema, and the dropped duplicates with their decision. */
  public Deduplication.Result build(Dataset<Row> bronze, String runId, Timestamp cleanedAt) {
    Deduplication.Result result = Deduplication.dropDuplicateRecords(clean(bronze), settings.sourcePriority());
    Dataset<Row> silver = result.kept()
        .withColumn(Silver.CLEAN_RUN_ID, lit(runId))
        .withColumn(Silver.CLEANED_AT, lit(cleanedAt))
        .select(Silver.SCHEMA.fieldNames()[0], java.util.Arrays.copyOfRange(Silver.SCHEMA.fieldNames(), 1,
            Silver.SCHEMA.fieldNames().length));
    Dataset<Row> duplicates = result.dropped().withColumn(Silver.CLEAN_RUN_ID, lit(runId))
        .select(java.util.Arrays.stream(Silver.Duplicates.SCHEMA.fieldNames()).map(c -> col(c)).toArray(Column[]::new));
    return new Deduplication.Result(silver, duplicates);
  }
}
