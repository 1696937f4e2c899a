package dev.shoal.storage.fifo;

import dev.shoal.storage.api.DeduplicationScope;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.dynamodb.FifoItems;
import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.log.IndexEntry;
import dev.shoal.storage.log.PartitionLog;
import dev.shoal.storage.s3.ObjectNotFoundException;
import dev.shoal.storage.segment.SegmentRecord;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import static dev.shoal.storage.dynamodb.Items.*;
import static dev.shoal.storage.dynamodb.ShoalTables.*;

/**
 * FIFO deduplication without a write per message: a batch's keys are checked against the
 * records its partition committed in the last five minutes, and the check is made for the very
 * offset the commit is tried at. The commit's own condition (nothing at that offset yet) then
 * guarantees that no record committed between the check and the commit: a racing duplicate
 * makes the commit land at a later offset, whose check sees it.
 *
 * <p>The records are read from the partition's segments, which are immutable, and kept per
 * partition in memory with their keys (a window of five minutes, trimmed as it goes); a check
 * reads only the index items committed since the last one, and none for what this process
 * committed itself ({@link #committed}: it learns its own commits as they land). A purge records
 * a floor per partition (one small item) below which nothing counts. A floor can only take keys
 * away, so the floor is read only when a check finds a key under the floor it knows: a check
 * that finds nothing there would find nothing under a newer floor either.
 *
 * <p>It applies where a duplicate can only be on the message's own partition: a queue of one
 * partition, or deduplication scoped to the message group (a group lives on one partition).
 * Queues that delete segments early ({@code deleteOnAck}, retention under five minutes) keep the
 * per-message items of {@link Deduplication}.
 */
public final class ChainDeduplication {

    private record Seen(String key, MessageId id, long timestamp) {
    }

    /**
     * One partition's recent keys; {@code end}: every index item below it was read. A key maps
     * to its newest commit in the window: two commits of one key in the window are only ever a
     * purge apart, and the newer is then the original (the older is under the purge's floor,
     * which this window may not know yet).
     */
    private static final class Window {
        long end = -1;
        long floor;
        final Map<String, Seen> keys = new HashMap<>();
        final ArrayDeque<Seen> order = new ArrayDeque<>();
    }

    /** A floor matters only while records below it are in the window; it expires (TTL) well after. */
    static final java.time.Duration FLOOR_TTL = java.time.Duration.ofDays(1);

    private final PartitionLog log;
    private final DynamoDbClient dynamo;
    private final String table;
    private final java.time.Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public ChainDeduplication(PartitionLog log, DynamoDbClient dynamo, ShoalTables tables, java.time.Clock clock) {
        this.log = log;
        this.dynamo = dynamo;
        this.table = tables.stateTable();
        this.clock = clock;
    }

    /** Whether a queue's deduplication is checked against its chains (else: per-message items). */
    public static boolean applies(QueueSettings s) {
        return s.fifo() && (s.partitions() == 1 || s.deduplicationScope() == DeduplicationScope.MESSAGE_GROUP)
                && !s.deleteOnAck() && (s.retention() == null || s.retention().compareTo(Limits.DEDUP_WINDOW) >= 0);
    }

    /**
     * Checks {@code keys} (of {@link Deduplication#keyOf(QueueSettings, dev.shoal.storage.api.NewMessage)})
     * against everything the partition committed below {@code base} in the window.
     *
     * @return the keys committed before, by their index in {@code keys}, with the originals' ids (ascending; empty: none)
     */
    public NavigableMap<Integer, MessageId> committedBelow(QueueRef queue, int partition, List<String> keys, long base, long now) {
        Window w = windows.computeIfAbsent(queue.partitionKey(partition), k -> new Window());
        synchronized (w) {
            NavigableMap<Integer, MessageId> found = check(w, queue, partition, keys, base, now);
            if (found.isEmpty()) {
                return found; // a newer floor only takes keys away: it could not find more
            }
        }
        long floor = floor(queue, partition);
        synchronized (w) {
            raiseFloor(w, floor);
            return check(w, queue, partition, keys, base, now);
        }
    }

    /**
     * Learns a commit this process made at {@code base}, of {@code keys} produced at
     * {@code timestamps} (the j-th at {@code base + j}), right after the chain check for that
     * offset: when the window had read the chain up to {@code base}, it now holds the commit
     * too, and the next check reads the index from its end on (or not at all).
     */
    public void committed(QueueRef queue, int partition, long base, List<String> keys, List<Long> timestamps) {
        Window w = windows.get(queue.partitionKey(partition));
        if (w == null) return;
        synchronized (w) {
            if (w.end != base) return; // something lies between: the next check reads it from the index
            for (int j = 0; j < keys.size(); j++) {
                see(w, new Seen(keys.get(j), new MessageId(partition, base + j), timestamps.get(j)));
            }
            w.end = base + keys.size();
        }
    }

    private NavigableMap<Integer, MessageId> check(Window w, QueueRef queue, int partition, List<String> keys, long base, long now) {
        if (w.end < 0) {
            w.end = windowStart(queue.partitionKey(partition), now - Limits.DEDUP_WINDOW.toMillis());
        }
        readUpTo(w, queue, partition, base, now);
        trim(w, now);
        NavigableMap<Integer, MessageId> found = new TreeMap<>();
        for (int j = 0; j < keys.size(); j++) {
            Seen seen = w.keys.get(keys.get(j));
            if (seen != null && inWindow(seen.timestamp(), now)) found.put(j, seen.id());
        }
        return found;
    }

    /** Nothing below a purge's floor counts any more. */
    private static void raiseFloor(Window w, long floor) {
        if (floor <= w.floor) return;
        w.floor = floor;
        w.keys.values().removeIf(s -> s.id().offset() < floor); // a key's newest commit is below it: all of them are
        w.order.removeIf(s -> s.id().offset() < floor);
        w.end = Math.max(w.end, floor);
    }

    private static void see(Window w, Seen seen) {
        w.keys.put(seen.key(), seen);
        w.order.add(seen);
    }

    /** Forgets every key of the queue (purge): nothing committed so far counts any more. */
    public void forget(QueueRef queue) {
        long expires = (clock.millis() + FLOOR_TTL.toMillis()) / 1000;
        for (int p = 0; p < queue.partitions(); p++) {
            long end = log.endOffset(queue, p);
            int partition = p;
            dynamo.putItem(b -> b.tableName(table).item(Map.of(STATE_PARTITION_KEY, s(floorKey(queue)),
                    STATE_SORT_KEY, s(Integer.toString(partition)), "o", n(end), STATE_TTL_ATTRIBUTE, n(expires))));
        }
    }

    /**
     * The first offset whose segment was committed at or after {@code since}: a binary search
     * over the chain. The end is read before the start, so that a segment committed meanwhile is
     * at or after the answer (and read by the check), never skipped.
     */
    private long windowStart(String pk, long since) {
        long hi = log.index().last(pk).map(IndexEntry::endOffset).orElse(0L);
        long lo = Math.min(hi, log.index().firstEntry(pk).map(IndexEntry::baseOffset).orElse(hi));
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            var e = log.index().containing(pk, mid);
            if (e.isEmpty()) {
                lo = mid + 1;
            } else if (e.get().committedAt().toEpochMilli() < since) {
                lo = e.get().endOffset();
            } else {
                hi = e.get().baseOffset();
            }
        }
        return lo;
    }

    private long floor(QueueRef queue, int partition) {
        var item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(STATE_PARTITION_KEY, s(floorKey(queue)), STATE_SORT_KEY, s(Integer.toString(partition))))).item();
        return item == null || item.isEmpty() ? 0 : num(item, "o", 0);
    }

    private void readUpTo(Window w, QueueRef queue, int partition, long base, long now) {
        String pk = queue.partitionKey(partition);
        while (w.end < base) {
            List<IndexEntry> entries = log.index().from(pk, w.end, 50);
            if (entries.isEmpty()) return;
            for (IndexEntry e : entries) {
                if (e.baseOffset() >= base) return;
                List<SegmentRecord> records;
                try {
                    records = e.lastTimestamp().toEpochMilli() + Limits.DEDUP_WINDOW.toMillis() <= now ? List.of()
                            : log.segments().read(e, 0, e.count());
                } catch (ObjectNotFoundException expired) {
                    records = List.of(); // past retention, so past the window too (retention is at least the window here)
                }
                for (int i = 0; i < records.size(); i++) {
                    SegmentRecord r = records.get(i);
                    if (!inWindow(r.timestampMillis(), now)) continue;
                    see(w, new Seen(Deduplication.keyOf(queue.settings(), r.groupId(), r.dedupId(), r.body()),
                            new MessageId(partition, e.baseOffset() + i), r.timestampMillis()));
                }
                w.end = e.endOffset();
            }
        }
    }

    private static boolean inWindow(long producedAt, long now) {
        return producedAt + Limits.DEDUP_WINDOW.toMillis() > now;
    }

    /** Drops keys older than the window, oldest first (the order is the commit order, so nearly by time). */
    private static void trim(Window w, long now) {
        while (!w.order.isEmpty() && !inWindow(w.order.peekFirst().timestamp(), now)) {
            Seen old = w.order.pollFirst();
            w.keys.remove(old.key(), old);
        }
    }

    private static String floorKey(QueueRef queue) {
        return FifoItems.deduplicationFloors(queue.id());
    }
}
