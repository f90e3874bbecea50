package io.dxpipe.ingest;

import java.util.List;
import java.util.Locale;

/**
 * The file formats sources deliver, each read by one {@link RecordParser}; a source declares its
 * format in {@code dxpipe.ingest.sources.<source>.format} (json, jsonl and csv are mapped by
 * configuration alone). The generator writes sample files in each of them but case files.
 */
public enum SourceFormat {
  /** One JSON document per file, fields by JSON pointer. */
  JSON("json", true),
  /** One JSON document per line, fields by JSON pointer. */
  JSONL("jsonl", false),
  /** A CSV file with a header row, fields by column name. */
  CSV("csv", false),
  /** The regional registry's XML export ({@code <registryExport><record>}), many records per file. */
  REGISTRY_XML("xml", false),
  /** FHIR R4 bundles (HAPI FHIR), one per file: Patient, Encounter, Observation by LOINC, Condition. */
  FHIR("json", true),
  /** Case files: one case per line, HPO ids only (published rare-disease cases), see {@code HpoCasesParser}. */
  HPO_CASES("txt", false);

  private final String extension;
  private final boolean onePerFile;

  SourceFormat(String extension, boolean onePerFile) {
    this.extension = extension;
    this.onePerFile = onePerFile;
  }

  /** The formats the sample generator writes (every one but case files), in declaration order. */
  public static List<SourceFormat> generated() {
    return List.of(JSON, JSONL, CSV, REGISTRY_XML, FHIR);
  }

  /** Configuration name: json, jsonl, csv, registry-xml, fhir, hpo-cases. */
  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The file name extension, without the dot. */
  public String extension() {
    return extension;
  }

  /** Whether a file holds one record (a document, a bundle) rather than a batch. */
  public boolean onePerFile() {
    return onePerFile;
  }
}
