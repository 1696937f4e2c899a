package dev.shoal.storage.subscription;

import dev.shoal.storage.ReceivedMessage;
import dev.shoal.storage.Sleeper;
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
 *       wakes every waiting receive at once;</li>
 *   <li>otherwise (a commit by another process, a lease running out) somebody has to look: one
 *       waiting receiver per subscription takes each poll, with pauses from 50 ms doubling to
 *       500 ms, while the others keep waiting. A poll that finds messages raises the signal when
 *       it may have left some. Fifty idle receivers thus cost what one costs.</li>
 * </ul>
 * Waits go through the injected {@link Sleeper}, so tests move a manual clock instead of sleeping.
 */
public final class LongPoll {

    static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    static final Duration MAX_PAUSE = Duration.ofMillis(500);

    /** Receives from one partition into {@code out}. */
    @FunctionalInterface
    public interface PartitionReceive {
        void receive(int partition, List<ReceivedMessage> out);
    }

    /** Whose turn it is to poll a subscription that nothing signalled: the time of the next poll. */
    private static final class PollTurn {
        private long nextPollMillis;

        synchronized boolean take(long now, Duration pause) {
            if (now < nextPollMillis) {
                return false;
            }
            nextPollMillis = now + pause.toMillis();
            return true;
        }

        synchronized long next() {
            return nextPollMillis;
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
        return receive(signals.of(queueId), turns.computeIfAbsent(subscriptionKey, k -> new PollTurn()), queueId,
                partitions, max, wait, partition);
    }

    private List<ReceivedMessage> receive(Signals.Signal signal, PollTurn turn, String queueId, int partitions, int max,
                                          Duration wait, PartitionReceive partition) {
        Instant deadline = clock.instant().plus(wait);
        Duration pause = FIRST_PAUSE;
        boolean look = true;
        while (true) {
            long seen = signal.version();
            if (look) {
                List<ReceivedMessage> got = onePass(partitions, max, partition);
                if (!got.isEmpty()) {
                    if (got.size() >= max) {
                        signals.raise(queueId); // there may be more: let the others look
                    }
                    return got;
                }
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                return List.of();
            }
            long untilTurn = Math.max(0, turn.next() - now.toEpochMilli());
            Duration nap = min(Duration.between(now, deadline), untilTurn > 0 ? Duration.ofMillis(untilTurn) : pause);
            sleeper.sleepUntilSignalled(signal, seen, nap);
            if (signal.version() != seen) {
                look = true; // news from this process: look at once
            } else {
                look = turn.take(clock.millis(), pause);
                if (look) {
                    pause = min(pause.multipliedBy(2), MAX_PAUSE);
                }
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static List<ReceivedMessage> onePass(int partitions, int max, PartitionReceive partition) {
        List<ReceivedMessage> out = new ArrayList<>();
        int first = ThreadLocalRandom.current().nextInt(partitions);
        for (int i = 0; i < partitions && out.size() < max; i++) {
            partition.receive((first + i) % partitions, out);
        }
        return out;
    }
}
