package dev.shoal.storage.log;

import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.s3.ObjectStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The janitor's work on the log: deletes segments past retention (and, for delete-on-ack
 * queues, below every subscription's ack floor), and orphans (segments written but never
 * committed) once they are older than the grace period. The newest entry of a partition is
 * always kept, because the next commit chains from it.
 */
public final class Retention {

    /** A segment not committed after this long never will be: the commit loop gives up within seconds. */
    public static final Duration ORPHAN_GRACE = Duration.ofMinutes(15);
    private static final int LIST_PAGE = 1000;

    private final LogIndex index;
    private final ObjectStore objects;

    public Retention(LogIndex index, ObjectStore objects) {
        this.index = index;
        this.objects = objects;
    }

    /** Counts of what a run deleted. */
    public record Result(long segments, long orphans) {
        Result plus(Result o) {
            return new Result(segments + o.segments, orphans + o.orphans);
        }
    }

    /**
     * @param ackFloors per partition, the lowest ack floor over all subscriptions (used only when the queue deletes on ack)
     */
    public Result run(QueueRef queue, long[] ackFloors, Instant now) {
        Result total = new Result(0, 0);
        for (int p = 0; p < queue.partitions(); p++) {
            total = total.plus(runPartition(queue, p, ackFloors == null ? -1 : ackFloors[p], now));
        }
        return total;
    }

    private Result runPartition(QueueRef queue, int partition, long ackFloor, Instant now) {
        String pk = queue.partitionKey(partition);
        List<IndexEntry> entries = new ArrayList<>();
        index.all(pk).forEach(entries::add);
        Instant horizon = queue.settings().retentionPeriod().map(now::minus).orElse(Instant.MIN);
        Set<String> live = new HashSet<>();
        List<IndexEntry> expired = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            IndexEntry e = entries.get(i);
            boolean newest = i == entries.size() - 1;
            boolean pastRetention = e.committedAt().isBefore(horizon);
            boolean ackedEverywhere = queue.settings().deleteOnAck() && ackFloor >= e.endOffset();
            if (!newest && (pastRetention || ackedEverywhere)) {
                expired.add(e);
            } else {
                live.add(e.segmentKey());
            }
        }
        for (IndexEntry e : expired) {
            index.delete(pk, e.baseOffset()); // entry first: readers never see an entry without its segment
        }
        objects.delete(expired.stream().map(IndexEntry::segmentKey).toList());
        long orphans = deleteOrphans(queue.segmentPrefix(partition), live, expired, now);
        return new Result(expired.size(), orphans);
    }

    private long deleteOrphans(String prefix, Set<String> live, List<IndexEntry> justDeleted, Instant now) {
        Set<String> known = new HashSet<>(live);
        justDeleted.forEach(e -> known.add(e.segmentKey()));
        List<String> orphans = listAll(prefix).stream()
                .filter(o -> !known.contains(o.key()) && o.lastModified().isBefore(now.minus(ORPHAN_GRACE)))
                .map(ObjectStore.StoredObject::key).toList();
        objects.delete(orphans);
        return orphans.size();
    }

    /** Removes everything of a deleted queue's partition: entries and segments. */
    public long purgeDeleted(String queueId, int partition) {
        String pk = dev.shoal.storage.dynamodb.LogItems.partitionKey(queueId, partition);
        List<IndexEntry> entries = new ArrayList<>();
        index.all(pk).forEach(entries::add);
        entries.forEach(e -> index.delete(pk, e.baseOffset()));
        objects.delete(listAll("segments/" + queueId + "/" + partition + "/").stream().map(ObjectStore.StoredObject::key).toList());
        return entries.size();
    }

    /** Every object under {@code prefix}, page by page. */
    private List<ObjectStore.StoredObject> listAll(String prefix) {
        List<ObjectStore.StoredObject> all = new ArrayList<>();
        String after = null;
        List<ObjectStore.StoredObject> page;
        do {
            page = objects.list(prefix, after, LIST_PAGE);
            all.addAll(page);
            if (!page.isEmpty()) after = page.getLast().key();
        } while (page.size() == LIST_PAGE);
        return all;
    }
}
