package dev.shoal.storage.api;

import java.time.Duration;
import java.util.Optional;

/**
 * A subscription's consumer settings.
 *
 * @param visibilityTimeout how long a receive leases messages, unless the receive says otherwise
 * @param retryPolicy       backoff for negatively acknowledged messages
 * @param deadLetter        where messages go after too many receives, or null
 * @param push              push delivery by the dispatcher, or null for pull
 */
public record SubscriptionSettings(Duration visibilityTimeout, RetryPolicy retryPolicy,
                                   DeadLetterPolicy deadLetter, PushTarget push) {

    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    public static final SubscriptionSettings DEFAULT = builder().build();

    public SubscriptionSettings {
        Limits.checkRange("visibilityTimeout", visibilityTimeout, Duration.ZERO, Limits.MAX_VISIBILITY_TIMEOUT);
        if (retryPolicy == null) {
            throw new InvalidRequestException("retryPolicy", "is required");
        }
    }

    public Optional<DeadLetterPolicy> deadLetterPolicy() {
        return Optional.ofNullable(deadLetter);
    }

    public Optional<PushTarget> pushTarget() {
        return Optional.ofNullable(push);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().visibilityTimeout(visibilityTimeout).retryPolicy(retryPolicy).deadLetter(deadLetter).push(push);
    }

    public static final class Builder {
        private Duration visibilityTimeout = DEFAULT_VISIBILITY_TIMEOUT;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private DeadLetterPolicy deadLetter;
        private PushTarget push;

        public Builder visibilityTimeout(Duration v) { this.visibilityTimeout = v; return this; }
        public Builder retryPolicy(RetryPolicy v) { this.retryPolicy = v; return this; }
        public Builder deadLetter(DeadLetterPolicy v) { this.deadLetter = v; return this; }
        public Builder push(PushTarget v) { this.push = v; return this; }

        public SubscriptionSettings build() {
            return new SubscriptionSettings(visibilityTimeout, retryPolicy, deadLetter, push);
        }
    }
}
