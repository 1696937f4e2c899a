package dev.shoal.storage.subscription;

import dev.shoal.storage.api.SubscriptionStats;
import dev.shoal.storage.catalog.SubscriptionRef;
import dev.shoal.storage.log.IndexEntry;
import dev.shoal.storage.log.LogIndex;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Approximate counts, as SQS gives them: not on the receive path, read from the chunks between
 * the ack floor and the frontier plus the log beyond the frontier.
 */
public final class StateReader {

    private static final int PAGE = 500;

    private final ChunkTable chunks;
    private final LogIndex index;
    private final Clock clock;

    public StateReader(ChunkTable chunks, LogIndex index, Clock clock) {
        this.chunks = chunks;
        this.index = index;
        this.clock = clock;
    }

    /**
     * Messages past the frontier in segments whose every record is not due yet. Looks at the
     * first {@link #PAGE} segments only: beyond that, a backlog counts as visible.
     */
    private long notYetDue(String logKey, long frontier, long now) {
        long count = 0;
        for (IndexEntry e : index.from(logKey, frontier, PAGE)) {
            if (e.earliestDelivery().toEpochMilli() > now) {
                count += e.endOffset() - Math.max(frontier, e.baseOffset());
            }
        }
        return count;
    }

    public SubscriptionStats stats(SubscriptionRef sub) {
        long now = clock.millis();
        long visible = 0, inFlight = 0, delayed = 0;
        long oldest = Long.MAX_VALUE;
        for (int p = 0; p < sub.queue().partitions(); p++) {
            String stateKey = sub.stateKey(p);
            String logKey = sub.queue().partitionKey(p);
            ChunkTable.Head head = chunks.head(stateKey, sub.startOffset(p));
            long frontier = head.frontier();
            long end = index.last(logKey).map(IndexEntry::endOffset).orElse(0L);
            long oldestOffset = -1;
            if (end > frontier) {
                long firstRetained = index.containing(logKey, frontier).map(e -> frontier)
                        .orElseGet(() -> index.from(logKey, frontier, 1).stream().findFirst().map(IndexEntry::baseOffset).orElse(end));
                long notDue = notYetDue(logKey, firstRetained, now);
                visible += end - firstRetained - notDue;
                delayed += notDue;
                if (firstRetained < end) oldestOffset = firstRetained;
            }
            long from = head.cursor().floor();
            List<Chunk> page;
            do {
                page = chunks.from(stateKey, head.cursor().gen(), from, PAGE);
                for (Chunk c : page) {
                    if (c.done()) continue;
                    int unacked = c.unackedCount();
                    if (c.due() <= now) visible += unacked;
                    else if (c.state() == Chunk.State.LEASED && c.lease() != null) inFlight += unacked;
                    else delayed += unacked;
                    long firstUnacked = c.unackedOffsets()[0];
                    if (oldestOffset < 0 || firstUnacked < oldestOffset) oldestOffset = firstUnacked;
                }
                if (!page.isEmpty()) from = page.getLast().end();
            } while (page.size() == PAGE);
            if (oldestOffset >= 0) {
                long at = oldestOffset;
                oldest = Math.min(oldest, index.containing(logKey, at).map(e -> e.firstTimestamp().toEpochMilli()).orElse(now));
            }
        }
        Duration age = oldest == Long.MAX_VALUE ? null : Duration.ofMillis(Math.max(0, now - oldest));
        return new SubscriptionStats(visible, inFlight, delayed, age);
    }
}
