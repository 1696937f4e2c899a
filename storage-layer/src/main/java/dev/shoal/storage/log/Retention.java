package dev.shoal.storage.log;

import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.s3.ObjectStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The janitor's work on the log: deletes segments past retention (and, for delete-on-ack
 * queues, below every subscription's ack floor), and orphans (segments written but never
 * committed) once they are older than the grace period. The newest entry of a partition is
 * always kept, because the next commit chains from it.
 *
 * <p>Each partition's work is proportional to what changed since the last pass, kept in a
 * {@link LogCheckpoint} (docs/adr/0014-janitor-checkpoints.md): retention reads the index from
 * the oldest entry and stops at the first live one (and not at all while the last one it saw
 * is still live); orphans are found from the entries committed and the objects written since.
 * A partition never visited (or of a store from before checkpoints) is read whole once.
 */
public final class Retention {

    /** A segment not committed after this long never will be: the commit loop gives up within seconds. */
    public static final Duration ORPHAN_GRACE = Duration.ofMinutes(15);
    private static final int PAGE = 500;
    private static final int LIST_PAGE = 1000;

    private final LogIndex index;
    private final ObjectStore objects;
    private final LogCheckpoints checkpoints;
    private final OrphanScan scan;
    private final Expiry expiry;

    public Retention(LogIndex index, ObjectStore objects, LogCheckpoints checkpoints) {
        this.index = index;
        this.objects = objects;
        this.checkpoints = checkpoints;
        this.scan = new OrphanScan(index, objects);
        this.expiry = new Expiry(index);
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
        Map<Integer, LogCheckpoint> saved = checkpoints.read(queue);
        Result total = new Result(0, 0);
        for (int p = 0; p < queue.partitions(); p++) {
            long floor = ackFloors == null || p >= ackFloors.length ? -1 : ackFloors[p];
            total = total.plus(runPartition(queue, p, floor, saved.getOrDefault(p, LogCheckpoint.NONE), now));
        }
        return total;
    }

    private Result runPartition(QueueRef queue, int partition, long ackFloor, LogCheckpoint saved, Instant now) {
        String pk = queue.partitionKey(partition);
        LogCheckpoint c = scan.scan(pk, queue.segmentPrefix(partition), saved, now);
        List<IndexEntry> expired = List.of();
        if (Expiry.due(c, queue.settings(), ackFloor, now)) {
            Expiry.Found found = expiry.find(pk, queue.settings(), ackFloor, now);
            expired = found.expired();
            c = c.withOldest(found.oldestEnd(), found.oldestAt());
        }
        // an inline segment goes with its entry: only the others have an object to delete
        List<IndexEntry> withObjects = expired.stream().filter(e -> !e.isInline()).toList();
        if (!expired.isEmpty()) {
            // written ahead: if this pass dies between the entries and the objects, the next one deletes the objects
            List<LogCheckpoint.Pending> doomed = new ArrayList<>(withObjects.stream()
                    .map(e -> new LogCheckpoint.Pending(e.segmentKey(), Instant.EPOCH)).toList());
            Set<String> keys = new HashSet<>(doomed.stream().map(LogCheckpoint.Pending::key).toList());
            c.pending().stream().filter(p -> !keys.contains(p.key())).forEach(doomed::add);
            c = c.withPending(doomed);
            checkpoints.write(queue, partition, c);
            for (IndexEntry e : expired) {
                index.delete(pk, e.baseOffset()); // entry first: readers never see an entry without its segment
            }
        }
        List<LogCheckpoint.Pending> gone = OrphanScan.orphans(c, now);
        objects.delete(gone.stream().map(LogCheckpoint.Pending::key).toList());
        if (!gone.isEmpty()) {
            Set<LogCheckpoint.Pending> deleted = new HashSet<>(gone);
            c = c.withPending(c.pending().stream().filter(p -> !deleted.contains(p)).toList());
        }
        if (!c.equals(saved)) {
            checkpoints.write(queue, partition, c);
        }
        return new Result(expired.size(), gone.size() - withObjects.size());
    }

    /**
     * Removes everything of a deleted queue's partition: entries, segments and the janitor's
     * checkpoint, page by page (memory stays bounded whatever the queue held).
     */
    public long purgeDeleted(String queueId, int partition) {
        String pk = dev.shoal.storage.dynamodb.LogItems.partitionKey(queueId, partition);
        long entries = 0;
        List<IndexEntry> page;
        do {
            page = index.from(pk, 0, PAGE);
            page.forEach(e -> index.delete(pk, e.baseOffset()));
            entries += page.size();
        } while (page.size() == PAGE);
        String prefix = "segments/" + queueId + "/" + partition + "/";
        List<ObjectStore.StoredObject> objs;
        String after = null;
        do {
            objs = objects.list(prefix, after, LIST_PAGE);
            objects.delete(objs.stream().map(ObjectStore.StoredObject::key).toList());
            if (!objs.isEmpty()) after = objs.getLast().key();
        } while (objs.size() == LIST_PAGE);
        checkpoints.forget(queueId, partition);
        return entries;
    }
}
