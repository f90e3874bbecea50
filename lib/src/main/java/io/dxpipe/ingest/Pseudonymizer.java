package io.dxpipe.ingest;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed pseudonyms: HMAC-SHA256 under a secret key, hex encoded. Without the key a pseudonym cannot
 * be linked back to the identifier (unlike a plain hash, which a dictionary of ids reverses). Not
 * thread-safe (one Mac per instance): create one per task.
 */
public final class Pseudonymizer {
  private final Mac mac;

  public Pseudonymizer(byte[] key) {
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  /** The stable patient key of a patient id issued by a system (an EHR, a registry). */
  public String patientKey(String system, String patientId) {
    return hmac("patient\u0000" + system + "\u0000" + patientId.trim());
  }

  /** The key of a national id, shared across sources: lets clean link one person's records. */
  public String personKey(String nationalId) {
    StringBuilder kept = new StringBuilder(nationalId.length()); // [^0-9A-Za-z] removed, without a regex per record
    for (int i = 0; i < nationalId.length(); i++) {
      char c = nationalId.charAt(i);
      if (c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
        kept.append(c);
      }
    }
    String digits = kept.toString().toUpperCase(java.util.Locale.ROOT);
    return digits.isEmpty() ? null : hmac("national-id\u0000" + digits);
  }

  /** The keyed hash of a landing file's path: the reference bronze keeps instead of the file name. */
  public String fileKey(String path) {
    return hmac("file\u0000" + path);
  }

  private String hmac(String value) {
    return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
  }
}
