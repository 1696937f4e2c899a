package dev.shoal.storage.log;

import dev.shoal.storage.s3.ObjectStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds a partition's orphans (segments written but never committed) from its checkpoint, in
 * work proportional to what changed since: the index entries committed since the last pass
 * and the objects written since (listed from the checkpoint's key on; keys are time-ordered,
 * {@link SegmentKeys}). An idle partition is listed once per {@link #IDLE_LISTING} only, for
 * the orphans of commits that failed without any later commit.
 */
final class OrphanScan {

    static final int INDEX_PAGE = 500;
    static final int LIST_PAGE = 1000;
    /** How often a partition without new commits is listed anyway. */
    static final Duration IDLE_LISTING = Retention.ORPHAN_GRACE;
    /**
     * At most this many pending objects are kept (about 70 KB of checkpoint). Beyond it the
     * youngest are forgotten: never deleted, a leak of storage only, never of a message.
     */
    static final int PENDING_LIMIT = 1000;

    private final LogIndex index;
    private final ObjectStore objects;

    OrphanScan(LogIndex index, ObjectStore objects) {
        this.index = index;
        this.objects = objects;
    }

    /**
     * Reads the index from the checkpoint to its end, then lists the objects written since the
     * checkpoint's key (in that order: see {@link LogCheckpoint}). Deletes nothing; returns the
     * checkpoint to keep, whose pending objects are those no entry names.
     */
    LogCheckpoint scan(String partitionKey, String prefix, LogCheckpoint from, Instant now) {
        Set<String> committed = new HashSet<>();
        long next = from.indexFrom();
        List<IndexEntry> page;
        do {
            page = index.from(partitionKey, next, INDEX_PAGE);
            for (IndexEntry e : page) {
                committed.add(e.segmentKey());
                next = e.endOffset();
            }
        } while (page.size() == INDEX_PAGE);
        List<LogCheckpoint.Pending> pending = new ArrayList<>();
        for (LogCheckpoint.Pending p : from.pending()) {
            if (!committed.contains(p.key())) pending.add(p);
        }
        boolean listDue = next != from.indexFrom() || from.listedAt() == null || !from.listedAt().isAfter(now.minus(IDLE_LISTING));
        String listedTo = from.listedTo();
        Instant listedAt = from.listedAt();
        if (listDue) {
            List<ObjectStore.StoredObject> objs;
            do {
                objs = objects.list(prefix, listedTo, LIST_PAGE);
                for (ObjectStore.StoredObject o : objs) {
                    if (!committed.contains(o.key())) pending.add(new LogCheckpoint.Pending(o.key(), o.lastModified()));
                    listedTo = o.key();
                }
            } while (objs.size() == LIST_PAGE);
            listedAt = now;
        }
        if (pending.size() > PENDING_LIMIT) {
            pending = pending.subList(0, PENDING_LIMIT); // listed oldest first: the youngest are forgotten
        }
        return new LogCheckpoint(next, listedTo, listedAt, pending, from.oldestEnd(), from.oldestAt());
    }

    /** Pending objects older than the grace period: no commit will name them any more. */
    static List<LogCheckpoint.Pending> orphans(LogCheckpoint c, Instant now) {
        Instant horizon = now.minus(Retention.ORPHAN_GRACE);
        return c.pending().stream().filter(p -> p.lastModified().isBefore(horizon)).toList();
    }
}
