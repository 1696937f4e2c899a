package dev.shoal.client;

import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.VisibilityChange;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Sets leased messages' visibility deadlines to now + timeout ({@code POST .../visibility}):
 * extends a lease, or with 0 makes the message visible again at once.
 *
 * @param queue        the queue
 * @param subscription the subscription the receipts came from
 * @param changes      1 to 1,000 receipts with their new timeouts
 */
public record ChangeVisibilityRequest(String queue, String subscription, List<VisibilityChange> changes) {

    public ChangeVisibilityRequest {
        Limits.checkQueueNameSyntax("queue", queue);
        subscription = subscription == null ? Limits.DEFAULT_SUBSCRIPTION : subscription;
        Limits.checkSubscriptionName("subscription", subscription);
        changes = List.copyOf(Objects.requireNonNull(changes, "changes"));
        Limits.checkRange("changes", changes.size(), 1, Limits.MAX_RECEIVE_MESSAGES);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String queue;
        private String subscription = Limits.DEFAULT_SUBSCRIPTION;
        private final List<VisibilityChange> changes = new ArrayList<>();

        public Builder queue(String v) { this.queue = v; return this; }
        public Builder subscription(String v) { this.subscription = v; return this; }
        public Builder change(String receipt, Duration timeout) { this.changes.add(new VisibilityChange(receipt, timeout)); return this; }
        public Builder changes(List<VisibilityChange> v) { this.changes.clear(); this.changes.addAll(v); return this; }

        public ChangeVisibilityRequest build() {
            return new ChangeVisibilityRequest(queue, subscription, changes);
        }
    }
}
