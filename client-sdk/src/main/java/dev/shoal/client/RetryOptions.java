package dev.shoal.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How the client retries a call that failed for a passing reason: throttling (HTTP 429), a
 * server error (5xx), a connection that could not be made, or the engine's
 * {@link dev.shoal.storage.api.RetryableException}. Never a 4xx: those fail the same way again.
 * A produce whose outcome is unknown ({@link dev.shoal.storage.api.CommitStateUnknownException}) is
 * retried only when it is idempotent (has a producer id and sequence); otherwise the caller
 * reconciles. Waits are exponential with full jitter: a random time between 0 and
 * {@code min(maxDelay, baseDelay * 2^(attempt-1))}.
 *
 * @param maxAttempts attempts in all, the first included (1 = no retries)
 * @param baseDelay   the ceiling of the first wait
 * @param maxDelay    the ceiling of any wait
 */
public record RetryOptions(int maxAttempts, Duration baseDelay, Duration maxDelay) {

    public static final RetryOptions DEFAULT = new RetryOptions(4, Duration.ofMillis(100), Duration.ofSeconds(5));

    public RetryOptions {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1 (the first attempt), was " + maxAttempts);
        }
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= baseDelay <= maxDelay, was " + baseDelay + " and " + maxDelay);
        }
    }

    /** One attempt, no retries. */
    public static RetryOptions none() {
        return new RetryOptions(1, Duration.ZERO, Duration.ZERO);
    }

    /** The ceiling of the wait before attempt {@code attempt + 1}, after {@code attempt} failed ones. */
    public Duration ceiling(int attempt) {
        long base = baseDelay.toMillis();
        long ceiling = attempt >= 31 ? Long.MAX_VALUE : base << Math.max(0, attempt - 1);
        return ceiling < 0 || ceiling > maxDelay.toMillis() ? maxDelay : Duration.ofMillis(ceiling);
    }
}
