package org.symphonet.benchmarks.ofload;

/**
 * A log-linear histogram of non-negative values (nanoseconds here): exact below 128, then 64
 * sub-buckets per power of two, so any recorded value is reported within 1/64 (1.6 %). Constant
 * memory, O(1) record: fit for millions of samples per second on the generator's hot path.
 */
public final class LatencyHistogram {
  private static final int SUB = 64;
  private static final int BUCKETS = SUB * 58;

  private final long[] counts = new long[BUCKETS];
  private long total;
  private long min = Long.MAX_VALUE;
  private long max = Long.MIN_VALUE;
  private double sum;

  static int indexOf(long v) {
    if (v < 2 * SUB) {
      return (int) v;
    }
    int exp = 63 - Long.numberOfLeadingZeros(v); // >= 7
    int shift = exp - 6;
    int mantissa = (int) (v >>> shift); // 64..127
    return SUB * (shift + 1) + (mantissa - SUB);
  }

  /** Smallest value that falls into bucket {@code index}. */
  static long lowerBound(int index) {
    if (index < 2 * SUB) {
      return index;
    }
    int shift = index / SUB - 1;
    long mantissa = index % SUB + SUB;
    return mantissa << shift;
  }

  /** Largest value that falls into bucket {@code index}. */
  static long upperBound(int index) {
    if (index < 2 * SUB) {
      return index;
    }
    int shift = index / SUB - 1;
    return lowerBound(index) + (1L << shift) - 1;
  }

  public void record(long value) {
    if (value < 0) {
      value = 0;
    }
    counts[indexOf(value)]++;
    total++;
    sum += value;
    if (value < min) {
      min = value;
    }
    if (value > max) {
      max = value;
    }
  }

  public void add(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    sum += other.sum;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
  }

  public void reset() {
    java.util.Arrays.fill(counts, 0);
    total = 0;
    sum = 0;
    min = Long.MAX_VALUE;
    max = Long.MIN_VALUE;
  }

  public long count() {
    return total;
  }

  public long min() {
    return total == 0 ? 0 : min;
  }

  public long max() {
    return total == 0 ? 0 : max;
  }

  public double mean() {
    return total == 0 ? 0 : sum / total;
  }

  /**
   * The nearest-rank percentile {@code p} (0 < p <= 100): the smallest recorded value v such that
   * at least p % of the samples are <= v, reported as the middle of its bucket and clamped to
   * [min, max]. 0 when empty.
   */
  public long percentile(double p) {
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
    }
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(p / 100.0 * total);
    if (rank < 1) {
      rank = 1;
    }
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        long mid = (lowerBound(i) + upperBound(i)) / 2;
        return Math.max(min, Math.min(max, mid));
      }
    }
    return max;
  }
}
