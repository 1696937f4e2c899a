package dev.shoal.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, thread-safe to add to; percentiles by sorting (runs are small). */
final class Latencies {

    private long[] samples = new long[1024];
    private int size;

    synchronized void add(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    synchronized int count() {
        return size;
    }

    /** The {@code p}-th percentile (0-100) in milliseconds, nearest rank; NaN when empty. */
    synchronized double percentileMillis(double p) {
        if (size == 0) return Double.NaN;
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }

    /** The percentiles {@code ps} (0-100) in milliseconds, nearest rank, from one sort; NaN each when empty. */
    synchronized double[] percentilesMillis(double... ps) {
        double[] out = new double[ps.length];
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        for (int i = 0; i < ps.length; i++) {
            int rank = (int) Math.ceil(ps[i] / 100.0 * size);
            out[i] = size == 0 ? Double.NaN : sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
        }
        return out;
    }

    synchronized double meanMillis() {
        if (size == 0) return Double.NaN;
        double sum = 0;
        for (int i = 0; i < size; i++) sum += samples[i];
        return sum / size / 1e6;
    }
}
