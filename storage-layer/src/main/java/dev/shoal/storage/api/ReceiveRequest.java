package dev.shoal.storage.api;

import java.time.Duration;
import java.util.Optional;

/**
 * @param maxMessages       1 to 1,000
 * @param visibilityTimeout lease length for this receive, or null for the subscription's default
 * @param waitTime          long polling: wait up to this long (0-20 s) for a first message
 * @param receiveAttemptId  FIFO: a retried receive with the same id within 5 minutes returns the same messages
 */
public record ReceiveRequest(int maxMessages, Duration visibilityTimeout, Duration waitTime, String receiveAttemptId) {

    public ReceiveRequest {
        Limits.checkRange("maxMessages", maxMessages, 1, Limits.MAX_RECEIVE_MESSAGES);
        if (visibilityTimeout != null) {
            Limits.checkRange("visibilityTimeout", visibilityTimeout, Duration.ZERO, Limits.MAX_VISIBILITY_TIMEOUT);
        }
        Limits.checkRange("waitTime", waitTime == null ? Duration.ZERO : waitTime, Duration.ZERO, Limits.MAX_WAIT_TIME);
        waitTime = waitTime == null ? Duration.ZERO : waitTime;
    }

    public static ReceiveRequest of(int maxMessages) {
        return new ReceiveRequest(maxMessages, null, Duration.ZERO, null);
    }

    public Optional<Duration> visibilityOverride() {
        return Optional.ofNullable(visibilityTimeout);
    }

    public Optional<String> attemptId() {
        return Optional.ofNullable(receiveAttemptId);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int maxMessages = 1;
        private Duration visibilityTimeout;
        private Duration waitTime = Duration.ZERO;
        private String receiveAttemptId;

        public Builder maxMessages(int v) { this.maxMessages = v; return this; }
        public Builder visibilityTimeout(Duration v) { this.visibilityTimeout = v; return this; }
        public Builder waitTime(Duration v) { this.waitTime = v; return this; }
        public Builder receiveAttemptId(String v) { this.receiveAttemptId = v; return this; }

        public ReceiveRequest build() {
            return new ReceiveRequest(maxMessages, visibilityTimeout, waitTime, receiveAttemptId);
        }
    }
}
