package dev.shoal.storage.api;

/**
 * What to look at with {@link QueueService#peek}: up to {@code max} retained messages of one
 * partition from {@code offset} on.
 *
 * @param partition the partition, 0 to the queue's partitions - 1
 * @param offset    the first offset to return, or null for the partition's oldest retained message
 * @param max       1 to {@link #MAX_MESSAGES}
 */
public record PeekRequest(int partition, Long offset, int max) {

    public static final int MAX_MESSAGES = 100;

    public PeekRequest {
        Limits.checkRange("partition", partition, 0, Limits.MAX_PARTITIONS - 1);
        if (offset != null) Limits.checkRange("offset", offset, 0, Long.MAX_VALUE);
        Limits.checkRange("max", max, 1, MAX_MESSAGES);
    }
}
