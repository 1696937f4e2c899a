package dev.shoal.storage.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A negative acknowledgement: deliver again after {@code delay}, or after the retry policy's
 * backoff for the message's receive count when {@code delay} is null.
 *
 * @param outcome {@link Outcome#PROCESSING_FAILED} (the consumer got the message and failed: the
 *                delivery counts towards maxReceiveCount) or {@link Outcome#NOT_DELIVERED} (it
 *                never reached a handler, e.g. the push target was throttled: the delivery is
 *                not counted)
 */
public record NackEntry(String receipt, Duration delay, Outcome outcome) {

    public enum Outcome { PROCESSING_FAILED, NOT_DELIVERED }

    public NackEntry {
        if (delay != null) {
            Limits.checkRange("delay", delay, Duration.ZERO, Limits.MAX_VISIBILITY_TIMEOUT);
        }
        Objects.requireNonNull(outcome, "outcome");
    }

    public NackEntry(String receipt, Duration delay) {
        this(receipt, delay, Outcome.PROCESSING_FAILED);
    }

    public static NackEntry of(String receipt) {
        return new NackEntry(receipt, null);
    }

    /** Gives a message back that never reached its handler: visible again after {@code delay}, its receive count not raised. */
    public static NackEntry undelivered(String receipt, Duration delay) {
        return new NackEntry(receipt, delay, Outcome.NOT_DELIVERED);
    }

    public Optional<Duration> explicitDelay() {
        return Optional.ofNullable(delay);
    }

    public boolean counted() {
        return outcome == Outcome.PROCESSING_FAILED;
    }
}
