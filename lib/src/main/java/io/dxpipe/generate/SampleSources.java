package io.dxpipe.generate;

import io.dxpipe.ingest.SourceFormat;

/**
 * The sample source the generator delivers each format as: the sources of {@code reference.conf}'s
 * {@code dxpipe.ingest.sources}, one per format. Landing layout: {@code <landing>/<source>/<yyyy-MM-dd>/<file>}.
 */
public final class SampleSources {
  private SampleSources() {}

  /** Name of the source delivering {@code format}, also its folder under landing/. */
  public static String name(SourceFormat format) {
    return switch (format) {
      case JSON -> "north_ehr"; // hospital EHR export, one record per file, SI units
      case JSONL -> "north_ehr_batch"; // the same EHR's nightly batch
      case REGISTRY_XML -> "registry_xml"; // a regional registry, units as attributes
      case CSV -> "south_clinic_csv"; // a clinic's export: own column names, °F, lb, US dates, yes/no flags
      case FHIR -> "fhir_hub"; // FHIR R4 transaction bundles (Synthea-shaped)
      case HPO_CASES -> throw new IllegalArgumentException("the sample generator writes no case files (hpo-cases)");
    };
  }

  /** The system that issues the source's patient ids: the EHR's files and batches share one. */
  public static String patientIdSystem(SourceFormat format) {
    return format == SourceFormat.JSONL ? name(SourceFormat.JSON) : name(format);
  }
}
