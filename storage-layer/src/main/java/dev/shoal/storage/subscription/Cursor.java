package dev.shoal.storage.subscription;

/**
 * Where a subscription stands in one partition.
 *
 * @param gen      the generation; seek and purge start a new one, leaving the old one's chunks behind
 * @param genStart the offset the generation starts from
 * @param floor    every offset below is acked (a hint kept by maintenance; never above the truth)
 */
public record Cursor(long gen, long genStart, long floor) {

    /** The frontier (next offset never delivered) given the newest chunk of this generation's end, if any. */
    public long frontier(long newestChunkEnd) {
        return Math.max(Math.max(genStart, floor), newestChunkEnd);
    }
}
