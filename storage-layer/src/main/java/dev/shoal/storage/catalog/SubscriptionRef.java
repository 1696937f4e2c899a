package dev.shoal.storage.catalog;

import dev.shoal.storage.api.SubscriptionSettings;
import dev.shoal.storage.dynamodb.StateItems;

import java.time.Instant;
import java.util.Map;

/**
 * A subscription as the engine addresses it.
 *
 * @param startOffsets where each partition's delivery starts when the subscription has never
 *                     been sought: 0 for a queue's default subscription, the log's end at
 *                     creation for subscriptions added later (they see what is produced after)
 */
public record SubscriptionRef(QueueRef queue, String name, SubscriptionSettings settings, Instant createdAt,
                              Map<Integer, Long> startOffsets) {

    public SubscriptionRef {
        startOffsets = Map.copyOf(startOffsets);
    }

    public long startOffset(int partition) {
        return startOffsets.getOrDefault(partition, 0L);
    }

    /** The state-table partition key of this subscription's consumer state in one partition. */
    public String stateKey(int partition) {
        return StateItems.stateKey(queue.id(), name, partition);
    }

    /** This subscription across its partitions: what its receives and acks are coalesced by. */
    public String key() {
        return StateItems.subscriptionKey(queue.id(), name);
    }
}
