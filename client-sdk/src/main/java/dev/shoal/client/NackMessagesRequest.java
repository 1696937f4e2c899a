package dev.shoal.client;

import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NackEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Negatively acknowledges messages ({@code POST .../nack}): each comes back after its explicit
 * delay, or after the subscription's retry-policy backoff for its receive count.
 *
 * @param queue        the queue
 * @param subscription the subscription the receipts came from
 * @param entries      1 to 1,000 receipts with optional delays
 */
public record NackMessagesRequest(String queue, String subscription, List<NackEntry> entries) {

    public NackMessagesRequest {
        Limits.checkQueueNameSyntax("queue", queue);
        subscription = subscription == null ? Limits.DEFAULT_SUBSCRIPTION : subscription;
        Limits.checkSubscriptionName("subscription", subscription);
        entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
        Limits.checkRange("entries", entries.size(), 1, Limits.MAX_RECEIVE_MESSAGES);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String queue;
        private String subscription = Limits.DEFAULT_SUBSCRIPTION;
        private final List<NackEntry> entries = new ArrayList<>();

        public Builder queue(String v) { this.queue = v; return this; }
        public Builder subscription(String v) { this.subscription = v; return this; }
        /** Redelivery after the subscription's retry policy's backoff. */
        public Builder receipt(String v) { this.entries.add(NackEntry.of(v)); return this; }
        /** Redelivery after {@code delay} (0 to 12 h). */
        public Builder receipt(String v, Duration delay) { this.entries.add(new NackEntry(v, delay)); return this; }
        public Builder entries(List<NackEntry> v) { this.entries.clear(); this.entries.addAll(v); return this; }

        public NackMessagesRequest build() {
            return new NackMessagesRequest(queue, subscription, entries);
        }
    }
}
