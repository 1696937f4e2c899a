package dev.shoal.storage.subscription;

import dev.shoal.storage.catalog.SubscriptionRef;

import java.util.List;

/**
 * Keeps a subscription's consumer state small: raises each partition's ack floor past chunks
 * that are done (so that TTL may remove them and counts start from the floor), and deletes
 * chunks that seek or purge left in older generations.
 */
public final class Maintenance {

    private static final int PAGE = 500;

    private final ChunkTable chunks;

    public Maintenance(ChunkTable chunks) {
        this.chunks = chunks;
    }

    /** Returns the ack floor of each partition after the run. */
    public long[] run(SubscriptionRef sub) {
        long[] floors = new long[sub.queue().partitions()];
        for (int p = 0; p < floors.length; p++) {
            String stateKey = sub.stateKey(p);
            ChunkTable.Head head = chunks.head(stateKey, sub.startOffset(p));
            Cursor cursor = head.cursor();
            long floor = cursor.floor();
            boolean blocked = false;
            List<Chunk> page;
            do {
                page = chunks.from(stateKey, cursor.gen(), floor, PAGE);
                for (Chunk c : page) {
                    if (!c.done()) {
                        floor = Math.max(floor, c.start());
                        blocked = true;
                        break;
                    }
                    floor = c.end();
                }
            } while (!blocked && page.size() == PAGE);
            if (floor > cursor.floor()) {
                chunks.raiseFloor(stateKey, cursor.gen(), floor);
            }
            chunks.deleteOldGenerations(stateKey, cursor.gen(), 100);
            floors[p] = floor;
        }
        return floors;
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
