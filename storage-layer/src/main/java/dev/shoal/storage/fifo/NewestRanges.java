package dev.shoal.storage.fifo;

import dev.shoal.storage.batching.ArrivalGaps;
import dev.shoal.storage.batching.ReceivesUnderWay;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest range this process has seen stored in each subscription-partition (its own claims,
 * and the window reads that found others'), the pace at which that moves on, and the receives of
 * each subscription under way here. It tells an ack whether the range it finishes is below the
 * newest, and so may expire (ADR 0019), and whether a newer one may come while it waits.
 */
final class NewestRanges {

    /** Weight of the newest gap in the pace: about the last eight count. */
    private static final double PACE_WEIGHT = 1.0 / 8;

    private static final class Newest {
        final long gen;
        final ArrivalGaps moves = new ArrivalGaps(PACE_WEIGHT);
        long start = -1;
        long movedAt;
        double meanGapMillis = Double.MAX_VALUE;

        Newest(long gen) {
            this.gen = gen;
        }
    }

    private final Map<String, Newest> partitions = new ConcurrentHashMap<>();
    private final ReceivesUnderWay receives = new ReceivesUnderWay();
    private final Clock clock;

    NewestRanges(Clock clock) {
        this.clock = clock;
    }

    /** A range of generation {@code gen} starting at {@code start} is stored. */
    void seen(String stateKey, long gen, long start) {
        Newest n = partitions.compute(stateKey, (k, before) -> before == null || before.gen < gen ? new Newest(gen) : before);
        if (n.gen != gen) return; // of a generation before the one known
        synchronized (n) {
            if (start <= n.start) return;
            long now = clock.millis();
            n.start = start;
            n.meanGapMillis = n.moves.arrive(now);
            n.movedAt = now;
        }
    }

    /** The receives of each subscription under way in this process. */
    ReceivesUnderWay receives() {
        return receives;
    }

    /** Whether a range of the generation that starts after {@code start} is known to be stored. */
    boolean newerThan(String stateKey, long gen, long start) {
        Newest n = partitions.get(stateKey);
        if (n == null || n.gen != gen) return false;
        synchronized (n) {
            return n.start > start;
        }
    }

    /**
     * When a range newer than the newest known is due, at the pace the newest has been moving
     * on: milliseconds from now, negative when overdue, {@link Long#MAX_VALUE} when unknown.
     */
    long nextNewerIn(String stateKey, long gen) {
        Newest n = partitions.get(stateKey);
        if (n == null || n.gen != gen) return Long.MAX_VALUE;
        synchronized (n) {
            return n.meanGapMillis == Double.MAX_VALUE ? Long.MAX_VALUE : n.movedAt + (long) n.meanGapMillis - clock.millis();
        }
    }
}
