package io.dxpipe.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dxpipe.catalogue.Disease;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.generate.DirtInjector.Corruption;
import io.dxpipe.generate.DirtInjector.Duplicate;
import io.dxpipe.generate.format.ClinicCsvWriter;
import io.dxpipe.generate.format.FhirBundleWriter;
import io.dxpipe.generate.format.NestedJsonWriter;
import io.dxpipe.generate.format.RecordFormatWriter;
import io.dxpipe.generate.format.RegistryXmlWriter;
import io.dxpipe.ingest.SourceFormat;
import io.dxpipe.io.SerializableHadoopConf;
import io.dxpipe.io.StorageFiles;
import io.dxpipe.schema.DelayedLabels;
import io.dxpipe.spark.TaskProgress;
import java.io.Serializable;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Writes raw sample files into the landing zone, in parallel: Spark splits the record indices
 * into fixed ranges and each task synthesises its records, injects dirt and writes its files
 * through the Hadoop file system of the landing URI. Nothing but per-task counters comes back to
 * the driver. File names are deterministic, so a re-run with the same settings replaces the same
 * files instead of adding new ones.
 *
 * <p>Layout: {@code <landing>/<source>/<yyyy-MM-dd>/<recordId>.json} for one-record formats,
 * {@code <landing>/<source>/<yyyy-MM-dd>/<source>-<date>-s<seed>-p<task>-<n>.<ext>} for batches.
 */
public final class LandingGenerator {
  private final SparkSession spark;
  private final DiseaseCatalogue catalogue;
  private final GenerateSettings settings;
  private final String landing;
  private String labels;

  public LandingGenerator(SparkSession spark, DiseaseCatalogue catalogue, GenerateSettings settings, String landing) {
    this.spark = spark;
    this.catalogue = catalogue;
    this.settings = settings;
    this.landing = landing;
  }

  /**
   * Daily mode: also writes each delivered record's true disease to {@code labels} as the confirmed
   * diagnoses that reach the hospital later (CSV of {@link DelayedLabels}), one file per task
   * under {@code <labels>/<date>/}.
   */
  public LandingGenerator withLabels(String labels) {
    this.labels = labels;
    return this;
  }

  public GenerationStats run() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<PartitionWriter> writer = jsc.broadcast(new PartitionWriter(
        new RecordSynthesizer(catalogue, settings), new DirtInjector(settings.dirty(), settings.seed()),
        writers(catalogue), settings, landing,
        settings.mode() == GenerateSettings.GenerationMode.DAILY ? labels : null, new SerializableHadoopConf(jsc.hadoopConfiguration())));
    try (TaskProgress progress = new TaskProgress(spark, "generate", settings.partitions(), System.out)) {
      return spark.range(0, settings.records(), 1, settings.partitions())
          .javaRDD()
          .mapPartitionsWithIndex(new WritePartition(writer), false)
          .reduce(GenerationStats::merge);
    } finally {
      writer.destroy();
    }
  }

  static Map<SourceFormat, RecordFormatWriter> writers(DiseaseCatalogue catalogue) {
    Map<String, String> names = catalogue.diseases().stream().collect(Collectors.toMap(Disease::code, Disease::name));
    Map<SourceFormat, RecordFormatWriter> writers = new EnumMap<>(SourceFormat.class);
    writers.put(SourceFormat.JSON,
        new NestedJsonWriter(SampleSources.name(SourceFormat.JSON), NestedJsonWriter.Layout.ONE_PER_FILE));
    writers.put(SourceFormat.JSONL,
        new NestedJsonWriter(SampleSources.name(SourceFormat.JSONL), NestedJsonWriter.Layout.LINES));
    writers.put(SourceFormat.REGISTRY_XML, new RegistryXmlWriter(SampleSources.name(SourceFormat.REGISTRY_XML), names));
    writers.put(SourceFormat.CSV, new ClinicCsvWriter(names));
    writers.put(SourceFormat.FHIR, new FhirBundleWriter(names));
    return writers;
  }

  /** The run manifest: settings and counts, written beside (not inside) the landing zone. */
  public static String manifestJson(GenerateSettings settings, String landing, GenerationStats stats) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", settings.mode().name().toLowerCase(Locale.ROOT));
    m.put("date", settings.date().toString());
    m.put("seed", settings.seed());
    m.put("landing", landing);
    m.put("patients", stats.patients);
    m.put("repeatVisits", stats.repeatVisits);
    m.put("labelled", stats.labelled);
    m.put("orphanPatients", stats.orphanPatients);
    m.put("deliveries", stats.deliveries());
    m.put("duplicateSameSource", stats.duplicateSameSource);
    m.put("duplicateCrossSource", stats.duplicateCrossSource);
    m.put("files", stats.files());
    m.put("filesPerFormat", stats.filesPerFormat);
    m.put("recordsPerFormat", stats.recordsPerFormat);
    m.put("corruptFiles", stats.corruptFiles);
    m.put("recordsInCorruptFiles", stats.recordsInCorruptFiles);
    m.put("recordDefects", stats.defects);
    m.put("symptomVariants", stats.symptomVariants);
    m.put("patientsPerDisease", stats.patientsPerDisease);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String manifestName(GenerateSettings settings) {
    return "generate-" + settings.mode().name().toLowerCase(Locale.ROOT) + "-" + settings.date() + "-seed"
        + settings.seed() + ".json";
  }

  /** Spark task body; a named class so that what is serialized is explicit. */
  private static final class WritePartition implements Function2<Integer, Iterator<Long>, Iterator<GenerationStats>> {
    private final Broadcast<PartitionWriter> writer;

    WritePartition(Broadcast<PartitionWriter> writer) {
      this.writer = writer;
    }

    @Override
    public Iterator<GenerationStats> call(Integer partition, Iterator<Long> indices) {
      return List.of(writer.value().write(partition, indices)).iterator();
    }
  }

  /** Everything a task needs, broadcast once; runs on executors. */
  static final class PartitionWriter implements Serializable {
    private final RecordSynthesizer synthesizer;
    private final DirtInjector dirt;
    private final Map<SourceFormat, RecordFormatWriter> writers;
    private final GenerateSettings settings;
    private final String landing;
    private final String labels;
    private final SerializableHadoopConf hadoopConf;
    private final String datePart;

    PartitionWriter(RecordSynthesizer synthesizer, DirtInjector dirt, Map<SourceFormat, RecordFormatWriter> writers,
        GenerateSettings settings, String landing, String labels, SerializableHadoopConf hadoopConf) {
      this.synthesizer = synthesizer;
      this.dirt = dirt;
      this.writers = writers;
      this.settings = settings;
      this.landing = landing;
      this.labels = labels;
      this.hadoopConf = hadoopConf;
      this.datePart = settings.date().format(DateTimeFormatter.ISO_LOCAL_DATE);
    }

    GenerationStats write(int partition, Iterator<Long> indices) {
      Task task = new Task(partition, new StorageFiles(landing, hadoopConf.get()));
      while (indices.hasNext()) {
        task.add(indices.next());
      }
      task.flushAll();
      task.writeLabels();
      return task.stats;
    }

    /** One task's buffers and counters. */
    private final class Task {
      private final int partition;
      private final StorageFiles files;
      private final GenerationStats stats = new GenerationStats();
      private final Map<SourceFormat, List<PatientRecord>> batches = new EnumMap<>(SourceFormat.class);
      private final Map<SourceFormat, List<PatientRecord>> resends = new EnumMap<>(SourceFormat.class);
      private final Map<SourceFormat, Integer> sequence = new EnumMap<>(SourceFormat.class);
      private final StringBuilder labelLines = new StringBuilder();

      Task(int partition, StorageFiles files) {
        this.partition = partition;
        this.files = files;
      }

      void add(long index) {
        PatientRecord r = dirt.apply(synthesizer.synthesize(index));
        stats.patients++;
        if (r.patientIndex != r.index) {
          stats.repeatVisits++;
        }
        stats.patientsPerDisease.merge(synthesizer.diseaseOf(index).code(), 1L, Long::sum);
        if (r.diseaseCode != null) {
          stats.labelled++;
        }
        if (r.orphan) {
          stats.orphanPatients++;
          stats.patientsPerOrphanDisease.merge(synthesizer.diseaseOf(index).code(), 1L, Long::sum);
        }
        if (r.defect != PatientRecord.Defect.NONE) {
          stats.defects.merge(r.defect.name().toLowerCase(Locale.ROOT), 1L, Long::sum);
        }
        if (r.symptomVariant) {
          stats.symptomVariants++;
        }
        deliver(r, batches, "");
        Duplicate duplicate = dirt.duplicateOf(r);
        if (duplicate == Duplicate.SAME_SOURCE) {
          stats.duplicateSameSource++;
          deliver(r, resends, "-resent");
        } else if (duplicate == Duplicate.CROSS_SOURCE) {
          stats.duplicateCrossSource++;
          PatientRecord other = r.copy();
          other.format = DirtInjector.otherSource(r.format);
          other.recordId = r.recordId + "-" + other.format.key();
          other.sourcePatientId = synthesizer.sourcePatientId(other.format, other.patientIndex);
          deliver(other, batches, "");
        }
      }

      private void deliver(PatientRecord r, Map<SourceFormat, List<PatientRecord>> buffers, String suffix) {
        if (labels != null && suffix.isEmpty()) { // a resent record has the same id: one label
          Disease truth = synthesizer.diseaseOf(r.index);
          labelLines.append(DelayedLabels.line(SampleSources.name(r.format), r.recordId, truth.code(), datePart));
          stats.delayedLabels++;
        }
        if (r.format.onePerFile()) {
          writeFile(r.format, r.recordId + suffix + "." + r.format.extension(), List.of(r));
          return;
        }
        List<PatientRecord> buffer = buffers.computeIfAbsent(r.format, f -> new ArrayList<>());
        buffer.add(r);
        if (buffer.size() >= settings.recordsPerFile()) {
          flush(r.format, buffer, buffers == resends ? "-resent" : "");
        }
      }

      void flushAll() {
        batches.forEach((format, buffer) -> flush(format, buffer, ""));
        resends.forEach((format, buffer) -> flush(format, buffer, "-resent"));
      }

      private void flush(SourceFormat format, List<PatientRecord> buffer, String suffix) {
        if (buffer.isEmpty()) {
          return;
        }
        int n = sequence.merge(format, 1, Integer::sum) - 1;
        String name = String.format(Locale.ROOT, "%s-%s-s%d-p%05d-%03d%s.%s", SampleSources.name(format),
            datePart.replace("-", ""), settings.seed(), partition, n, suffix, format.extension());
        writeFile(format, name, buffer);
        buffer.clear();
      }

      void writeLabels() {
        if (labels == null || labelLines.isEmpty()) {
          return;
        }
        String name = String.format(Locale.ROOT, "diagnoses-%s-s%d-p%05d.csv", datePart.replace("-", ""),
            settings.seed(), partition);
        files.write(labels + "/" + datePart + "/" + name, (DelayedLabels.HEADER + "\n" + labelLines)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }

      private void writeFile(SourceFormat format, String name, List<PatientRecord> records) {
        byte[] content = writers.get(format).render(records);
        Corruption corruption = dirt.corruptionOf(name);
        if (corruption != Corruption.NONE) {
          content = dirt.corrupt(name, content, corruption);
        }
        files.write(landing + "/" + SampleSources.name(format) + "/" + datePart + "/" + name, content);
        stats.file(format, records.size(), content.length, corruption != Corruption.NONE);
      }

    }
  }
}
