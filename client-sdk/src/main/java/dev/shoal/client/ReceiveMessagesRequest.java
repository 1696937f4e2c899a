package dev.shoal.client;

import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.ReceiveRequest;

import java.time.Duration;
import java.util.Optional;

/**
 * A receive on a subscription ({@code POST .../receive}): leases up to {@code maxMessages}.
 *
 * @param queue             the queue
 * @param subscription      the subscription ("default" unless told)
 * @param maxMessages       1 to 1,000
 * @param visibilityTimeout lease length, or null for the subscription's default
 * @param waitTime          long polling: wait up to this long (0 to 20 s) for a first message
 * @param receiveAttemptId  FIFO: a retried receive with the same id returns the same messages, or null
 */
public record ReceiveMessagesRequest(String queue, String subscription, int maxMessages, Duration visibilityTimeout,
                                     Duration waitTime, String receiveAttemptId) {

    public ReceiveMessagesRequest {
        Limits.checkQueueNameSyntax("queue", queue);
        subscription = subscription == null ? Limits.DEFAULT_SUBSCRIPTION : subscription;
        Limits.checkSubscriptionName("subscription", subscription);
        waitTime = waitTime == null ? Duration.ZERO : waitTime;
        toReceiveRequest(maxMessages, visibilityTimeout, waitTime, receiveAttemptId); // validates the ranges
    }

    public Optional<Duration> visibilityOverride() {
        return Optional.ofNullable(visibilityTimeout);
    }

    public ReceiveRequest toReceiveRequest() {
        return toReceiveRequest(maxMessages, visibilityTimeout, waitTime, receiveAttemptId);
    }

    private static ReceiveRequest toReceiveRequest(int max, Duration visibility, Duration wait, String attempt) {
        return new ReceiveRequest(max, visibility, wait, attempt);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().queue(queue).subscription(subscription).maxMessages(maxMessages)
                .visibilityTimeout(visibilityTimeout).waitTime(waitTime).receiveAttemptId(receiveAttemptId);
    }

    public static final class Builder {
        private String queue;
        private String subscription = Limits.DEFAULT_SUBSCRIPTION;
        private int maxMessages = 1;
        private Duration visibilityTimeout;
        private Duration waitTime = Duration.ZERO;
        private String receiveAttemptId;

        public Builder queue(String v) { this.queue = v; return this; }
        public Builder subscription(String v) { this.subscription = v; return this; }
        public Builder maxMessages(int v) { this.maxMessages = v; return this; }
        public Builder visibilityTimeout(Duration v) { this.visibilityTimeout = v; return this; }
        public Builder waitTime(Duration v) { this.waitTime = v; return this; }
        public Builder receiveAttemptId(String v) { this.receiveAttemptId = v; return this; }

        public ReceiveMessagesRequest build() {
            return new ReceiveMessagesRequest(queue, subscription, maxMessages, visibilityTimeout, waitTime, receiveAttemptId);
        }
    }
}
