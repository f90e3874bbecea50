package io.dxpipe.landing;

/**
 * The raw formats sources deliver, each with the source (folder under landing/) that sends it.
 * Landing layout: {@code <landing>/<source>/<yyyy-MM-dd>/<file>}.
 */
public enum SourceFormat {
  /** Nested JSON, one record per file (hospital EHR export, SI units). */
  JSON("north_ehr", "json", true),
  /** The same EHR's nightly batch: JSON lines, one record per line. */
  JSONL("north_ehr_batch", "jsonl", false),
  /** A regional registry's XML batches, units as attributes. */
  XML("registry_xml", "xml", false),
  /** A clinic's CSV export: own column names, °F, lb, US dates, yes/no flags. */
  CSV("south_clinic_csv", "csv", false),
  /** FHIR R4 transaction bundles, one patient encounter per bundle (Synthea-shaped). */
  FHIR("fhir_hub", "json", true);

  private final String source;
  private final String extension;
  private final boolean onePerFile;

  SourceFormat(String source, String extension, boolean onePerFile) {
    this.source = source;
    this.extension = extension;
    this.onePerFile = onePerFile;
  }

  /** Name of the delivering source, also its folder under landing/. */
  public String source() {
    return source;
  }

  public String extension() {
    return extension;
  }

  public boolean onePerFile() {
    return onePerFile;
  }

  /** Configuration name (json, jsonl, xml, csv, fhir). */
  public String key() {
    return name().toLowerCase();
  }
}
