package io.dxpipe.ingest;

import java.util.Locale;

/** How a source's files are laid out; json, jsonl and csv are mapped by configuration alone. */
public enum SourceFormatType {
  /** One JSON document per file, fields by JSON pointer. */
  JSON,
  /** One JSON document per line, fields by JSON pointer. */
  JSONL,
  /** A CSV file with a header row, fields by column name. */
  CSV,
  /** The regional registry's XML export ({@code <registryExport><record>}). */
  REGISTRY_XML,
  /** FHIR R4 bundles (HAPI FHIR): Patient, Encounter, Observation by LOINC, Condition. */
  FHIR;

  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
