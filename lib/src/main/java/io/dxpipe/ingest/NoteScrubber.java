package io.dxpipe.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes identifiers from free text before it reaches bronze: the record's own names, national
 * id, street address and patient id wherever they appear (any case), and anything shaped like a
 * national id, phone number or e-mail address. Replaced by [NAME], [ID], [ADDRESS], [PHONE], [EMAIL].
 */
final class NoteScrubber {
  private static final Pattern SSN = Pattern.compile("\\b\\d{3}-\\d{2}-\\d{4}\\b");
  private static final Pattern PHONE = Pattern.compile("(?<![\\w-])(\\+?\\d{1,3}[ .-]?)?\\(?\\d{3}\\)?[ .-]\\d{3}[ .-]\\d{4}\\b");
  private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+\\.[\\w.]+");

  private NoteScrubber() {}

  static String scrub(String note, RawRecord r) {
    if (note == null) {
      return null;
    }
    // the patterns run only where they can match: most notes have no '@' and few digits
    String s = note;
    int digits = 0;
    for (int i = 0; i < s.length(); i++) {
      digits += Character.isDigit(s.charAt(i)) ? 1 : 0;
    }
    if (digits >= 9) {
      s = SSN.matcher(s).replaceAll("[ID]");
    }
    if (s.indexOf('@') >= 0) {
      s = EMAIL.matcher(s).replaceAll("[EMAIL]");
    }
    if (digits >= 10) {
      s = PHONE.matcher(s).replaceAll("[PHONE]");
    }
    List<String[]> known = new ArrayList<>();
    add(known, r.get(Field.NATIONAL_ID), "[ID]");
    add(known, r.get(Field.PATIENT_ID), "[ID]");
    String address = r.get(Field.ADDRESS);
    if (address != null) {
      add(known, address, "[ADDRESS]");
      add(known, address.split(",")[0], "[ADDRESS]"); // the street line of "street, city zip"
    }
    for (Field f : List.of(Field.FULL_NAME, Field.GIVEN_NAME, Field.FAMILY_NAME)) {
      String name = r.get(f);
      if (name != null) {
        add(known, name, "[NAME]");
        for (String part : name.split("[,\\s]+")) {
          if (part.length() >= 2) {
            add(known, part, "[NAME]");
          }
        }
      }
    }
    known.sort(Comparator.comparingInt((String[] k) -> -k[0].length())); // longest first
    for (String[] k : known) {
      s = replaceWord(s, k[0], k[1]);
    }
    return s;
  }

  /** Replaces whole-word, case-insensitive occurrences (no regex: this runs for every record). */
  static String replaceWord(String text, String word, String replacement) {
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    String w = word.toLowerCase(java.util.Locale.ROOT);
    if (lower.length() != text.length()) {
      return replaceWordSlow(text, word, replacement); // case mapping changed lengths: index by index
    }
    StringBuilder out = null;
    int from = 0;
    for (int i = lower.indexOf(w); i >= 0; i = lower.indexOf(w, i + 1)) {
      if (i >= from && boundary(text, i - 1) && boundary(text, i + w.length())) {
        if (out == null) {
          out = new StringBuilder(text.length());
        }
        out.append(text, from, i).append(replacement);
        from = i + w.length();
      }
    }
    return out == null ? text : out.append(text, from, text.length()).toString();
  }

  private static String replaceWordSlow(String text, String word, String replacement) {
    StringBuilder out = null;
    int from = 0;
    int n = word.length();
    for (int i = 0; i + n <= text.length(); i++) {
      if (text.regionMatches(true, i, word, 0, n) && boundary(text, i - 1) && boundary(text, i + n)) {
        if (out == null) {
          out = new StringBuilder(text.length());
        }
        out.append(text, from, i).append(replacement);
        from = i + n;
        i = from - 1;
      }
    }
    return out == null ? text : out.append(text, from, text.length()).toString();
  }

  private static boolean boundary(String text, int i) {
    return i < 0 || i >= text.length() || !Character.isLetterOrDigit(text.charAt(i));
  }

  private static void add(List<String[]> known, String value, String placeholder) {
    if (value != null && !value.isBlank()) {
      known.add(new String[] {value.trim(), placeholder});
    }
  }
}
