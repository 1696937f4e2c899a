package dev.shoal.storage.batching;

import dev.shoal.storage.api.Sleeper;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest claim this process has seen stored in each subscription-partition, per generation
 * (a standard queue's chunk, a FIFO queue's range: its own claims, and the reads that found
 * others'), the pace at which the newest moves on, and the receives under way here that may bring
 * the next one. An ack asks it before it leaves what it finishes to the table's TTL: a claim
 * finished below the newest may expire, the newest may not, since the frontier rests on it; and,
 * for the newest, whether a short wait for the next claim is worth it (ADR 0018, ADR 0019).
 */
public final class NewestClaims {

    /** Weight of the newest gap in the pace: about the last eight count. */
    private static final double PACE_WEIGHT = 1.0 / 8;
    /** How often an ack waiting for a newer claim looks whether one came. */
    public static final Duration POLL = Duration.ofMillis(5);

    /** What is known of one subscription-partition's newest claim, in one generation. */
    private static final class Newest {
        final long gen;
        final ArrivalGaps moves = new ArrivalGaps(PACE_WEIGHT);
        long start = -1;
        long end = -1;
        long movedAt;
        double meanGapMillis = Double.MAX_VALUE;

        Newest(long gen) {
            this.gen = gen;
        }
    }

    private final Map<String, Newest> partitions = new ConcurrentHashMap<>();
    private final ReceivesUnderWay receives = new ReceivesUnderWay();
    private final Clock clock;

    public NewestClaims(Clock clock) {
        this.clock = clock;
    }

    /** The receives of each subscription under way in this process: only they can bring a newer claim while an ack waits. */
    public ReceivesUnderWay receives() {
        return receives;
    }

    /** A claim of generation {@code gen} over {@code [start, end)} is stored; a newer generation starts afresh, an older one is ignored. */
    public void seen(String stateKey, long gen, long start, long end) {
        Newest n = partitions.compute(stateKey, (k, before) -> before == null || before.gen < gen ? new Newest(gen) : before);
        if (n.gen != gen) return;
        synchronized (n) {
            if (start <= n.start) return;
            long now = clock.millis();
            n.start = start;
            n.end = end;
            n.meanGapMillis = n.moves.arrive(now);
            n.movedAt = now;
        }
    }

    /** Whether a claim of the generation that starts after {@code start} is known to be stored. */
    public boolean newerThan(String stateKey, long gen, long start) {
        Newest n = partitions.get(stateKey);
        if (n == null || n.gen != gen) return false;
        synchronized (n) {
            return n.start > start;
        }
    }

    /**
     * When a claim newer than the newest known is due, at the pace the newest has been moving
     * on: milliseconds from now, negative when overdue, {@link Long#MAX_VALUE} when unknown.
     */
    public long nextNewerIn(String stateKey, long gen) {
        Newest n = partitions.get(stateKey);
        if (n == null || n.gen != gen) return Long.MAX_VALUE;
        synchronized (n) {
            return n.meanGapMillis == Double.MAX_VALUE ? Long.MAX_VALUE : n.movedAt + (long) n.meanGapMillis - clock.millis();
        }
    }

    /** The end of the newest claim of the generation this process has seen. */
    public OptionalLong newestEnd(String stateKey, long gen) {
        Newest n = partitions.get(stateKey);
        if (n == null || n.gen != gen) return OptionalLong.empty();
        synchronized (n) {
            return n.end < 0 ? OptionalLong.empty() : OptionalLong.of(n.end);
        }
    }

    /**
     * Whether a claim that starts after {@code start} is known, or becomes known while this waits
     * for it, in steps of {@link #POLL} for at most {@code boundMillis}. It waits only while a
     * receive of the subscription ({@code subscriptionKey}) is under way in this process and the
     * newest claim has been moving on at a pace that brings the next one within the bound.
     */
    public boolean newerSoon(String subscriptionKey, String stateKey, long gen, long start, long boundMillis, Sleeper sleeper) {
        if (newerThan(stateKey, gen, start)) return true;
        if (!receives.any(subscriptionKey)) return false;
        long dueIn = nextNewerIn(stateKey, gen);
        if (dueIn > boundMillis) return false;
        long wait = Math.min(boundMillis, 2 * Math.max(dueIn, POLL.toMillis()));
        for (long waited = 0; waited < wait; waited += POLL.toMillis()) {
            sleeper.sleep(POLL);
            if (newerThan(stateKey, gen, start)) return true;
        }
        return false;
    }
}
