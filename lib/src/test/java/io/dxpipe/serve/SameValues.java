package io.dxpipe.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/** Exact comparison of the evaluator's columns with {@code transform}'s: same bits, same vector kind. */
final class SameValues {
  private SameValues() {}

  /**
   * Every column the evaluator computed that {@code transform}'s row also has equals it exactly;
   * returns how many columns were compared.
   */
  static int assertSameColumns(Row transformed, Map<String, Object> evaluated, Map<String, ?> input) {
    List<String> names = Arrays.asList(transformed.schema().fieldNames());
    int compared = 0;
    for (Map.Entry<String, Object> e : evaluated.entrySet()) {
      if (input.containsKey(e.getKey())) {
        continue;
      }
      int i = names.indexOf(e.getKey());
      assertThat(i).as("transform has the column %s", e.getKey()).isGreaterThanOrEqualTo(0);
      assertSame(e.getKey(), transformed.get(i), e.getValue());
      compared++;
    }
    // and the evaluator computed every column transform added
    for (String n : names) {
      if (!input.containsKey(n)) {
        assertThat(evaluated).as("the evaluator computes %s", n).containsKey(n);
      }
    }
    return compared;
  }

  static void assertSame(String what, Object expected, Object actual) {
    if (expected instanceof scala.collection.Seq<?> s) {
      expected = scala.collection.JavaConverters.seqAsJavaList(s);
    }
    if (expected instanceof Vector ev) {
      assertThat(actual).as(what).isInstanceOf(Vector.class);
      Vector av = (Vector) actual;
      assertThat(av.getClass()).as("%s: dense or sparse", what).isEqualTo(ev.getClass());
      if (ev instanceof SparseVector es) {
        SparseVector as = (SparseVector) av;
        assertThat(as.size()).as(what).isEqualTo(es.size());
        assertThat(as.indices()).as(what).isEqualTo(es.indices());
        assertThat(bits(as.values())).as(what).isEqualTo(bits(es.values()));
      } else {
        assertThat(bits(((DenseVector) av).values())).as(what).isEqualTo(bits(((DenseVector) ev).values()));
      }
    } else if (expected instanceof Double d) {
      assertThat(actual).as(what).isInstanceOf(Double.class);
      assertThat(Double.doubleToRawLongBits((Double) actual)).as("%s: %s vs %s", what, actual, d)
          .isEqualTo(Double.doubleToRawLongBits(d));
    } else {
      assertThat(actual).as(what).isEqualTo(expected);
    }
  }

  private static long[] bits(double[] v) {
    long[] b = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Double.doubleToRawLongBits(v[i]);
    }
    return b;
  }
}
