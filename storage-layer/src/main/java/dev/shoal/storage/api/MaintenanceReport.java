package dev.shoal.storage.api;

import java.util.List;

/**
 * What one maintenance run did and saw; the janitor logs it and publishes the counts as metrics.
 *
 * @param subscriptions       counts per subscription of every queue
 * @param segmentsDeleted     segments removed by retention or delete-on-ack
 * @param orphansDeleted      segments that were written but never committed, removed after the grace period
 * @param deletedQueuesPurged queues whose data was removed after the queue was deleted
 */
public record MaintenanceReport(List<SubscriptionReport> subscriptions, long segmentsDeleted, long orphansDeleted,
                                long deletedQueuesPurged) {

    public MaintenanceReport {
        subscriptions = List.copyOf(subscriptions);
    }

    /** Counts of one subscription; {@code deadLetterQueue} is true for queues that some subscription dead-letters into. */
    public record SubscriptionReport(String queue, String subscription, SubscriptionStats stats, boolean deadLetterQueue) {
    }
}
