package dev.shoal.storage.subscription;

/**
 * Where a subscription stands in one partition.
 *
 * @param gen      the generation; seek and purge start a new one, leaving the old one's chunks behind
 * @param genStart the offset the generation starts from
 * @param floor    every offset below is acked (a hint kept by maintenance; never above the truth)
 * @param swept    every chunk that starts below it and is not done is in the {@code due} index
 *                 ({@link LeaseSweep}); 0 when no sweep has moved it past the floor
 */
public record Cursor(long gen, long genStart, long floor, long swept) {

    /** A cursor no sweep has marked. */
    public Cursor(long gen, long genStart, long floor) {
        this(gen, genStart, floor, 0);
    }

    /** The frontier (next offset never delivered) given the newest chunk of this generation's end, if any. */
    public long frontier(long newestChunkEnd) {
        return Math.max(Math.max(genStart, floor), newestChunkEnd);
    }

    /** Where a sweep starts: chunks below are done or in the index (below the floor, all are done). */
    public long sweepFrom() {
        return Math.max(Math.max(genStart, floor), swept);
    }
}
