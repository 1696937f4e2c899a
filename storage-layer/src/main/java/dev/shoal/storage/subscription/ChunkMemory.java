package dev.shoal.storage.subscription;

import dev.shoal.storage.batching.NewestClaims;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What this process knows of the chunks of each subscription-partition, per generation: the
 * chunks as it last wrote them, and the newest chunk it has seen (written, or read at the head).
 * Two uses (ADR 0018):
 * <ul>
 *   <li>an ack writes on a chunk as this process last wrote it, without reading it first. The
 *       write is conditional on the remembered version, so a chunk somebody changed since loses
 *       the race and is read again;</li>
 *   <li>an ack that finishes a chunk leaves it to the table's TTL, instead of to maintenance's
 *       delete, when a chunk that starts after it is known to exist. The frontier rests on the
 *       newest chunk, and no chunk gets a TTL without a newer one known, so the newest never
 *       expires; maintenance deletes it once the floor has passed it.</li>
 * </ul>
 * A cache: it forgets the oldest chunks past {@link #MAX_CHUNKS_PER_PARTITION}, and whatever
 * it has forgotten is read from the table.
 */
public final class ChunkMemory {

    /** Chunks remembered per subscription-partition: some seconds of receives at a high rate. */
    static final int MAX_CHUNKS_PER_PARTITION = 1_000;

    private final Map<String, Partition> partitions = new ConcurrentHashMap<>();
    private final NewestClaims newest;

    public ChunkMemory(Clock clock) {
        this.newest = new NewestClaims(clock);
    }

    /** The newest chunk of each subscription-partition this process has seen, its pace, and the receives under way. */
    NewestClaims newest() {
        return newest;
    }

    /** The chunks of one subscription-partition in one generation, as this process last wrote them. */
    private static final class Partition {
        final long gen;
        final ConcurrentSkipListMap<Long, Chunk> written = new ConcurrentSkipListMap<>();
        final AtomicInteger size = new AtomicInteger();

        Partition(long gen) {
            this.gen = gen;
        }
    }

    /** The chunk as this process just stored it. */
    void wrote(String stateKey, Chunk stored) {
        Partition p = partition(stateKey, stored.gen());
        if (p == null) {
            return;
        }
        newest.seen(stateKey, stored.gen(), stored.start(), stored.end());
        if (stored.done()) {
            forget(p, stored.start());
            return;
        }
        if (p.written.put(stored.start(), stored) == null && p.size.incrementAndGet() > MAX_CHUNKS_PER_PARTITION) {
            if (p.written.pollFirstEntry() != null) p.size.decrementAndGet();
        }
    }

    /** A chunk starting at {@code start} and ending at {@code end} exists in the generation (a strong read found it). */
    void seen(String stateKey, long gen, long start, long end) {
        if (partition(stateKey, gen) != null) newest.seen(stateKey, gen, start, end);
    }

    /** The newest chunk a head read found exists, and may be newer than any this process knew. */
    void sawHead(String stateKey, ChunkTable.Head head) {
        head.newest().ifPresent(c -> seen(stateKey, c.gen(), c.start(), c.end()));
    }

    /** The frontier as far as {@code head} and this process know: its own newest claim, or a head read since, may be further. */
    long frontier(String stateKey, ChunkTable.Head head) {
        return Math.max(head.frontier(), newest.newestEnd(stateKey, head.cursor().gen()).orElse(0));
    }

    /** Drops the remembered copy of this chunk: it was deleted, or changed by somebody else. */
    void forget(String stateKey, Chunk chunk) {
        Partition p = partitions.get(stateKey);
        if (p != null && p.gen == chunk.gen()) forget(p, chunk.start());
    }

    /** The chunk holding {@code offset} as this process last wrote it, if it remembers one. */
    Optional<Chunk> containing(String stateKey, long gen, long offset) {
        Partition p = partitions.get(stateKey);
        if (p == null || p.gen != gen) {
            return Optional.empty();
        }
        var entry = p.written.floorEntry(offset);
        return entry == null ? Optional.empty() : Optional.of(entry.getValue()).filter(c -> c.contains(offset));
    }

    /** The partition's memory for {@code gen}; a newer generation starts afresh; null for an older one. */
    private Partition partition(String stateKey, long gen) {
        Partition p = partitions.compute(stateKey, (k, old) -> old == null || old.gen < gen ? new Partition(gen) : old);
        return p.gen == gen ? p : null;
    }

    private static void forget(Partition p, long start) {
        if (p.written.remove(start) != null) p.size.decrementAndGet();
    }
}
