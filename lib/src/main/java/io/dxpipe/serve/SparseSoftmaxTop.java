package io.dxpipe.serve;

import io.dxpipe.score.TopClasses;
import java.util.Arrays;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.SparseMatrix;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;

/**
 * The top k classes of a multinomial {@link LogisticRegressionModel} whose coefficient matrix is a
 * column-major {@link SparseMatrix} (the phenotype model: about 120,000 non-zeros over 4,138
 * diseases x 8,504 symptoms), computed from the classes a record's non-zero features reach, without
 * a margin, an exponential or a probability for every class.
 *
 * <p>A class no feature of the record reaches keeps its intercept as margin. So:
 * <ul>
 *   <li>the margins of the reached classes are Spark's own sums ({@code BLAS.gemv} of a column-major
 *       sparse matrix: the intercept, then each feature's column in index order), the same doubles;</li>
 *   <li>the softmax's denominator is the reached classes' {@code exp(m - max)} plus the others'
 *       precomputed {@code exp(b - max b)}, scaled once: within a few ulps of Spark's sum;</li>
 *   <li>the classes are ranked by probability, ties to the lower index, as {@link TopClasses}
 *       ranks the probability column; the others in intercept order, which is their margin order;</li>
 *   <li>the predicted class is the margins' argmax, ties to the lower index ({@code raw2prediction}).</li>
 * </ul>
 * A record whose features are dense, or whose margins are not finite, takes Spark's
 * {@code predictRaw} and the full softmax instead. Thread-safe: each thread has its own buffers.
 */
final class SparseSoftmaxTop implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** A record's predicted class and its top k, best first. */
  record Top(int predicted, int[] classes, double[] probabilities) {}

  /** Whether this evaluator reproduces the model: multinomial, column-major sparse, no thresholds. */
  static boolean accepts(LogisticRegressionModel m) {
    return m.coefficientMatrix() instanceof SparseMatrix s && !s.isTransposed()
        && m.coefficientMatrix().numRows() == m.numClasses() && m.numClasses() > 2 && !m.isDefined(m.thresholds())
        && m.interceptVector().size() == m.numClasses();
  }

  private final LogisticRegressionModel model;
  private final int classes;
  private final double[] intercept;
  private final int[] colPtrs;
  private final int[] rowIndices;
  private final double[] values;
  /** The classes by intercept, highest first, ties to the lower index. */
  private final int[] byIntercept;
  private final double maxIntercept;
  /** exp(b_c - max b), and their sum in index order. */
  private final double[] baseExp;
  private final double baseTotal;
  private transient volatile ThreadLocal<Work> work; // made on first use in each JVM

  private static final class Work {
    final double[] margin;
    final int[] stamp;
    final int[] reached;
    final double[] e;
    int epoch;

    Work(int classes) {
      margin = new double[classes];
      stamp = new int[classes];
      reached = new int[classes];
      e = new double[classes];
    }
  }

  SparseSoftmaxTop(LogisticRegressionModel m) {
    if (!accepts(m)) {
      throw new IllegalArgumentException("not a multinomial model with a column-major sparse coefficient matrix");
    }
    SparseMatrix a = (SparseMatrix) m.coefficientMatrix();
    this.model = m;
    this.classes = m.numClasses();
    this.intercept = m.interceptVector().toArray();
    this.colPtrs = a.colPtrs();
    this.rowIndices = a.rowIndices();
    this.values = a.values();
    Integer[] order = new Integer[classes];
    for (int c = 0; c < classes; c++) {
      order[c] = c;
    }
    Arrays.sort(order, (x, y) -> intercept[x] != intercept[y] ? Double.compare(intercept[y], intercept[x])
        : Integer.compare(x, y));
    this.byIntercept = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    this.maxIntercept = intercept[byIntercept[0]];
    this.baseExp = new double[classes];
    double total = 0;
    for (int c = 0; c < classes; c++) {
      baseExp[c] = Math.exp(intercept[c] - maxIntercept);
      total += baseExp[c];
    }
    this.baseTotal = total;
  }

  private Work work() {
    ThreadLocal<Work> w = work;
    if (w == null) {
      synchronized (this) {
        if (work == null) {
          work = ThreadLocal.withInitial(() -> new Work(classes));
        }
        w = work;
      }
    }
    return w.get();
  }

  /** The top {@code k} classes of a record's feature vector. */
  Top top(Vector features, int k) {
    if (!(features instanceof SparseVector x) || features.size() != colPtrs.length - 1) {
      return full(features, k);
    }
    Work w = work();
    if (++w.epoch == Integer.MAX_VALUE) {
      Arrays.fill(w.stamp, 0);
      w.epoch = 1;
    }
    int epoch = w.epoch;
    int[] stamp = w.stamp;
    double[] y = w.margin;
    int[] reached = w.reached;
    int n = 0;
    int[] xi = x.indices();
    double[] xv = x.values();
    // BLAS.gemv(1.0, A, x, 1.0, intercept copy) for a column-major sparse A and a sparse x
    for (int q = 0; q < xi.length; q++) {
      int j = xi[q];
      double xTemp = xv[q] * 1.0;
      for (int i = colPtrs[j], end = colPtrs[j + 1]; i < end; i++) {
        int c = rowIndices[i];
        if (stamp[c] != epoch) {
          stamp[c] = epoch;
          y[c] = intercept[c];
          reached[n++] = c;
        }
        y[c] += values[i] * xTemp;
      }
    }
    // the largest margin, and the argmax (ties to the lower index)
    int firstOther = firstUnreached(stamp, epoch, 0);
    double max = firstOther < 0 ? Double.NEGATIVE_INFINITY : intercept[byIntercept[firstOther]];
    int argmax = firstOther < 0 ? -1 : byIntercept[firstOther];
    for (int r = 0; r < n; r++) {
      int c = reached[r];
      double v = y[c];
      if (!Double.isFinite(v)) {
        return full(features, k);
      }
      if (v > max || (v == max && c < argmax)) {
        max = v;
        argmax = c;
      }
    }
    // the softmax's denominator
    double[] e = w.e;
    double reachedSum = 0;
    double reachedBase = 0;
    for (int r = 0; r < n; r++) {
      int c = reached[r];
      e[c] = Math.exp(y[c] - max);
      reachedSum += e[c];
      reachedBase += baseExp[c];
    }
    double others;
    if (reachedBase <= 0.5 * baseTotal) {
      others = baseTotal - reachedBase;
    } else { // most of the intercepts' mass is reached: sum the rest directly rather than cancel
      others = 0;
      for (int c = 0; c < classes; c++) {
        others += stamp[c] == epoch ? 0 : baseExp[c];
      }
    }
    double norm = reachedSum + (firstOther < 0 ? 0 : others * Math.exp(maxIntercept - max));
    // candidates: every reached class, and the best unreached ones by intercept
    int want = Math.min(k, classes);
    int[] best = new int[want];
    double[] bestP = new double[want];
    int found = 0;
    for (int r = 0; r < n; r++) {
      int c = reached[r];
      found = insert(best, bestP, found, c, e[c] / norm);
    }
    int taken = 0;
    double lastOther = Double.NaN;
    for (int at = firstOther; at >= 0 && at < classes; at = firstUnreached(stamp, epoch, at + 1)) {
      int c = byIntercept[at];
      double p = Math.exp(intercept[c] - max) / norm;
      if (taken >= want && p != lastOther) {
        break;
      }
      found = insert(best, bestP, found, c, p);
      lastOther = p;
      taken++;
    }
    return new Top(argmax, Arrays.copyOf(best, found), Arrays.copyOf(bestP, found));
  }

  /** The position in {@link #byIntercept}, from {@code from}, of the first class no feature reached, or -1. */
  private int firstUnreached(int[] stamp, int epoch, int from) {
    for (int at = from; at < classes; at++) {
      if (stamp[byIntercept[at]] != epoch) {
        return at;
      }
    }
    return -1;
  }

  /** Inserts class c with probability p into the ranked top (p descending, ties to the lower index). */
  private static int insert(int[] best, double[] bestP, int found, int c, double p) {
    int cap = best.length;
    int at = found;
    while (at > 0 && (p > bestP[at - 1] || (p == bestP[at - 1] && c < best[at - 1]))) {
      at--;
    }
    if (at >= cap) {
      return found;
    }
    for (int j = Math.min(found, cap - 1); j > at; j--) {
      best[j] = best[j - 1];
      bestP[j] = bestP[j - 1];
    }
    best[at] = c;
    bestP[at] = p;
    return Math.min(found + 1, cap);
  }

  /** Spark's own path: predictRaw, the full softmax, TopClasses' ranking. */
  private Top full(Vector features, int k) {
    Vector raw = model.predictRaw(features);
    double[] m = raw.toArray();
    double max = TopClasses.max(m);
    double norm = TopClasses.softmaxNorm(m, max);
    double[] p = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      p[i] = Math.exp(m[i] - max) / norm;
    }
    int[] best = TopClasses.best(p, k);
    double[] bestP = new double[best.length];
    for (int i = 0; i < best.length; i++) {
      bestP[i] = p[best[i]];
    }
    return new Top(raw.argmax(), best, bestP);
  }
}
