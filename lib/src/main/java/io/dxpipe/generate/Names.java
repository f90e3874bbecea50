package io.dxpipe.generate;

import java.util.SplittableRandom;

/** Invented personal data (names, addresses, national ids) that ingest must pseudonymize. */
final class Names {
  private static final String[] FEMALE = {"Maria", "Emma", "Olivia", "Sofia", "Aisha", "Mei", "Fatima", "Grace",
      "Hannah", "Isabel", "Julia", "Keiko", "Laura", "Nadia", "Priya", "Rosa", "Sarah", "Yara", "Zoe", "Ines",
      "Chloe", "Amara", "Lucia", "Noor", "Elena"};
  private static final String[] MALE = {"James", "Liam", "Noah", "Mateo", "Omar", "Wei", "Arjun", "Lucas", "David",
      "Ethan", "Hiro", "Ivan", "Jonas", "Kwame", "Leo", "Marco", "Nikolai", "Pedro", "Samuel", "Tariq", "Yusuf",
      "Adam", "Diego", "Felix", "Hugo"};
  private static final String[] FAMILY = {"Smith", "Garcia", "Nguyen", "Okafor", "Muller", "Rossi", "Kim", "Patel",
      "Johnson", "Silva", "Cohen", "Novak", "Ahmed", "Tanaka", "Brown", "Lopez", "Ivanova", "Dubois", "Mensah",
      "Andersen", "O'Brien", "Kowalski", "Haddad", "Fischer", "Moreau", "Santos", "Wright", "Yilmaz", "Chen",
      "Mbeki"};
  private static final String[] STREETS = {"Oak Street", "Maple Avenue", "Station Road", "Church Lane",
      "Harbor View", "Elm Court", "Mill Road", "Park Drive", "Queen Street", "River Walk", "Cedar Way",
      "High Street"};
  private static final String[] CITIES = {"Springfield", "Riverton", "Lakeside", "Fairview", "Brookfield",
      "Milltown", "Northgate", "Eastwood", "Westport", "Hillcrest"};

  private Names() {}

  static String given(SplittableRandom rng, String gender) {
    String[] pool = "female".equals(gender) ? FEMALE : MALE;
    return pool[rng.nextInt(pool.length)];
  }

  static String family(SplittableRandom rng) {
    return FAMILY[rng.nextInt(FAMILY.length)];
  }

  static String street(SplittableRandom rng) {
    return (1 + rng.nextInt(999)) + " " + STREETS[rng.nextInt(STREETS.length)];
  }

  static String city(SplittableRandom rng) {
    return CITIES[rng.nextInt(CITIES.length)];
  }

  static String postalCode(SplittableRandom rng) {
    return String.format(java.util.Locale.ROOT, "%05d", rng.nextInt(100000));
  }

  /** Values of {@link #distinctNationalId}: 100 areas x 50 groups x 10,000 serials. */
  static final long DISTINCT_NATIONAL_IDS = 50_000_000L;
  /** Odd and not a multiple of 5, so coprime with 50,000,000 = 2^7 x 5^8: index -> index x STEP is a bijection. */
  private static final long STEP = 7_368_787L;

  /**
   * 9xx-gg-ssss with area 900-999 and group 00-49: never an issued SSN (no area starts with 9) nor
   * an ITIN (their groups are 50-65, 70-88, 90-92, 94-99). Distinct for the first 50,000,000 record
   * indexes of a run ({@code generate.distinct-national-ids}), where {@link #nationalId}'s hash into
   * 1,000,000 values makes a 1,000,000-record day collide on about 37% of its records.
   */
  static String distinctNationalId(long index, long runSalt) {
    long h = Math.floorMod(Math.floorMod(index, DISTINCT_NATIONAL_IDS) * STEP + Math.floorMod(runSalt, DISTINCT_NATIONAL_IDS),
        DISTINCT_NATIONAL_IDS);
    return String.format(java.util.Locale.ROOT, "%03d-%02d-%04d", 900 + h / 500_000, h / 10_000 % 50, h % 10_000);
  }

  /** 999-xx-xxxx: the invalid-SSN range Synthea also uses, so no real person is ever named. */
  static String nationalId(long index, long runSalt) {
    long h = Math.floorMod(Rng.mix(runSalt ^ 0x5EEDL, index), 1_000_000L);
    return String.format(java.util.Locale.ROOT, "999-%02d-%04d", h / 10_000, h % 10_000);
  }
}
