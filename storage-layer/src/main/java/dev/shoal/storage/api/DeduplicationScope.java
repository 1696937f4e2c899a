package dev.shoal.storage.api;

/**
 * Where a FIFO queue's deduplication ids must be unique within the five-minute window, as SQS's
 * {@code DeduplicationScope} attribute.
 */
public enum DeduplicationScope {
    /** The whole queue: the same id in two groups is one message (SQS's {@code queue}, the default). */
    QUEUE("queue"),
    /** Each message group: the same id in two groups is two messages (SQS's {@code messageGroup}, high-throughput FIFO). */
    MESSAGE_GROUP("messageGroup");

    private final String text;

    DeduplicationScope(String text) {
        this.text = text;
    }

    /** SQS's spelling, which the native API uses too. */
    public String text() {
        return text;
    }

    /** Parses SQS's spelling; {@code field} names the setting in the error. */
    public static DeduplicationScope of(String field, String text) {
        for (DeduplicationScope s : values()) {
            if (s.text.equals(text)) return s;
        }
        throw new InvalidRequestException(field, "must be queue or messageGroup, was '" + text + "'");
    }
}
