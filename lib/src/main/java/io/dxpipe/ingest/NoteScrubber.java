package io.dxpipe.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Removes identifiers from free text before it reaches bronze: the record's own names (also run
 * together: {@code KwameAndersen}, {@code andersen,kwame}), national id (with or without dashes),
 * street address and patient id wherever they appear (any case), and anything shaped like a
 * national id ({@code 123-45-6789}, {@code 123 45 6789}, {@code 123456789}), a street address with
 * its city, state and zip, a phone number (national or international) or an e-mail address.
 * Replaced by [NAME], [ID], [ADDRESS], [PHONE], [EMAIL]. Clinical numbers (120/80, 38.5, 500 mg,
 * dates) have none of these shapes and survive.
 */
final class NoteScrubber {
  /** 3-2-4 digits with one separator used throughout (dash, space or none). */
  private static final Pattern SSN = Pattern.compile("\\b\\d{3}([- ]?)\\d{2}\\1\\d{4}\\b");
  private static final Pattern PHONE = Pattern.compile("(?<![\\w-])(\\+?\\d{1,3}[ .-]?)?\\(?\\d{3}\\)?[ .-]\\d{3}[ .-]\\d{4}\\b");
  /** +CC or 00CC, then two to four groups of digits (one may be in parentheses): +44 20 7946 0958. */
  private static final Pattern INTERNATIONAL_PHONE =
      Pattern.compile("(?<![\\w+])(?:\\+|\\b00)[1-9]\\d{0,2}(?:[ .-]?(?:\\(\\d{1,4}\\)|\\d{2,8})){2,4}(?!\\w)");
  private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+\\.[\\w.]+");
  /** Not Walk, View or Row: "6 Minute Walk Test" is clinical. The record's own street is matched whatever its type. */
  private static final String STREET_TYPES = "Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Court|Ct|Way|Boulevard"
      + "|Blvd|Place|Pl|Terrace|Circle|Highway|Hwy|Parkway|Pkwy|Square|Sq|Crescent";
  private static final String CITY = "[A-Z][A-Za-z'-]+(?:\\s+[A-Z][A-Za-z'-]+){0,2}";
  private static final String ZIP = "\\d{5}(?:-\\d{4})?";
  /** ", Springfield, IL 62704", ", Springfield 62704", " 62704", ", 62704 Springfield". */
  private static final String CITY_ZIP = "(?:,\\s*" + ZIP + "\\s+" + CITY
      + "|(?:,\\s*" + CITY + ")?(?:,?\\s+[A-Z]{2})?,?\\s+" + ZIP + "\\b)";
  /** A house number, capitalised street words and a street type, optionally a direction and a city and zip. */
  private static final Pattern ADDRESS = Pattern.compile("\\b\\d{1,6}[A-Za-z]?\\s+(?:[A-Z][A-Za-z'-]*\\s+){1,4}"
      + "(?:" + STREET_TYPES + ")\\b\\.?(?:\\s+(?:N|S|E|W|NE|NW|SE|SW)\\b)?(?:" + CITY_ZIP + ")?");
  /** The city and zip left behind a street line the record gave (and was replaced already). */
  private static final Pattern ADDRESS_TAIL = Pattern.compile("\\[ADDRESS\\]" + CITY_ZIP);
  /** How names are run together: KwameAndersen, Kwame.Andersen, andersen,kwame, kwame_andersen. */
  private static final List<String> NAME_JOINERS = List.of("", ".", ",", "_", "-");
  /** Compiled once: String.split and replaceAll compile their regex on every call (5% of ingest's CPU). */
  private static final Pattern SPACE_OR_DASH = Pattern.compile("[\\s-]");
  private static final Pattern SPACES_OR_DASHES = Pattern.compile("[\\s-]+");
  private static final Pattern NAME_SEPARATORS = Pattern.compile("[,\\s]+");

  private NoteScrubber() {}

  static String scrub(String note, RawRecord r) {
    if (note == null) {
      return null;
    }
    // the patterns run only where they can match: most notes have no '@' and few digits
    String s = note;
    int digits = digits(s);
    if (digits >= 9) {
      s = SSN.matcher(s).replaceAll("[ID]");
    }
    if (s.indexOf('@') >= 0) {
      s = EMAIL.matcher(s).replaceAll("[EMAIL]");
    }
    if (digits >= 8 && (s.indexOf('+') >= 0 || s.contains("00"))) {
      s = INTERNATIONAL_PHONE.matcher(s).replaceAll(m -> digits(m.group()) >= 8 ? "[PHONE]" : "$0");
    }
    if (digits >= 10) {
      s = PHONE.matcher(s).replaceAll("[PHONE]");
    }
    if (digits >= 1) {
      s = ADDRESS.matcher(s).replaceAll("[ADDRESS]"); // before names: a street may carry the patient's name
    }
    List<String[]> known = new ArrayList<>();
    String nationalId = r.get(Field.NATIONAL_ID);
    add(known, nationalId, "[ID]");
    if (nationalId != null) {
      add(known, SPACE_OR_DASH.matcher(nationalId).replaceAll(""), "[ID]"); // 999544118
      add(known, SPACES_OR_DASHES.matcher(nationalId).replaceAll(" "), "[ID]"); // 999 54 4118
    }
    add(known, r.get(Field.PATIENT_ID), "[ID]");
    String address = r.get(Field.ADDRESS);
    if (address != null) {
      add(known, address, "[ADDRESS]");
      add(known, address.split(",")[0], "[ADDRESS]"); // the street line of "street, city zip"
    }
    Set<String> nameParts = new LinkedHashSet<>();
    for (Field f : List.of(Field.FULL_NAME, Field.GIVEN_NAME, Field.FAMILY_NAME)) {
      String name = r.get(f);
      if (name != null) {
        add(known, name, "[NAME]");
        for (String part : NAME_SEPARATORS.split(name)) {
          if (part.length() >= 2) {
            add(known, part, "[NAME]");
            nameParts.add(part.toLowerCase(Locale.ROOT));
          }
        }
      }
    }
    String lower = s.toLowerCase(Locale.ROOT);
    for (String a : nameParts) {
      for (String b : nameParts) {
        // only pairs that both occur: most notes name no one, and each candidate costs a scan
        if (!a.equals(b) && lower.contains(a) && lower.contains(b)) {
          for (String joiner : NAME_JOINERS) {
            add(known, a + joiner + b, "[NAME]");
          }
        }
      }
    }
    known.sort(Comparator.comparingInt((String[] k) -> -k[0].length())); // longest first
    for (String[] k : known) {
      String replaced = replaceWord(s, lower, k[0], k[1]);
      if (replaced != s) {
        s = replaced;
        lower = s.toLowerCase(Locale.ROOT);
      }
    }
    return s.contains("[ADDRESS]") ? ADDRESS_TAIL.matcher(s).replaceAll("[ADDRESS]") : s;
  }

  private static int digits(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      n += Character.isDigit(s.charAt(i)) ? 1 : 0;
    }
    return n;
  }

  /** Replaces whole-word, case-insensitive occurrences (no regex: this runs for every record). */
  static String replaceWord(String text, String word, String replacement) {
    return replaceWord(text, text.toLowerCase(java.util.Locale.ROOT), word, replacement);
  }

  /** The same with the text's lower case given (the scrubber keeps it while no word was replaced); the text itself when nothing is. */
  private static String replaceWord(String text, String lower, String word, String replacement) {
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
