package io.dxpipe.ingest;

import java.io.Serializable;
import java.util.List;

/**
 * Turns the bytes of one landing file into raw records. Throws {@link UnreadableFileException}
 * when the file as a whole cannot be read; a broken record inside a readable file comes back
 * marked malformed instead. Implementations are stateless and serializable (they run on executors).
 */
public interface RecordParser extends Serializable {
  List<RawRecord> parse(byte[] content, SourceSettings source) throws UnreadableFileException;

  static RecordParser of(SourceFormat format) {
    return switch (format) {
      case JSON -> new JsonRecordParser(false);
      case JSONL -> new JsonRecordParser(true);
      case CSV -> new CsvRecordParser();
      case REGISTRY_XML -> new RegistryXmlParser();
      case FHIR -> new FhirBundleParser();
      case HPO_CASES -> new HpoCasesParser();
    };
  }

  /** Which parser reads a format: {@link RecordParser#of} in production, a test's own where it must fail. */
  @FunctionalInterface
  interface Factory extends Serializable {
    RecordParser of(SourceFormat format);
  }

  /** The whole file is unusable; the message says why in a data engineer's words. */
  final class UnreadableFileException extends Exception {
    public UnreadableFileException(String message) {
      super(message);
    }

    public UnreadableFileException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
