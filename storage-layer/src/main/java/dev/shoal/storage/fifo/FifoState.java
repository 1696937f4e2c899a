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

/**
 * Counts and ack floors of FIFO subscriptions, read from their live windows (janitor and
 * describe; not the receive path). Maintenance moves each partition's floor past the done
 * ranges at its window's start and deletes done ranges below it once {@link #ACK_MEMORY} has
 * passed since they were done: until then a late ack with a superseded receipt is refused.
 */
public final class FifoState {

    /** How long a done range is kept below the floor (its acks remembered) before it is deleted. */
    static final Duration ACK_MEMORY = Duration.ofMinutes(15);
    private static final int DELETES_PER_PASS = 100;

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
     * the frontier); moves the floor past done ranges and deletes those done long enough.
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
            }
            long below = Math.max(cursor.genStart(), cursor.floor());
            for (ClaimedRange r : ranges.before(stateKey, cursor.gen(), below, DELETES_PER_PASS)) {
                if (r.end() <= below && r.done() && r.doneAt() + ACK_MEMORY.toMillis() <= now) ranges.delete(stateKey, r);
            }
            long firstLive = window.ranges().stream().filter(r -> !r.done()).mapToLong(ClaimedRange::firstLive).min().orElse(window.frontier());
            floors[p] = firstLive;
            cursors.deleteOldGenerations(stateKey, cursor.gen(), 100);
        }
        return floors;
    }
}
