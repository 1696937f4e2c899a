package dev.shoal.storage.fifo;

import dev.shoal.storage.api.ConflictException;
import dev.shoal.storage.api.SubscriptionStats;
import dev.shoal.storage.catalog.SubscriptionRef;
import dev.shoal.storage.log.IndexEntry;
import dev.shoal.storage.log.LogIndex;
import dev.shoal.storage.subscription.ChunkTable;
import dev.shoal.storage.subscription.Cursor;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Counts and ack floors of FIFO subscriptions, read from their live windows (janitor and
 * describe; not the receive path). Maintenance moves each partition's floor past the done
 * ranges at its window's start. Done ranges are deleted by the table's TTL (ADR 0019), no sooner
 * than {@link #ACK_MEMORY} after they were done: until then a late ack with a superseded receipt
 * is refused. A range finished below the newest gets its TTL from the ack that finished it, the
 * others from whoever moves the floor past them ({@link #expirePassed}). Done ranges a version
 * before ADR 0019 left below the floor have none: maintenance deletes them.
 */
public final class FifoState {

    /** How long a done range is kept at least (its acks remembered: a superseded receipt is refused). */
    static final Duration ACK_MEMORY = Duration.ofMinutes(15);
    /**
     * How long after it is finished (or passed by the floor) a done range may be deleted by the
     * TTL: past {@link #ACK_MEMORY}, and far past the age of any window a claim acts on
     * ({@link FifoReceiver#MAX_WINDOW_AGE}).
     */
    static final Duration FINISHED_RANGE_TTL = Duration.ofHours(1);
    private static final int FIRST_PAGE = 4;
    private static final int MAX_PAGE = 100;

    private final RangeTable ranges;
    private final ChunkTable cursors;
    private final LogIndex index;
    private final Clock clock;

    public FifoState(RangeTable ranges, ChunkTable cursors, LogIndex index, Clock clock) {
        this.ranges = ranges;
        this.cursors = cursors;
        this.index = index;
        this.clock = clock;
    }

    public SubscriptionStats stats(SubscriptionRef sub) {
        long now = clock.millis();
        long visible = 0, inFlight = 0, delayed = 0, oldest = Long.MAX_VALUE;
        for (int p = 0; p < sub.queue().partitions(); p++) {
            String stateKey = sub.stateKey(p);
            String logKey = sub.queue().partitionKey(p);
            RangeTable.Window window = ranges.live(stateKey, ranges.cursor(stateKey, sub.startOffset(p)));
            long end = index.last(logKey).map(IndexEntry::endOffset).orElse(0L);
            long oldestOffset = end > window.frontier() ? window.frontier() : -1;
            visible += Math.max(0, end - window.frontier());
            for (ClaimedRange r : window.ranges()) {
                for (ClaimedRange.Slot s : r.slots()) {
                    switch (s.at(now)) {
                        case IN_FLIGHT -> inFlight++;
                        case BACKING_OFF -> delayed++;
                        case AVAILABLE -> visible++;
                        case GONE -> { }
                    }
                }
                if (!r.done() && (oldestOffset < 0 || r.firstLive() < oldestOffset)) oldestOffset = r.firstLive();
            }
            if (oldestOffset >= 0) {
                long at = oldestOffset;
                oldest = Math.min(oldest, index.containing(logKey, at).map(e -> e.firstTimestamp().toEpochMilli()).orElse(now));
            }
        }
        return new SubscriptionStats(visible, inFlight, delayed, oldest == Long.MAX_VALUE ? null : Duration.ofMillis(Math.max(0, now - oldest)));
    }

    /**
     * Per partition, the offset below which everything is acked (the earliest unacked offset, or
     * the frontier); moves the floor past done ranges, leaving them to expire, and deletes those
     * an older version left without a TTL once they were done long enough.
     */
    public long[] floors(SubscriptionRef sub) {
        long now = clock.millis();
        long[] floors = new long[sub.queue().partitions()];
        for (int p = 0; p < floors.length; p++) {
            String stateKey = sub.stateKey(p);
            Cursor cursor = ranges.cursor(stateKey, sub.startOffset(p));
            RangeTable.Window window;
            try {
                window = ranges.live(stateKey, cursor);
            } catch (ConflictException gateLayout) {
                floors[p] = Math.max(cursor.genStart(), cursor.floor()); // messages in gates: nothing above the floor is known acked
                continue;
            }
            long floor = window.doneUpTo();
            if (ranges.raiseFloor(stateKey, window.cursor(), floor)) {
                cursor = new Cursor(cursor.gen(), cursor.genStart(), floor);
                expirePassed(ranges, stateKey, window, floor, now);
            }
            deleteUnexpiring(stateKey, cursor, now);
            long firstLive = window.ranges().stream().filter(r -> !r.done()).mapToLong(ClaimedRange::firstLive).min().orElse(window.frontier());
            floors[p] = firstLive;
            cursors.deleteOldGenerations(stateKey, cursor.gen(), 100);
        }
        return floors;
    }

    /**
     * After the floor moved to {@code floor}: the done ranges of the window it passed that have
     * no TTL yet get one. The floor now holds the frontier they held, so they may go.
     */
    static void expirePassed(RangeTable ranges, String stateKey, RangeTable.Window window, long floor, long now) {
        List<ClaimedRange> passed = window.ranges().stream().filter(r -> r.end() <= floor && r.expiresAt() == 0).toList();
        if (!passed.isEmpty()) ranges.expire(stateKey, passed, now / 1000 + FINISHED_RANGE_TTL.toSeconds());
    }

    /**
     * Deletes, from the generation's start, the done ranges below the floor that have no TTL (a
     * version before ADR 0019 left them) once {@link #ACK_MEMORY} has passed since they were
     * done. Those lie below every range that has one, so the scan stops at the first it meets:
     * usually one small read is the whole pass.
     */
    private void deleteUnexpiring(String stateKey, Cursor cursor, long now) {
        long below = Math.max(cursor.genStart(), cursor.floor());
        long from = 0;
        for (int limit = FIRST_PAGE; ; limit = Math.min(MAX_PAGE, limit * 5)) {
            List<ClaimedRange> page = ranges.startingIn(stateKey, cursor.gen(), from, below, limit);
            for (ClaimedRange r : page) {
                if (r.expiresAt() > 0 || r.end() > below || !r.done() || r.doneAt() + ACK_MEMORY.toMillis() > now) return;
                ranges.delete(stateKey, r);
                from = r.end();
            }
            if (page.size() < limit) return;
        }
    }
}
