package dev.shoal.storage.subscription;

import dev.shoal.storage.ReceivedMessage;
import dev.shoal.storage.Sleeper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How every receive walks partitions and waits, for standard and FIFO queues alike: one pass
 * over the partitions from a random one (so receivers spread out), repeated with pauses from
 * 50 ms doubling to 500 ms until a message comes or the wait runs out. Waits go through the
 * injected {@link Sleeper}, so tests move a manual clock instead of sleeping.
 */
public final class LongPoll {

    static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    static final Duration MAX_PAUSE = Duration.ofMillis(500);

    /** Receives from one partition into {@code out}. */
    @FunctionalInterface
    public interface PartitionReceive {
        void receive(int partition, List<ReceivedMessage> out);
    }

    private final Clock clock;
    private final Sleeper sleeper;

    public LongPoll(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public List<ReceivedMessage> receive(int partitions, int max, Duration wait, PartitionReceive partition) {
        Instant deadline = clock.instant().plus(wait);
        Duration pause = FIRST_PAUSE;
        while (true) {
            List<ReceivedMessage> got = onePass(partitions, max, partition);
            Instant now = clock.instant();
            if (!got.isEmpty() || !now.isBefore(deadline)) {
                return got;
            }
            Duration left = Duration.between(now, deadline);
            sleeper.sleep(pause.compareTo(left) < 0 ? pause : left);
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        }
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
