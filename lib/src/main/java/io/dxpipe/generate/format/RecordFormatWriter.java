package io.dxpipe.generate.format;

import io.dxpipe.generate.PatientRecord;
import java.io.Serializable;
import java.util.List;

/**
 * Renders patient records as the bytes of one raw file of a source's format. Writers are
 * stateless and serializable: executors create the files. One-record-per-file formats receive a
 * list of one record.
 */
public interface RecordFormatWriter extends Serializable {
  byte[] render(List<PatientRecord> records);
}
