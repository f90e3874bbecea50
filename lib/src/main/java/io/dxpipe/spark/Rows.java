package io.dxpipe.spark;

import java.util.List;

/** Building Spark rows by hand from Java. */
public final class Rows {
  private Rows() {}

  /** Spark rows hold arrays as Scala sequences, not Java lists. */
  public static <T> scala.collection.Seq<T> seq(List<T> list) {
    return scala.collection.JavaConverters.asScalaBuffer(list).toList();
  }
}
