package dev.shoal.storage.subscription;

import dev.shoal.storage.batching.Coalescer;
import dev.shoal.storage.batching.Outcome;

import java.time.Clock;
import java.util.List;

/**
 * The reads every receive makes of a subscription-partition (its head, and the chunks due for
 * redelivery), shared by the receivers asking at the same time: callers that ask while a read
 * is in flight share the next one, one query for all. A shared read always starts after its
 * callers asked, so nobody gets a state older than its own call, as with a read of its own.
 */
final class SharedStateReads {

    /** Due chunks one shared read returns at most (each receive looks at up to this many). */
    static final int DUE_LIMIT = 25;

    private record HeadAsk(String stateKey, long defaultStart) {
    }

    private record DueAsk(String stateKey, long gen) {
    }

    private final Coalescer<HeadAsk, ChunkTable.Head> heads;
    private final Coalescer<DueAsk, List<Long>> dues;

    SharedStateReads(ChunkTable chunks, ChunkMemory memory, Clock clock) {
        this.heads = new Coalescer<>(asks -> {
            HeadAsk first = asks.getFirst();
            ChunkTable.Head head = chunks.head(first.stateKey(), first.defaultStart());
            memory.sawHead(first.stateKey(), head);
            return asks.stream().map(a -> Outcome.of(head)).toList();
        }, a -> 1L, Long.MAX_VALUE, Coalescer.Linger.none());
        this.dues = new Coalescer<>(asks -> {
            DueAsk first = asks.getFirst();
            List<Long> starts = chunks.dueStarts(first.stateKey(), first.gen(), clock.millis(), DUE_LIMIT);
            return asks.stream().map(a -> Outcome.of(starts)).toList();
        }, a -> 1L, Long.MAX_VALUE, Coalescer.Linger.none());
    }

    /** The cursor and newest chunk, as {@link ChunkTable#head}. */
    ChunkTable.Head head(String stateKey, long defaultStart) {
        return heads.submit(stateKey, new HeadAsk(stateKey, defaultStart));
    }

    /** Start offsets of chunks of the generation due now, soonest first, as {@link ChunkTable#dueStarts}. */
    List<Long> dueStarts(String stateKey, long gen) {
        return dues.submit(stateKey + "@" + gen, new DueAsk(stateKey, gen));
    }
}
