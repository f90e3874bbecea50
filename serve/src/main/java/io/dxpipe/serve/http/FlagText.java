package io.dxpipe.serve.http;

import io.dxpipe.schema.Silver;

/**
 * A quality flag of the clean rules as a clinician reads it: {@code symptom-typo:feverr->fever}
 * becomes "symptom 'feverr' read as 'fever'". The flag itself stays in the response beside it, as
 * silver and the batch path write it.
 */
final class FlagText {
  private FlagText() {}

  static String describe(String flag) {
    if (flag.startsWith(Silver.FLAG_SYMPTOM_TYPO)) {
      String typo = flag.substring(Silver.FLAG_SYMPTOM_TYPO.length());
      int arrow = typo.indexOf("->");
      return arrow < 0 ? flag : "symptom '" + typo.substring(0, arrow) + "' read as '" + typo.substring(arrow + 2) + "'";
    }
    if (flag.startsWith(Silver.FLAG_SYMPTOM_ANCESTOR)) {
      String terms = flag.substring(Silver.FLAG_SYMPTOM_ANCESTOR.length());
      int arrow = terms.indexOf("->");
      return arrow < 0 ? flag : "symptom '" + terms.substring(0, arrow) + "' is not in the vocabulary: read as its"
          + " broader term " + terms.substring(arrow + 2);
    }
    if (flag.startsWith(Silver.FLAG_UNKNOWN_SYMPTOM)) {
      return "symptom '" + flag.substring(Silver.FLAG_UNKNOWN_SYMPTOM.length())
          + "' is not in the vocabulary: the model does not use it";
    }
    if (flag.startsWith(Silver.FLAG_UNMAPPED)) {
      String value = flag.substring(Silver.FLAG_UNMAPPED.length());
      int eq = value.indexOf('=');
      return eq < 0 ? flag : value.substring(0, eq) + " '" + value.substring(eq + 1)
          + "' is not a known value: treated as not recorded";
    }
    if (flag.startsWith(Silver.FLAG_OUTLIER)) {
      return flag.substring(Silver.FLAG_OUTLIER.length()) + " is outside the possible range: treated as not recorded";
    }
    if (flag.startsWith(Silver.FLAG_UNIT)) {
      return flag.substring(Silver.FLAG_UNIT.length()) + " looked like degrees Fahrenheit: converted to Celsius";
    }
    if (flag.startsWith(Silver.FLAG_UNKNOWN_DIAGNOSIS)) {
      return "diagnosis code '" + flag.substring(Silver.FLAG_UNKNOWN_DIAGNOSIS.length()) + "' is not in the catalogue";
    }
    return flag;
  }
}
