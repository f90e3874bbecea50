package io.dxpipe.generate;

import static io.dxpipe.spark.Rows.seq;

import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.ingest.Pseudonymizer;
import io.dxpipe.schema.Bronze;
import io.dxpipe.spark.SparkCompat;
import java.io.Serializable;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;

/**
 * The generator's records as bronze rows, without files, formats or ingest: what a source would
 * have delivered once ingest has parsed it (no dirt, no duplicates). For benchmarks of the later
 * stages, which need millions of bronze records quickly, and for tests that need a day's records
 * in memory. Values are the synthesiser's, so cleaning and the model see the same populations as
 * through landing files; keys are made as ingest makes them (record key {@code source:id}, patient
 * key an HMAC of the source's patient id).
 */
public final class BronzeSynthesizer {
  private BronzeSynthesizer() {}

  /** Lazy: {@code settings.records()} bronze rows in {@code settings.partitions()} partitions. */
  public static Dataset<Row> records(SparkSession spark, DiseaseCatalogue catalogue, GenerateSettings settings,
      byte[] patientKey, String runId) {
    return spark.range(0, settings.records(), 1, settings.partitions())
        .mapPartitions(new ToBronze(new RecordSynthesizer(catalogue, settings), patientKey, runId,
            new Timestamp(System.currentTimeMillis()), Date.valueOf(settings.date())), SparkCompat.rowEncoder(Bronze.SCHEMA));
  }

  /**
   * Lazy: {@code perDisease} first-visit records of each of {@code diseases}, in that order (record i
   * is a patient of {@code diseases[i / perDisease]}, with that disease as its diagnosis), from
   * {@link RecordSynthesizer#synthesizeCase}; {@code settings} must be of daily mode (no
   * misdiagnosis, no repeat visits). The held-out evaluation set of the training job.
   */
  public static Dataset<Row> cases(SparkSession spark, DiseaseCatalogue catalogue, GenerateSettings settings,
      List<io.dxpipe.catalogue.Disease> diseases, int perDisease, byte[] patientKey, String runId) {
    return cases(spark, catalogue, settings, diseases, perDisease, patientKey, runId, (r, i) -> r);
  }

  /** What becomes of a synthesised case before it is a bronze row (e.g. less precise terms); runs on executors. */
  @FunctionalInterface
  public interface CaseNoise extends java.io.Serializable {
    PatientRecord apply(PatientRecord record, long index);
  }

  /** As above, each case passed through {@code noise} first. */
  public static Dataset<Row> cases(SparkSession spark, DiseaseCatalogue catalogue, GenerateSettings settings,
      List<io.dxpipe.catalogue.Disease> diseases, int perDisease, byte[] patientKey, String runId, CaseNoise noise) {
    if (settings.mode() != GenerateSettings.GenerationMode.DAILY) {
      throw new IllegalArgumentException("cases are synthesised in daily mode, not " + settings.mode());
    }
    long n = (long) diseases.size() * perDisease;
    int partitions = (int) Math.max(1, Math.min(spark.sparkContext().defaultParallelism(), n / 1000 + 1));
    return spark.range(0, n, 1, partitions)
        .mapPartitions(new ToBronze(new RecordSynthesizer(catalogue, settings), patientKey, runId,
            new Timestamp(System.currentTimeMillis()), Date.valueOf(settings.date()), List.copyOf(diseases), perDisease,
            noise),
            SparkCompat.rowEncoder(Bronze.SCHEMA));
  }

  /** Synthesises the records of a range of indices; runs on executors. */
  private static final class ToBronze implements MapPartitionsFunction<Long, Row>, Serializable {
    private final RecordSynthesizer synthesizer;
    private final byte[] patientKey;
    private final String runId;
    private final Timestamp ingestTime;
    private final Date deliveryDate;
    /** When not null, record i is a case of cases[i / perDisease] (see {@link #cases}). */
    private final List<io.dxpipe.catalogue.Disease> cases;
    private final int perDisease;
    private final CaseNoise noise;

    ToBronze(RecordSynthesizer synthesizer, byte[] patientKey, String runId, Timestamp ingestTime, Date deliveryDate) {
      this(synthesizer, patientKey, runId, ingestTime, deliveryDate, null, 0, null);
    }

    ToBronze(RecordSynthesizer synthesizer, byte[] patientKey, String runId, Timestamp ingestTime, Date deliveryDate,
        List<io.dxpipe.catalogue.Disease> cases, int perDisease, CaseNoise noise) {
      this.synthesizer = synthesizer;
      this.patientKey = patientKey;
      this.runId = runId;
      this.ingestTime = ingestTime;
      this.deliveryDate = deliveryDate;
      this.cases = cases;
      this.perDisease = perDisease;
      this.noise = noise;
    }

    @Override
    public Iterator<Row> call(Iterator<Long> indices) {
      Pseudonymizer keys = new Pseudonymizer(patientKey);
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return indices.hasNext();
        }

        @Override
        public Row next() {
          long index = indices.next();
          return row(cases == null ? synthesizer.synthesize(index)
              : noise.apply(synthesizer.synthesizeCase(cases.get((int) (index / perDisease)), index), index), keys);
        }
      };
    }

    private Row row(PatientRecord r, Pseudonymizer keys) {
      String source = SampleSources.name(r.format);
      List<Row> symptoms = new ArrayList<>(r.symptoms.size());
      for (PatientRecord.SymptomEntry s : r.symptoms) {
        symptoms.add(new GenericRowWithSchema(new Object[] {s.writtenName(), s.severity()}, Bronze.SYMPTOM));
      }
      return RowFactory.create(
          Bronze.recordKey(source, r.recordId),
          source,
          r.recordId,
          keys.patientKey(source, r.sourcePatientId),
          r.nationalId == null ? null : keys.personKey(r.nationalId),
          r.age,
          r.gender,
          r.ethnicity,
          r.maritalStatus,
          r.education,
          r.diagnosisDate == null ? null : Date.valueOf(r.diagnosisDate),
          r.onsetDate == null ? null : Date.valueOf(r.onsetDate),
          r.symptomDurationDays,
          seq(symptoms),
          seq(r.previousDiagnoses),
          r.temperatureC,
          r.heartRate,
          r.systolic,
          r.diastolic,
          r.respiratoryRate,
          r.spo2,
          r.weightKg,
          null, // notes hold free text with identifiers: ingest scrubs them; not needed here
          r.diseaseCode,
          r.diseaseName,
          "synthesized:" + runId,
          deliveryDate,
          runId,
          ingestTime,
          null); // no declared inputs
    }
  }
}
