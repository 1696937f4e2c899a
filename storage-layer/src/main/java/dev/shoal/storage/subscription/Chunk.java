package dev.shoal.storage.subscription;

import dev.shoal.storage.log.IndexEntry;

import java.util.BitSet;

/**
 * The unit of consumer state: a contiguous range of offsets {@code [start, end)} of one segment,
 * leased, acked and retried together, stored as one item. A subscription's chunks in a
 * generation partition its delivered offsets without overlap; the newest one ends at the
 * frontier. Per-message operations that must treat one message differently split a chunk.
 *
 * @param gen            the subscription generation (a seek or purge starts a new one)
 * @param start          first offset
 * @param end            offset after the last
 * @param segmentKey     the S3 object holding the records
 * @param segmentBase    the segment's base offset (records are read at {@code offset - segmentBase})
 * @param segmentBytes   size of the segment object
 * @param headerLength   the segment's header-and-index length
 * @param acked          bit i set: offset {@code start + i} is acked (or was dead-lettered)
 * @param lease          id of the latest lease, null if never delivered
 * @param state          LEASED (in flight until {@code due}) or DELAYED (not delivered before {@code due})
 * @param due            epoch millis when the chunk's unacked messages become visible
 * @param leasedAt       epoch millis the latest lease began (caps visibility at 12 h from it)
 * @param receiveCount   deliveries of the unacked messages so far
 * @param firstReceivedAt epoch millis of the first delivery, 0 if none
 * @param version        optimistic version: every update is conditional on it
 * @param done           every offset acked
 * @param indexed        carries the {@code due} index's keys while not done. A claim leased for long
 *                       enough leaves them out ({@link LeaseSweep}); every write that moves the chunk
 *                       in time (a redelivery, a nack, a visibility change) puts them in
 * @param expiresAt      epoch seconds when the table's TTL may delete a done chunk, 0 for never: only
 *                       a chunk finished below the newest is left to expire (ADR 0018)
 */
public record Chunk(long gen, long start, long end, String segmentKey, long segmentBase, long segmentBytes, int headerLength,
                    BitSet acked, String lease, State state, long due, long leasedAt, int receiveCount,
                    long firstReceivedAt, long version, boolean done, boolean indexed, long expiresAt) {

    public enum State { LEASED, DELAYED }

    public Chunk {
        acked = (BitSet) acked.clone();
        if (end <= start) throw new IllegalArgumentException("empty chunk [" + start + ", " + end + ")");
        if (acked.length() > end - start) {
            throw new IllegalArgumentException("acked bit " + (acked.length() - 1) + " outside chunk [" + start + ", " + end + ")");
        }
        if (done != (acked.cardinality() == end - start)) {
            throw new IllegalArgumentException("chunk [" + start + ", " + end + ") is " + (done ? "" : "not ")
                    + "done with " + acked.cardinality() + " of " + (end - start) + " acked");
        }
    }

    /**
     * Offsets {@code [from, to)} of {@code segment} claimed at the frontier and delivered now:
     * leased by {@code lease} until {@code now + visibilityMillis}, received once; out of the
     * {@code due} index when the lease is long enough for a sweep to put it there in time.
     */
    public static Chunk fresh(long gen, long from, long to, IndexEntry segment, String lease, long now, long visibilityMillis) {
        return new Chunk(gen, from, to, segment.segmentKey(), segment.baseOffset(), segment.bytes(), segment.headerLength(),
                new BitSet(), lease, State.LEASED, now + visibilityMillis, now, 1, now, 0, false,
                LeaseSweep.indexedAtClaim(visibilityMillis), 0);
    }

    /** Offsets {@code [from, to)} of {@code segment} claimed at the frontier, first deliverable at {@code due} (never received). */
    public static Chunk delayed(long gen, long from, long to, IndexEntry segment, long due) {
        return new Chunk(gen, from, to, segment.segmentKey(), segment.baseOffset(), segment.bytes(), segment.headerLength(),
                new BitSet(), null, State.DELAYED, due, 0, 0, 0, 0, false, true, 0);
    }

    public int size() {
        return (int) (end - start);
    }

    public boolean contains(long offset) {
        return offset >= start && offset < end;
    }

    public boolean isAcked(long offset) {
        return acked.get((int) (offset - start));
    }

    public int unackedCount() {
        return size() - acked.cardinality();
    }

    public boolean visibleAt(long nowMillis) {
        return !done && due <= nowMillis;
    }

    public boolean inFlightAt(long nowMillis) {
        return !done && state == State.LEASED && lease != null && due > nowMillis;
    }

    /**
     * The latest time the chunk can have been claimed at: its latest lease began after the claim,
     * and a chunk never leased was claimed before it was due.
     */
    public long claimedAtMost() {
        return leasedAt > 0 ? leasedAt : due;
    }

    /** Offsets not yet acked, in order. */
    public long[] unackedOffsets() {
        long[] out = new long[unackedCount()];
        int n = 0;
        for (long o = start; o < end; o++) {
            if (!isAcked(o)) out[n++] = o;
        }
        return out;
    }

    /** The same chunk with {@code bits} acked (done when that is all of it). */
    public Chunk withAcked(BitSet bits) {
        return new Chunk(gen, start, end, segmentKey, segmentBase, segmentBytes, headerLength, bits, lease, state, due,
                leasedAt, receiveCount, firstReceivedAt, version, bits.cardinality() == size(), indexed, expiresAt);
    }

    /** Every offset acked: the chunk is done (expired by retention, or dead-lettered). */
    public Chunk withEverythingAcked() {
        BitSet bits = new BitSet(size());
        bits.set(0, size());
        return withAcked(bits);
    }

    /** The sub-range {@code [from, to)} with the same lease and counts, and the acked bits of that range. */
    public Chunk slice(long from, long to) {
        BitSet bits = acked.get((int) (from - start), (int) (to - start));
        return new Chunk(gen, from, to, segmentKey, segmentBase, segmentBytes, headerLength, bits, lease, state, due,
                leasedAt, receiveCount, firstReceivedAt, version, bits.cardinality() == (int) (to - from), indexed, expiresAt);
    }

    /** Delivered again: a new lease until {@code visibleAgain}, one more receive. */
    public Chunk leased(String newLease, long nowMillis, long visibleAgain) {
        return new Chunk(gen, start, end, segmentKey, segmentBase, segmentBytes, headerLength, acked, newLease, State.LEASED,
                visibleAgain, nowMillis, receiveCount + 1, firstReceivedAt == 0 ? nowMillis : firstReceivedAt, version, done, true, expiresAt);
    }

    public Chunk withReceiveCount(int count) {
        return new Chunk(gen, start, end, segmentKey, segmentBase, segmentBytes, headerLength, acked, lease, state,
                due, leasedAt, count, firstReceivedAt, version, done, indexed, expiresAt);
    }

    /** In {@code newState} until {@code newDue} (a nack, a visibility change, a retry delay). */
    public Chunk rescheduled(State newState, long newDue) {
        return new Chunk(gen, start, end, segmentKey, segmentBase, segmentBytes, headerLength, acked, lease, newState,
                newDue, leasedAt, receiveCount, firstReceivedAt, version, done, true, expiresAt);
    }

    /**
     * This chunk as the write that replaces {@code original} stores it: one version after the
     * original's, so a writer that read the original before loses the race.
     */
    public Chunk versionAfter(Chunk original) {
        return new Chunk(gen, start, end, segmentKey, segmentBase, segmentBytes, headerLength, acked, lease, state, due,
                leasedAt, receiveCount, firstReceivedAt, original.version + 1, done, indexed, expiresAt);
    }

    /** This done chunk, left for the table's TTL to delete from {@code epochSeconds} on. */
    public Chunk expiringAt(long epochSeconds) {
        if (!done) throw new IllegalStateException("only a done chunk may expire: [" + start + ", " + end + ")");
        return new Chunk(gen, start, end, segmentKey, segmentBase, segmentBytes, headerLength, acked, lease, state, due,
                leasedAt, receiveCount, firstReceivedAt, version, true, indexed, epochSeconds);
    }
}
