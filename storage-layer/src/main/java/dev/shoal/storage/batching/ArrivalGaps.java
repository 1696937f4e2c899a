package dev.shoal.storage.batching;

/**
 * How fast one key's callers arrive: a running mean of the gaps between them, weighted to the
 * recent ones. What the batching policies ask before they make a caller wait for others.
 */
public final class ArrivalGaps {

    /** Weight of the newest gap in the running mean. */
    private static final double GAP_WEIGHT = 0.2;

    private long last = Long.MIN_VALUE;
    private double meanGap = Double.MAX_VALUE;

    /** Notes an arrival at {@code nowMillis}; returns the mean gap in milliseconds, this one included (huge until a second caller came). */
    public synchronized double arrive(long nowMillis) {
        if (last != Long.MIN_VALUE) {
            long gap = Math.max(0, nowMillis - last);
            meanGap = meanGap == Double.MAX_VALUE ? gap : (1 - GAP_WEIGHT) * meanGap + GAP_WEIGHT * gap;
        }
        last = nowMillis;
        return meanGap;
    }
}
