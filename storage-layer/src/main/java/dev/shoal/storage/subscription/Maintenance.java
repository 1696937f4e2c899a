package dev.shoal.storage.subscription;

import dev.shoal.storage.catalog.SubscriptionRef;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a subscription's consumer state small: raises each partition's ack floor past chunks
 * that are done (so that counts start from the floor), then deletes those chunks that are not
 * left to expire (ADR 0018), and deletes chunks that seek or purge left in older generations.
 * The floor stops before a done chunk claimed less than {@link #MIN_AGE_TO_DELETE_MILLIS} ago
 * that is not left to expire: a later pass deletes it. Never needed for correctness: a
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

    /**
     * A done chunk is deleted no sooner after its claim: a claim that read the frontier before it
     * may still be about to put at its start, for up to {@link FreshClaims#MAX_HEAD_AGE_MILLIS}
     * (ADR 0018). The margin covers clocks that differ between processes. Until then the floor
     * stops before it, so the next pass finds it again.
     */
    public static final long MIN_AGE_TO_DELETE_MILLIS = 60_000;

    private final ChunkTable chunks;
    private final Clock clock;

    public Maintenance(ChunkTable chunks, Clock clock) {
        this.chunks = chunks;
        this.clock = clock;
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
        long claimedBefore = clock.millis() - MIN_AGE_TO_DELETE_MILLIS;
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
                if (!c.done() || (c.expiresAt() == 0 && c.claimedAtMost() > claimedBefore)) {
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
