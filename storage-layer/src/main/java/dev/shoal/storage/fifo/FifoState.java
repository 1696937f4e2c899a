package dev.shoal.storage.fifo;

import dev.shoal.storage.api.SubscriptionStats;
import dev.shoal.storage.catalog.SubscriptionRef;
import dev.shoal.storage.log.IndexEntry;
import dev.shoal.storage.log.LogIndex;
import dev.shoal.storage.subscription.ChunkTable;
import dev.shoal.storage.subscription.Cursor;

import java.time.Clock;
import java.time.Duration;

/** Counts and ack floors of FIFO subscriptions, read from their gates (janitor and describe; not the receive path). */
public final class FifoState {

    private final GateTable gates;
    private final ChunkTable cursors;
    private final LogIndex index;
    private final Clock clock;

    public FifoState(GateTable gates, ChunkTable cursors, LogIndex index, Clock clock) {
        this.gates = gates;
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
            Cursor cursor = cursors.head(stateKey, sub.startOffset(p)).cursor();
            long frontier = cursor.frontier(gates.newestClaimEnd(stateKey, cursor.gen()).orElse(0L));
            long end = index.last(logKey).map(IndexEntry::endOffset).orElse(0L);
            long oldestOffset = end > frontier ? frontier : -1;
            visible += Math.max(0, end - frontier);
            for (Gate g : gates.all(stateKey, cursor.gen())) {
                if (g.pending().isEmpty()) continue;
                for (int i = 0; i < g.pending().size(); i++) {
                    if (g.inFlightAt(i, now)) inFlight++;
                    else if (g.waitingAt(i, now)) delayed++;
                    else visible++;
                }
                long first = g.pending().getFirst();
                if (oldestOffset < 0 || first < oldestOffset) oldestOffset = first;
            }
            if (oldestOffset >= 0) {
                long at = oldestOffset;
                oldest = Math.min(oldest, index.containing(logKey, at).map(e -> e.firstTimestamp().toEpochMilli()).orElse(now));
            }
        }
        return new SubscriptionStats(visible, inFlight, delayed, oldest == Long.MAX_VALUE ? null : Duration.ofMillis(Math.max(0, now - oldest)));
    }

    /** Per partition, the offset below which everything is acked: the earliest pending offset, or the frontier. */
    public long[] floors(SubscriptionRef sub) {
        long[] floors = new long[sub.queue().partitions()];
        for (int p = 0; p < floors.length; p++) {
            String stateKey = sub.stateKey(p);
            Cursor cursor = cursors.head(stateKey, sub.startOffset(p)).cursor();
            long floor = cursor.frontier(gates.newestClaimEnd(stateKey, cursor.gen()).orElse(0L));
            for (Gate g : gates.all(stateKey, cursor.gen())) {
                if (!g.pending().isEmpty()) floor = Math.min(floor, g.pending().getFirst());
            }
            floors[p] = floor;
            cursors.deleteOldGenerations(stateKey, cursor.gen(), 100);
        }
        return floors;
    }
}
