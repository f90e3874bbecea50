package io.dxpipe.quality;

import java.io.Serializable;
import java.util.List;

/** Named checks sharing a severity, like a Deequ {@code Check(level, description)}. */
public record CheckGroup(String name, Severity severity, List<Check> checks) implements Serializable {}
