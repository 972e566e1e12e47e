package org.symphonet.benchmarks.ofload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void emptyHistogramReportsZero() {
    LatencyHistogram h = new LatencyHistogram();
    assertEquals(0, h.count());
    assertEquals(0, h.percentile(50));
    assertEquals(0, h.percentile(99));
    assertEquals(0, h.max());
  }

  @Test
  void smallValuesAreExact() {
    LatencyHistogram h = new LatencyHistogram();
    for (int v = 1; v <= 100; v++) {
      h.record(v);
    }
    assertEquals(50, h.percentile(50));
    assertEquals(99, h.percentile(99));
    assertEquals(100, h.percentile(100));
    assertEquals(1, h.percentile(0.5));
    assertEquals(50.5, h.mean(), 1e-9);
  }

  @Test
  void bucketsTileTheRangeWithoutGaps() {
    long expectedLower = 0;
    for (int i = 0; i < 64 * 57; i++) {
      assertEquals(expectedLower, LatencyHistogram.lowerBound(i), "bucket " + i);
      assertEquals(i, LatencyHistogram.indexOf(LatencyHistogram.lowerBound(i)));
      assertEquals(i, LatencyHistogram.indexOf(LatencyHistogram.upperBound(i)));
      expectedLower = LatencyHistogram.upperBound(i) + 1;
    }
  }

  @Test
  void percentilesMatchSortedSamplesWithinTwoPercent() {
    Random rnd = new Random(42);
    long[] samples = new long[100_000];
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 0; i < samples.length; i++) {
      // log-uniform between 1 µs and 100 ms, in ns
      samples[i] = (long) Math.exp(Math.log(1_000) + rnd.nextDouble() * Math.log(100_000));
      h.record(samples[i]);
    }
    Arrays.sort(samples);
    for (double p : new double[] {1, 10, 50, 90, 99, 99.9, 100}) {
      long exact = samples[(int) Math.ceil(p / 100 * samples.length) - 1];
      long got = h.percentile(p);
      assertTrue(Math.abs(got - exact) <= exact * 0.02, "p" + p + ": " + got + " vs " + exact);
    }
    assertEquals(samples[0], h.min());
    assertEquals(samples[samples.length - 1], h.max());
  }

  @Test
  void mergeAndReset() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    for (int i = 0; i < 50; i++) {
      a.record(10);
      b.record(1_000_000);
    }
    a.add(b);
    assertEquals(100, a.count());
    assertEquals(10, a.percentile(50));
    assertTrue(Math.abs(a.percentile(51) - 1_000_000) <= 20_000);
    a.reset();
    assertEquals(0, a.count());
    assertEquals(0, a.percentile(99));
  }

  @Test
  void negativeValuesCountAsZeroAndBadPercentilesThrow() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(-5);
    assertEquals(0, h.percentile(100));
    assertThrows(IllegalArgumentException.class, () -> h.percentile(0));
    assertThrows(IllegalArgumentException.class, () -> h.percentile(101));
  }
}
