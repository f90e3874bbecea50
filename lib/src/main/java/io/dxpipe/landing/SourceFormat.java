package io.dxpipe.landing;

/**
 * The raw formats sources deliver, each with the source (folder under landing/) that sends it.
 * Landing layout: {@code <landing>/<source>/<yyyy-MM-dd>/<file>}.
 */
public enum SourceFormat {
  /** Nested JSON, one record per file (hospital EHR export, SI units). */
  JSON("north_ehr", "json", true, "north_ehr"),
  /** The same EHR's nightly batch: JSON lines, one record per line. */
  JSONL("north_ehr_batch", "jsonl", false, "north_ehr"),
  /** A regional registry's XML batches, units as attributes. */
  XML("registry_xml", "xml", false, "registry_xml"),
  /** A clinic's CSV export: own column names, °F, lb, US dates, yes/no flags. */
  CSV("south_clinic_csv", "csv", false, "south_clinic_csv"),
  /** FHIR R4 transaction bundles, one patient encounter per bundle (Synthea-shaped). */
  FHIR("fhir_hub", "json", true, "fhir_hub");

  private final String source;
  private final String extension;
  private final boolean onePerFile;
  private final String patientIdSystem;

  SourceFormat(String source, String extension, boolean onePerFile, String patientIdSystem) {
    this.source = source;
    this.extension = extension;
    this.onePerFile = onePerFile;
    this.patientIdSystem = patientIdSystem;
  }

  /** The system that issues this source's patient ids: the EHR's files and batches share one. */
  public String patientIdSystem() {
    return patientIdSystem;
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
