package dev.shoal.storage.api;

import java.time.Duration;

/**
 * When a negatively acknowledged message is delivered again: after
 * {@code initialDelay * multiplier^(receiveCount-1)}, capped at {@code maxDelay}.
 */
public record RetryPolicy(Duration initialDelay, double multiplier, Duration maxDelay) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofMillis(100), 2.0, Duration.ofSeconds(30));

    public RetryPolicy {
        Limits.checkRange("retryPolicy.initialDelay", initialDelay, Duration.ZERO, Limits.MAX_VISIBILITY_TIMEOUT);
        Limits.checkRange("retryPolicy.maxDelay", maxDelay, Duration.ZERO, Limits.MAX_VISIBILITY_TIMEOUT);
        if (!(multiplier >= 1.0 && multiplier <= 10.0)) {
            throw new InvalidRequestException("retryPolicy.multiplier", "must be between 1 and 10, was " + multiplier);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new InvalidRequestException("retryPolicy.maxDelay",
                    "must not be less than initialDelay (" + Limits.human(initialDelay) + "), was " + Limits.human(maxDelay));
        }
    }

    /** The delay before the next delivery of a message that has been delivered {@code receiveCount} times. */
    public Duration backoff(int receiveCount) {
        double millis = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, receiveCount - 1));
        return millis >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long) millis);
    }
}
