package io.dxpipe.catalogue;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A symptom of the canonical vocabulary.
 *
 * @param code canonical code, lower snake case (e.g. {@code skin_rash})
 * @param label human-readable label as sources write it
 * @param severityWeight 1-7, from the Kaggle severity table (HPO phenotypes get a default)
 * @param hpoId the HPO term the symptom is, else null (exposures, names HPO has no term for)
 * @param aliases other names of the same symptom, in code form: the Kaggle table's names that the
 *     reviewed mapping gives the same HPO term ({@code stomach_pain} for {@code abdominal_pain})
 */
public record Symptom(String code, String label, int severityWeight, String hpoId,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> aliases) implements java.io.Serializable {

  public Symptom {
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
  }

  public Symptom(String code, String label, int severityWeight, String hpoId) {
    this(code, label, severityWeight, hpoId, List.of());
  }
}
