package dev.shoal.storage.subscription;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Puts long leases in the {@code due} index only when they outlive a short grace, so that a
 * message received and acked within it costs one write unit at its claim and one at its ack,
 * instead of two each (ADR 0017).
 *
 * <p>A claim at the frontier leased for at least {@link #MIN_UNINDEXED_VISIBILITY_MILLIS} is
 * written without the index's keys. The cursor's sweep mark says where such chunks may start:
 * every chunk below it that is not done is in the index. A sweep reads the chunks from the mark
 * on, in offset order. It leaves done and indexed chunks behind, puts in the index every chunk
 * leased more than {@link #GRACE_MILLIS} ago (one conditional write each), and stops at the
 * first chunk still within its grace. Then it raises the mark to where it stopped.
 *
 * <p>The first look of a receive, and every poll of a long poll, sweeps, at most once per
 * {@link #INTERVAL_MILLIS} per subscription-partition in this process. A chunk is therefore
 * indexed within grace plus interval of its claim while anybody receives, well before its lease
 * ends. When nobody receives, nothing is swept, and nobody is owed a redelivery: the next receive,
 * in this process or a new one, sweeps before it reads the index, and finds an expired lease
 * itself.
 */
final class LeaseSweep {

    /** A lease this young is likely to be acked soon: indexing it would be a wasted write. */
    static final long GRACE_MILLIS = 1_000;
    /** Sweeps of one subscription-partition in this process are at least this far apart. */
    static final long INTERVAL_MILLIS = 1_000;
    /**
     * Claims leased for less are indexed at once: the sweep could come too late for them. The
     * margin over grace plus interval covers clocks that differ between processes.
     */
    static final long MIN_UNINDEXED_VISIBILITY_MILLIS = 5_000;
    /** Chunks one query of a sweep reads; a sweep reads a few pages at most and goes on next time. */
    static final int PAGE = 50;
    static final int MAX_PAGES = 4;

    private final ChunkTable chunks;
    private final ChunkMemory memory;
    private final Clock clock;
    private final Map<String, Long> lastSweep = new ConcurrentHashMap<>();

    LeaseSweep(ChunkTable chunks, ChunkMemory memory, Clock clock) {
        this.chunks = chunks;
        this.memory = memory;
        this.clock = clock;
    }

    /** Whether a fresh claim leased for {@code visibilityMillis} goes in the index at once. */
    static boolean indexedAtClaim(long visibilityMillis) {
        return visibilityMillis < MIN_UNINDEXED_VISIBILITY_MILLIS;
    }

    /**
     * Sweeps the subscription-partition if it is due, given its head as just read.
     *
     * @return start offsets of chunks this sweep indexed that are visible now (expired leases),
     *         for the caller to redeliver without waiting for the index to show them
     */
    List<Long> sweep(String stateKey, ChunkTable.Head head) {
        Cursor cursor = head.cursor();
        long from = cursor.sweepFrom();
        if (from >= head.frontier() || !takeTurn(stateKey + "@" + cursor.gen())) {
            return List.of();
        }
        long now = clock.millis();
        List<Long> visible = new ArrayList<>();
        long mark = from;
        boolean stopped = false;
        for (int page = 0; page < MAX_PAGES && !stopped; page++) {
            List<Chunk> found = chunks.from(stateKey, cursor.gen(), mark, PAGE);
            for (Chunk c : found) {
                if (!c.done() && !c.indexed()) {
                    if (c.leasedAt() > now - GRACE_MILLIS || !chunks.putInIndex(stateKey, c).landed()) {
                        stopped = true; // still within its grace, or changed under us: the next sweep looks again
                        break;
                    }
                    memory.forget(stateKey, c); // one version later now: an ack reads it again
                    if (c.visibleAt(now)) visible.add(c.start());
                }
                mark = c.end();
            }
            stopped |= found.size() < PAGE;
        }
        if (mark > from) {
            chunks.raiseSwept(stateKey, cursor, mark); // a lost race: another sweep got as far, or a seek moved on
        }
        return visible;
    }

    /** True at most once per interval per key in this process. */
    private boolean takeTurn(String key) {
        long now = clock.millis();
        boolean[] mine = {false};
        lastSweep.compute(key, (k, last) -> {
            if (last != null && now - last < INTERVAL_MILLIS) return last;
            mine[0] = true;
            return now;
        });
        return mine[0];
    }
}
