package dev.shoal.storage.batching;

/**
 * How fast one key's callers arrive: a running mean of the gaps between them, weighted to the
 * recent ones. What the batching policies ask before they make a caller wait for others.
 */
public final class ArrivalGaps {

    /** Weight of the newest gap in the running mean, unless said otherwise: about the last five count. */
    private static final double RECENT = 0.2;

    private final double weight;
    private long last = Long.MIN_VALUE;
    private double meanGap = Double.MAX_VALUE;

    /** A mean of about the last five gaps. */
    public ArrivalGaps() {
        this(RECENT);
    }

    /** @param weight the newest gap's weight in the mean, in (0, 1]: smaller is steadier */
    public ArrivalGaps(double weight) {
        if (!(weight > 0 && weight <= 1)) throw new IllegalArgumentException("weight must be in (0, 1], was " + weight);
        this.weight = weight;
    }

    /** Notes an arrival at {@code nowMillis}; returns the mean gap in milliseconds, this one included (huge until a second caller came). */
    public synchronized double arrive(long nowMillis) {
        if (last != Long.MIN_VALUE) {
            long gap = Math.max(0, nowMillis - last);
            meanGap = meanGap == Double.MAX_VALUE ? gap : (1 - weight) * meanGap + weight * gap;
        }
        last = nowMillis;
        return meanGap;
    }
}
