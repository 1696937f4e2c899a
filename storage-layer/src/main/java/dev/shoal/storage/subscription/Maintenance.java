package dev.shoal.storage.subscription;

import dev.shoal.storage.catalog.SubscriptionRef;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a subscription's consumer state small: raises each partition's ack floor past chunks
 * that are done (so that counts start from the floor), then deletes those chunks that are not
 * left to expire (ADR 0018), and deletes chunks that seek or purge left in older generations. Never needed for correctness: a
 * subscription that maintenance never visits keeps its done chunks and delivers nothing twice.
 */
public final class Maintenance {

    /**
     * The scan reads a few chunks first and more only while they are all done: usually the first
     * chunk is in flight and one small read is the whole pass; a pass after many acks reads (and
     * deletes) what they finished, in pages growing to {@link #MAX_PAGE}.
     */
    private static final int FIRST_PAGE = 4;
    private static final int MAX_PAGE = 500;

    private final ChunkTable chunks;

    public Maintenance(ChunkTable chunks) {
        this.chunks = chunks;
    }

    /** Returns the ack floor of each partition after the run. */
    public long[] run(SubscriptionRef sub) {
        long[] floors = new long[sub.queue().partitions()];
        for (int p = 0; p < floors.length; p++) {
            floors[p] = runPartition(sub.stateKey(p), sub.startOffset(p));
        }
        return floors;
    }

    private long runPartition(String stateKey, long defaultStart) {
        Cursor cursor = chunks.head(stateKey, defaultStart).cursor();
        long floor = cursor.floor();
        boolean blocked = false;
        List<Chunk> passed = new ArrayList<>();
        List<Chunk> page;
        // below the floor every chunk is done: deleted, or left to expire (which may take days to happen)
        long from = floor;
        int limit = FIRST_PAGE;
        boolean full;
        do {
            page = chunks.from(stateKey, cursor.gen(), from, limit);
            full = page.size() == limit;
            for (Chunk c : page) {
                if (!c.done()) {
                    floor = Math.max(floor, c.start());
                    blocked = true;
                    break;
                }
                floor = Math.max(floor, c.end());
                passed.add(c);
                from = c.end();
            }
            limit = Math.min(MAX_PAGE, limit * 8);
        } while (!blocked && full);
        long confirmed = cursor.floor();
        if (floor > cursor.floor() && chunks.raiseFloor(stateKey, cursor, floor).landed()) {
            confirmed = floor;
        }
        // only chunks the stored floor has passed: until then the frontier may rest on the newest of them
        long safe = confirmed;
        chunks.deleteDone(stateKey, passed.stream().filter(c -> c.end() <= safe && c.expiresAt() == 0).toList());
        chunks.deleteOldGenerations(stateKey, cursor.gen(), 100);
        return confirmed;
    }

    /** Removes all consumer state of the subscription (when it is deleted). */
    public void forget(SubscriptionRef sub) {
        for (int p = 0; p < sub.queue().partitions(); p++) {
            forgetState(sub.stateKey(p));
        }
    }

    /** Removes the consumer state stored under one subscription-partition key. */
    public void forgetState(String stateKey) {
        chunks.deleteAll(stateKey);
    }
}
