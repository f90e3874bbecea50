package io.dxpipe.testing;

import io.dxpipe.catalogue.Disease;
import io.dxpipe.catalogue.DiseaseCatalogue;
import io.dxpipe.config.Environment;
import io.dxpipe.config.Settings;
import io.dxpipe.generate.PatientRecord;
import io.dxpipe.generate.RecordSynthesizer;
import io.dxpipe.generate.SampleSources;
import io.dxpipe.generate.format.ClinicCsvWriter;
import io.dxpipe.generate.format.FhirBundleWriter;
import io.dxpipe.generate.format.NestedJsonWriter;
import io.dxpipe.generate.format.RecordFormatWriter;
import io.dxpipe.generate.format.RegistryXmlWriter;
import io.dxpipe.ingest.IngestSettings;
import io.dxpipe.ingest.LandingIngest;
import io.dxpipe.ingest.SourceFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/** Generated records, their rendering per source, and the ingest settings of conf/local.conf. */
public final class IngestFixtures {
  public static final DiseaseCatalogue CATALOGUE = DiseaseCatalogue.fromClasspath();
  public static final Map<String, String> DISEASE_CODES = LandingIngest.diseaseCodes(CATALOGUE);
  /** A key for tests (not the development key), 48 bytes. */
  public static final String TEST_KEY = "test-patient-key-0123456789-0123456789-abcdefgh";

  private IngestFixtures() {}

  public static IngestSettings ingestSettings(String... overrides) {
    Settings s = TestSettings.load(overrides);
    return IngestSettings.from(s.config().dxpipe(), Environment.LOCAL);
  }

  /** n records of n different patients (no repeat visits: ingest tests count one patient key per record). */
  public static List<PatientRecord> records(int n) {
    RecordSynthesizer synthesizer = new RecordSynthesizer(CATALOGUE, TestSettings.generate("generate.repeat-visit-rate=0"));
    return LongStream.range(0, n).mapToObj(synthesizer::synthesize).toList();
  }

  public static RecordFormatWriter writer(SourceFormat format) {
    Map<String, String> names = CATALOGUE.diseases().stream().collect(Collectors.toMap(Disease::code, Disease::name));
    return switch (format) {
      case JSON -> new NestedJsonWriter(SampleSources.name(format), NestedJsonWriter.Layout.ONE_PER_FILE);
      case JSONL -> new NestedJsonWriter(SampleSources.name(format), NestedJsonWriter.Layout.LINES);
      case REGISTRY_XML -> new RegistryXmlWriter(SampleSources.name(format), names);
      case CSV -> new ClinicCsvWriter(names);
      case FHIR -> new FhirBundleWriter(names);
      case HPO_CASES -> throw new IllegalArgumentException("no writer for case files");
    };
  }
}
