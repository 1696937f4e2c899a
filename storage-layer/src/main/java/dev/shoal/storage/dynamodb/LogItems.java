package dev.shoal.storage.dynamodb;

/**
 * Keys of the log table: one item per committed segment, under the partition key
 * {@code <queueId>#<partition>} and the segment's base offset as sort key.
 */
public final class LogItems {

    private LogItems() {
    }

    /** The log table partition key of a queue's partition. */
    public static String partitionKey(String queueId, int partition) {
        return queueId + "#" + partition;
    }
}
