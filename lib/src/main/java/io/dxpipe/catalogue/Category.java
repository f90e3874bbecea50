package io.dxpipe.catalogue;

/** A value of a categorical attribute with its share in the population. */
public record Category(String value, double share) implements java.io.Serializable {}
