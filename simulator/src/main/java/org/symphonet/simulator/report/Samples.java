package org.symphonet.simulator.report;

import java.util.Arrays;

/** A growable list of integer observations (hops, depths) with the statistics the tables need. */
public final class Samples {

    private int[] values = new int[64];
    private int size;
    private boolean sorted = true;

    public void add(int v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
        sorted = false;
    }

    public void addAll(Samples other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    public int size() {
        return size;
    }

    public double mean() {
        if (size == 0) {
            return Double.NaN;
        }
        long sum = 0;
        for (int i = 0; i < size; i++) {
            sum += values[i];
        }
        return (double) sum / size;
    }

    /** The nearest-rank percentile, {@code q} in (0, 100]; NaN when empty. */
    public double percentile(double q) {
        if (size == 0) {
            return Double.NaN;
        }
        sort();
        int rank = (int) Math.ceil(q / 100.0 * size);
        return values[Math.max(0, Math.min(size - 1, rank - 1))];
    }

    public int max() {
        if (size == 0) {
            return 0;
        }
        sort();
        return values[size - 1];
    }

    private void sort() {
        if (!sorted) {
            Arrays.sort(values, 0, size);
            sorted = true;
        }
    }
}
