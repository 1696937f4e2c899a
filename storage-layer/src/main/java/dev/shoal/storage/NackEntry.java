package dev.shoal.storage;

import java.time.Duration;
import java.util.Optional;

/**
 * A negative acknowledgement: deliver again after {@code delay}, or after the retry policy's
 * backoff for the message's receive count when {@code delay} is null.
 */
public record NackEntry(String receipt, Duration delay) {

    public NackEntry {
        if (delay != null) {
            Limits.checkRange("delay", delay, Duration.ZERO, Limits.MAX_VISIBILITY_TIMEOUT);
        }
    }

    public static NackEntry of(String receipt) {
        return new NackEntry(receipt, null);
    }

    public Optional<Duration> explicitDelay() {
        return Optional.ofNullable(delay);
    }
}
