package dev.shoal.functions.dispatcher;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a pass may go on.
 *
 * @param startUntil no batch is received after this
 * @param finishBy   every batch must be settled by this (the Lambda invocation's end); a batch
 *                   starts only if its target's timeout and the settle margin fit before it
 */
public record PassBudget(Instant startUntil, Instant finishBy) {

    /** Kept back from a Lambda invocation's remaining time, for the answer and the log line. */
    static final Duration LAMBDA_RESERVE = Duration.ofSeconds(5);

    public PassBudget {
        if (startUntil.isAfter(finishBy)) {
            throw new IllegalArgumentException("startUntil must not be after finishBy");
        }
    }

    /** A Lambda invocation with {@code remaining} time left. */
    public static PassBudget lambda(Instant now, Duration remaining) {
        Instant end = now.plus(remaining).minus(LAMBDA_RESERVE);
        return new PassBudget(end, end);
    }

    /** A process with no deadline of its own (the launcher): start batches for {@code length}, finish whenever. */
    public static PassBudget open(Instant now, Duration length) {
        return new PassBudget(now.plus(length), Instant.MAX);
    }

    /** When a subscription with target timeout {@code timeout} starts its last batch. */
    Instant lastStart(Duration timeout) {
        if (finishBy.equals(Instant.MAX)) {
            return startUntil;
        }
        Instant latest = finishBy.minus(timeout).minus(PushSubscription.SETTLE_MARGIN);
        return latest.isBefore(startUntil) ? latest : startUntil;
    }
}
