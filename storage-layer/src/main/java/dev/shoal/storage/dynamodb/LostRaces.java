package dev.shoal.storage.dynamodb;

import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.api.Sleeper;
import dev.shoal.storage.log.Backoff;

import java.util.function.IntFunction;

/**
 * The one retry loop for conditional writes of subscription state that can lose a race (seek,
 * purge, ack, nack, visibility): read, try, and after a lost race wait a jittered backoff
 * ({@link Backoff#LOST_RACE}) and read again, at most {@value #MAX_ATTEMPTS} times. Only lost
 * races are retried here; throttling and store failures have been retried by the SDK and leave
 * as Shoal's errors (see {@link WriteOutcome}).
 */
public final class LostRaces {

    public static final int MAX_ATTEMPTS = 8;

    private final Sleeper sleeper;
    private final Backoff backoff;

    public LostRaces(Sleeper sleeper) {
        this(sleeper, Backoff.LOST_RACE);
    }

    public LostRaces(Sleeper sleeper, Backoff backoff) {
        this.sleeper = sleeper;
        this.backoff = backoff;
    }

    /**
     * Runs {@code attempt} (given its number, from 1) until a write lands.
     *
     * @param what what contends, for the error ("seeks and purges of partition 3")
     * @throws RetryableException when every attempt lost its race
     */
    public void untilWritten(String what, IntFunction<WriteOutcome<?>> attempt) {
        for (int n = 1; n <= MAX_ATTEMPTS; n++) {
            if (attempt.apply(n).landed()) {
                return;
            }
            backOff(n);
        }
        throw new RetryableException("too many concurrent " + what + "; retry", null);
    }

    /** Waits after the {@code lostRaces}-th lost race, for loops that keep their own shape (batched acks). */
    public void backOff(int lostRaces) {
        sleeper.sleep(backoff.delay(lostRaces));
    }
}
