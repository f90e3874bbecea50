package io.dxpipe.catalogue;

/** Whether a disease is common or orphan (rare); the model is judged on both groups separately. */
public enum DiseaseGroup {
  COMMON,
  ORPHAN
}
