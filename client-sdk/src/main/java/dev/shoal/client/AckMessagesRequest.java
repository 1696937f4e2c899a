package dev.shoal.client;

import dev.shoal.storage.api.Limits;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Acknowledges messages of a subscription by their receipts ({@code POST .../ack}).
 *
 * @param queue        the queue
 * @param subscription the subscription the receipts came from
 * @param receipts     1 to 1,000 receipts
 */
public record AckMessagesRequest(String queue, String subscription, List<String> receipts) {

    public AckMessagesRequest {
        Limits.checkQueueNameSyntax("queue", queue);
        subscription = subscription == null ? Limits.DEFAULT_SUBSCRIPTION : subscription;
        Limits.checkSubscriptionName("subscription", subscription);
        receipts = List.copyOf(Objects.requireNonNull(receipts, "receipts"));
        Limits.checkRange("receipts", receipts.size(), 1, Limits.MAX_RECEIVE_MESSAGES);
    }

    public static AckMessagesRequest of(String queue, String subscription, List<String> receipts) {
        return new AckMessagesRequest(queue, subscription, receipts);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String queue;
        private String subscription = Limits.DEFAULT_SUBSCRIPTION;
        private final List<String> receipts = new ArrayList<>();

        public Builder queue(String v) { this.queue = v; return this; }
        public Builder subscription(String v) { this.subscription = v; return this; }
        public Builder receipt(String v) { this.receipts.add(v); return this; }
        public Builder receipts(List<String> v) { this.receipts.clear(); this.receipts.addAll(v); return this; }

        public AckMessagesRequest build() {
            return new AckMessagesRequest(queue, subscription, receipts);
        }
    }
}
