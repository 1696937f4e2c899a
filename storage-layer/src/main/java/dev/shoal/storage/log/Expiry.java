package dev.shoal.storage.log;

import dev.shoal.storage.api.QueueSettings;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of a partition's oldest entries retention may delete: past the queue's retention, or,
 * for delete-on-ack queues, below every subscription's ack floor. Both only grow with the
 * offset, so the index is read from the oldest entry and the read stops at the first live one;
 * the newest entry is never chosen (the next commit chains from it).
 */
final class Expiry {

    /** At most this many entries are deleted per partition and pass; the next pass goes on. */
    static final int BUDGET = 1000;
    private static final int FIRST_PAGE = 2;
    private static final int MAX_PAGE = 500;

    private final LogIndex index;

    Expiry(LogIndex index) {
        this.index = index;
    }

    /**
     * The entries to delete, oldest first, and the end offset and commit time of the oldest that
     * stays: {@code (0, EPOCH)} for an empty partition, {@code (-1, null)} when the budget ran out first.
     */
    record Found(List<IndexEntry> expired, long oldestEnd, Instant oldestAt) {
        static Found upTo(List<IndexEntry> expired, IndexEntry kept) {
            return new Found(expired, kept.endOffset(), kept.committedAt());
        }
    }

    static boolean expired(QueueSettings settings, long ackFloor, long endOffset, Instant committedAt, Instant now) {
        boolean pastRetention = settings.retentionPeriod().map(r -> committedAt.isBefore(now.minus(r))).orElse(false);
        return pastRetention || (settings.deleteOnAck() && ackFloor >= endOffset);
    }

    /**
     * Whether looking is worth a read, given what the last look saw: the oldest entry then is
     * expired now, and the partition has grown past it (else it is the newest, which stays).
     */
    static boolean due(LogCheckpoint c, QueueSettings settings, long ackFloor, Instant now) {
        if (c.oldestEnd() < 0 || c.oldestAt() == null) return true;
        return c.indexFrom() > c.oldestEnd() && expired(settings, ackFloor, c.oldestEnd(), c.oldestAt(), now);
    }

    Found find(String partitionKey, QueueSettings settings, long ackFloor, Instant now) {
        List<IndexEntry> expired = new ArrayList<>();
        long from = 0;
        int limit = FIRST_PAGE;
        while (true) {
            List<IndexEntry> page = index.from(partitionKey, from, limit);
            if (page.isEmpty()) {
                return new Found(expired, 0, Instant.EPOCH);
            }
            // the last entry of a page is decided with the next page: only an entry with a successor may go
            for (int i = 0; i + 1 < page.size(); i++) {
                IndexEntry e = page.get(i);
                if (!expired(settings, ackFloor, e.endOffset(), e.committedAt(), now)) {
                    return Found.upTo(expired, e);
                }
                if (expired.size() == BUDGET) {
                    return new Found(expired, -1, null);
                }
                expired.add(e);
            }
            if (page.size() < limit) {
                return Found.upTo(expired, page.getLast()); // the newest: it stays
            }
            from = page.getLast().baseOffset();
            limit = Math.min(MAX_PAGE, limit * 8);
        }
    }
}
