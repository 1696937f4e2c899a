package dev.shoal.storage.subscription;

import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.Sleeper;
import dev.shoal.storage.batching.Signals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How every receive walks partitions and waits, for standard and FIFO queues alike: one pass
 * over the partitions from a random one (so receivers spread out); when it finds nothing, it
 * waits and looks again until a message comes or the wait runs out.
 *
 * <p>Waiting is shared by the receivers of a subscription in this process:
 * <ul>
 *   <li>a commit to the queue in this process raises the queue's {@link Signals signal}, which
 *       wakes the waiting receives at once; as many of them look as the commit's messages need
 *       (each takes up to its maximum), and the others wait on;</li>
 *   <li>otherwise (a commit by another process, a lease running out) somebody has to look: one
 *       waiting receiver per subscription takes each poll, with pauses from 50 ms doubling to
 *       500 ms while the polls find nothing (the pause is the subscription's, not each
 *       receive's), while the others keep waiting. A poll that finds messages raises the signal when
 *       it may have left some. Fifty idle receivers thus cost what one costs.</li>
 * </ul>
 * When the process stops ({@link Signals#endWaits}), waiting receives answer empty at once, as
 * an SQS long poll does when its wait ends, so a stop does not wait for the longest poll.
 *
 * <p>Waits go through the injected {@link Sleeper}, so tests move a manual clock instead of sleeping.
 */
public final class LongPoll {

    static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    static final Duration MAX_PAUSE = Duration.ofMillis(500);

    /** Receives from one partition into {@code out}. */
    @FunctionalInterface
    public interface PartitionReceive {
        void receive(int partition, List<ReceivedMessage> out);

        /**
         * A look sent by news of a commit in this process: only fresh messages are new, so an
         * implementation may skip looking for redeliveries (the other looks find those).
         */
        default void receiveFresh(int partition, List<ReceivedMessage> out) {
            receive(partition, out);
        }
    }

    /** What a receive does next: look everywhere (its first look, or its turn to poll), look only for fresh messages, or wait. */
    private enum Look { FIRST, TURN, FRESH, NONE }

    /**
     * What the waiting receivers of one subscription share: whose turn it is to poll when nothing
     * was signalled (the time of the next poll), and how many of the messages announced by local
     * commits have been taken by a receiver that went to look for them.
     */
    private static final class PollTurn {
        /** Announced messages left untaken at most: enough for every waiter to look, bounded when nobody waits. */
        static final long MAX_UNTAKEN = 10_000;

        private long nextPollMillis;
        private long pauseMillis = FIRST_PAUSE.toMillis();
        private long taken;
        private long emptyVersion = -1;
        private long emptyAtMillis;

        PollTurn(long announced) {
            this.taken = announced;
        }

        /** Takes up to {@code max} of the announced messages not yet taken: 0 means others went to look for them all. */
        synchronized int takeNews(long announced, int max) {
            taken = Math.max(taken, announced - MAX_UNTAKEN);
            int n = (int) Math.min(announced - taken, max);
            if (n <= 0) {
                return 0;
            }
            taken += n;
            return n;
        }

        /** A full look found nothing while the signal stood at {@code version}. */
        synchronized void lookedEmpty(long version, long now) {
            emptyVersion = version;
            emptyAtMillis = now;
        }

        /** Whether a full look found nothing within the first pause, with no news since: a new receive need not look again yet. */
        synchronized boolean knownEmpty(long version, long now) {
            return version == emptyVersion && now - emptyAtMillis < FIRST_PAUSE.toMillis();
        }

        /**
         * Takes the turn to poll, when it is due: the next is one pause later, and the pause
         * doubles (from {@link #FIRST_PAUSE} to {@link #MAX_PAUSE}) while the polls find nothing.
         */
        synchronized boolean take(long now) {
            if (now < nextPollMillis) {
                return false;
            }
            nextPollMillis = now + pauseMillis;
            pauseMillis = Math.min(pauseMillis * 2, MAX_PAUSE.toMillis());
            return true;
        }

        /** A poll (not a look sent by local news) found messages: the next polls come at the first pause again. */
        synchronized void found(long now) {
            pauseMillis = FIRST_PAUSE.toMillis();
            nextPollMillis = Math.min(nextPollMillis, now + pauseMillis);
        }

        synchronized long untilNext(long now) {
            return Math.max(0, nextPollMillis - now);
        }
    }

    private final Clock clock;
    private final Sleeper sleeper;
    private final Signals signals;
    private final Map<String, PollTurn> turns = new ConcurrentHashMap<>();

    public LongPoll(Clock clock, Sleeper sleeper, Signals signals) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.signals = signals;
    }

    /**
     * @param queueId         whose commits wake this receive
     * @param subscriptionKey the receivers that share polls
     */
    public List<ReceivedMessage> receive(String queueId, String subscriptionKey, int partitions, int max, Duration wait,
                                         PartitionReceive partition) {
        Signals.Signal signal = signals.of(queueId);
        return receive(signal, turns.computeIfAbsent(subscriptionKey, k -> new PollTurn(signal.announced())), queueId,
                partitions, max, wait, partition);
    }

    private List<ReceivedMessage> receive(Signals.Signal signal, PollTurn turn, String queueId, int partitions, int max,
                                          Duration wait, PartitionReceive partition) {
        Instant deadline = clock.instant().plus(wait);
        // a long poll that starts just after another receiver found nothing, with no news since, waits first
        Look look = !wait.isZero() && turn.knownEmpty(signal.version(), clock.millis()) ? Look.NONE : Look.FIRST;
        while (true) {
            long seen = signal.version();
            if (look != Look.NONE) {
                List<ReceivedMessage> got = onePass(partitions, max, partition, look == Look.FRESH);
                if (!got.isEmpty()) {
                    if (look == Look.TURN) {
                        turn.found(clock.millis()); // news from elsewhere: poll often again
                    }
                    if (got.size() >= max && look != Look.FRESH) {
                        // there may be more: let another receiver look (news already announced what a commit brought)
                        signals.raise(queueId, max);
                    }
                    return got;
                }
                if (look != Look.FRESH) {
                    turn.lookedEmpty(seen, clock.millis());
                }
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline) || signals.ending()) {
                return List.of();
            }
            long untilTurn = turn.untilNext(now.toEpochMilli());
            Duration nap = min(Duration.between(now, deadline), Duration.ofMillis(untilTurn > 0 ? untilTurn : FIRST_PAUSE.toMillis()));
            sleeper.sleepUntilSignalled(signal, seen, nap);
            if (signal.version() != seen) {
                // news from this process: look at once, unless the other receivers went for all of it
                look = turn.takeNews(signal.announced(), max) > 0 ? Look.FRESH : Look.NONE;
            } else {
                look = turn.take(clock.millis()) ? Look.TURN : Look.NONE;
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static List<ReceivedMessage> onePass(int partitions, int max, PartitionReceive partition, boolean freshOnly) {
        List<ReceivedMessage> out = new ArrayList<>();
        int first = ThreadLocalRandom.current().nextInt(partitions);
        for (int i = 0; i < partitions && out.size() < max; i++) {
            int p = (first + i) % partitions;
            if (freshOnly) {
                partition.receiveFresh(p, out);
            } else {
                partition.receive(p, out);
            }
        }
        return out;
    }
}
