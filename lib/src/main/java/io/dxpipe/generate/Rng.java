package io.dxpipe.generate;

import java.util.SplittableRandom;

/** Deterministic random streams: one independent stream per (seed, record index, purpose). */
public final class Rng {
  private Rng() {}

  /** SplitMix64 finaliser of a combination of two longs. */
  public static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A 64-bit hash of a string (FNV-1a, then mixed): collision-free in practice for millions of ids. */
  public static long hash64(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return mix(h, 0x1D5L);
  }

  static SplittableRandom stream(long seed, long index, int purpose) {
    return new SplittableRandom(mix(mix(seed, purpose), index));
  }

  /** Normal draw truncated to [min, max] by resampling (at most 20 tries, then clamped). */
  static double truncatedNormal(SplittableRandom rng, double mean, double sd, double min, double max) {
    for (int i = 0; i < 20; i++) {
      double v = mean + sd * rng.nextGaussian();
      if (v >= min && v <= max) {
        return v;
      }
    }
    return Math.max(min, Math.min(max, mean));
  }

  static <T> T pick(SplittableRandom rng, T[] values) {
    return values[rng.nextInt(values.length)];
  }
}
