package dev.shoal.storage.api;

/**
 * SQS's {@code FifoThroughputLimit}: whether a FIFO queue's throughput is one queue's or each
 * message group's. Shoal has no throughput quota to apply; what it changes is the layout: a
 * queue created {@link #PER_MESSAGE_GROUP_ID} without a partition count gets
 * {@link Limits#HIGH_THROUGHPUT_FIFO_PARTITIONS} partitions, so that its groups (placed by hash)
 * are served in parallel.
 */
public enum FifoThroughputLimit {
    PER_QUEUE("perQueue"),
    /** Allowed only with {@link DeduplicationScope#MESSAGE_GROUP}, as SQS's. */
    PER_MESSAGE_GROUP_ID("perMessageGroupId");

    private final String text;

    FifoThroughputLimit(String text) {
        this.text = text;
    }

    /** SQS's spelling, which the native API uses too. */
    public String text() {
        return text;
    }

    /** Parses SQS's spelling; {@code field} names the setting in the error. */
    public static FifoThroughputLimit of(String field, String text) {
        for (FifoThroughputLimit l : values()) {
            if (l.text.equals(text)) return l;
        }
        throw new InvalidRequestException(field, "must be perQueue or perMessageGroupId, was '" + text + "'");
    }
}
