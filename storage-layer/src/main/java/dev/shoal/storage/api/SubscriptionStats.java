package dev.shoal.storage.api;

import java.time.Duration;
import java.util.Optional;

/**
 * Approximate counts for a subscription, as SQS gives them: exact when nothing is moving,
 * possibly a little behind while messages are produced and received.
 *
 * @param visible   deliverable now
 * @param inFlight  leased and not acked
 * @param delayed   not yet due (message delay, nack backoff)
 * @param oldestUnackedAge age of the oldest message not acked, or null when none
 */
public record SubscriptionStats(long visible, long inFlight, long delayed, Duration oldestUnackedAge) {

    public static final SubscriptionStats EMPTY = new SubscriptionStats(0, 0, 0, null);

    public Optional<Duration> oldestAge() {
        return Optional.ofNullable(oldestUnackedAge);
    }
}
