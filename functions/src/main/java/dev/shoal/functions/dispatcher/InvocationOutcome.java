package dev.shoal.functions.dispatcher;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one invocation of a push target came to. Three kinds, because each is settled
 * differently: a completed invocation is settled message by message from its response, a
 * failed one fails the whole batch (every delivery counts towards {@code maxReceiveCount}), and
 * one that never reached the target gives the messages back without counting the delivery.
 */
public sealed interface InvocationOutcome {

    /** The target ran and answered; {@code response} is what it returned (possibly empty). */
    record Completed(byte[] response) implements InvocationOutcome {
        public Completed {
            Objects.requireNonNull(response, "response");
        }
    }

    /**
     * The target ran, or may have, and did not succeed: it threw, answered with an error status,
     * or did not answer within its timeout.
     */
    record Failed(String reason) implements InvocationOutcome {
    }

    /**
     * The target certainly never ran: it was throttled, unavailable or unreachable.
     *
     * @param retryAfter what the target asked for (Retry-After, a Lambda throttle's hint), or null
     */
    record NotDelivered(String reason, Duration retryAfter) implements InvocationOutcome {
        public Optional<Duration> retryAfterHint() {
            return Optional.ofNullable(retryAfter);
        }
    }
}
