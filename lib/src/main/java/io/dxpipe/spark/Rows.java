package io.dxpipe.spark;

import java.util.List;

/** Building Spark rows by hand from Java. */
public final class Rows {
  private Rows() {}

  /** Spark rows hold arrays as Scala sequences, not Java lists. */
  public static <T> scala.collection.Seq<T> seq(List<T> list) {
    return scala.collection.JavaConverters.asScalaBuffer(list).toList();
  }

  /** Spark rows hold maps as Scala maps. */
  public static <K, V> scala.collection.Map<K, V> map(java.util.Map<K, V> map) {
    return scala.collection.JavaConverters.mapAsScalaMap(map);
  }

  /** A Scala map from a row (a map column) as a Java map, or null. */
  @SuppressWarnings("unchecked")
  public static <K, V> java.util.Map<K, V> javaMap(Object scalaOrJavaMap) {
    if (scalaOrJavaMap == null) {
      return null;
    }
    if (scalaOrJavaMap instanceof java.util.Map<?, ?> m) {
      return (java.util.Map<K, V>) m;
    }
    return scala.collection.JavaConverters.mapAsJavaMap((scala.collection.Map<K, V>) scalaOrJavaMap);
  }
}
