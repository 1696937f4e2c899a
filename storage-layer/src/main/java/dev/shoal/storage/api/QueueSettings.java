package dev.shoal.storage.api;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A queue's settings.
 *
 * @param fifo                      message groups, ordering and deduplication (name ends in .fifo)
 * @param partitions                1-256; messages spread over them (by group hash on FIFO queues)
 * @param retention                 how long messages are kept, acked or not; null = unlimited
 * @param deliveryDelay             default delay of every message (0-15 min)
 * @param contentBasedDeduplication FIFO only: a message without a dedup id is deduplicated by the SHA-256 of its body
 * @param maxMessageBytes           the largest body plus attributes accepted, 1 B to 64 MiB
 * @param deleteOnAck               the janitor deletes segments as soon as every subscription acked them
 * @param batchWindow               how long a produce may wait for other callers' messages to share its segment
 *                                  and commit (group commit), 0-1 s; only waited when others are arriving
 * @param batchWindowMessages       how many messages a flush waits for at most, 1-10,000: the window closes when the
 *                                  recent pace would bring this many, if that is sooner than the window
 * @param defaultSubscription       settings of the subscription every queue has, named "default"
 * @param deduplicationScope        FIFO only: deduplication ids are unique per queue (default) or per message group
 * @param fifoThroughputLimit       FIFO only: perMessageGroupId (high-throughput FIFO) needs the messageGroup scope, and
 *                                  without an explicit partition count gives the queue {@link Limits#HIGH_THROUGHPUT_FIFO_PARTITIONS}
 * @param faceAttributes            what a face keeps for its clients and the engine stores but never
 *                                  interprets (the SQS face: Policy, KMS settings, the default receive
 *                                  wait, tags), by namespaced key; at most {@link #MAX_FACE_ATTRIBUTES_CHARS}
 *                                  characters of keys and values in all
 */
public record QueueSettings(boolean fifo, int partitions, Duration retention, Duration deliveryDelay,
                            boolean contentBasedDeduplication, long maxMessageBytes, boolean deleteOnAck,
                            Duration batchWindow, int batchWindowMessages, SubscriptionSettings defaultSubscription,
                            DeduplicationScope deduplicationScope, FifoThroughputLimit fifoThroughputLimit,
                            Map<String, String> faceAttributes) {

    /** Keeps the catalog item far below DynamoDB's 400 KB. */
    public static final int MAX_FACE_ATTRIBUTES_CHARS = 128 * 1024;

    public QueueSettings {
        faceAttributes = faceAttributes == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(faceAttributes));
        long chars = faceAttributes.entrySet().stream().mapToLong(e -> e.getKey().length() + (long) e.getValue().length()).sum();
        if (chars > MAX_FACE_ATTRIBUTES_CHARS) {
            throw new InvalidRequestException("faceAttributes", "may hold at most " + MAX_FACE_ATTRIBUTES_CHARS + " characters, was " + chars);
        }
        deduplicationScope = deduplicationScope == null ? DeduplicationScope.QUEUE : deduplicationScope;
        fifoThroughputLimit = fifoThroughputLimit == null ? FifoThroughputLimit.PER_QUEUE : fifoThroughputLimit;
        if (!fifo && deduplicationScope != DeduplicationScope.QUEUE) {
            throw new InvalidRequestException("deduplicationScope", "is only allowed on FIFO queues");
        }
        if (!fifo && fifoThroughputLimit != FifoThroughputLimit.PER_QUEUE) {
            throw new InvalidRequestException("fifoThroughputLimit", "is only allowed on FIFO queues");
        }
        if (fifoThroughputLimit == FifoThroughputLimit.PER_MESSAGE_GROUP_ID && deduplicationScope != DeduplicationScope.MESSAGE_GROUP) {
            throw new InvalidRequestException("fifoThroughputLimit",
                    "perMessageGroupId is allowed only when deduplicationScope is messageGroup (high-throughput FIFO needs both)");
        }
        Limits.checkRange("partitions", partitions, 1, Limits.MAX_PARTITIONS);
        if (retention != null) {
            Limits.checkRange("retention", retention, Limits.MIN_RETENTION, Duration.ofDays(365 * 100));
        }
        Limits.checkRange("deliveryDelay", deliveryDelay, Duration.ZERO, Limits.MAX_QUEUE_DELAY);
        Limits.checkRange("maxMessageBytes", maxMessageBytes, 1, Limits.MAX_MESSAGE_BYTES);
        Limits.checkRange("batchWindow", batchWindow, Duration.ZERO, Limits.MAX_BATCH_WINDOW);
        Limits.checkRange("batchWindowMessages", batchWindowMessages, 1, Limits.MAX_BATCH_WINDOW_MESSAGES);
        if (contentBasedDeduplication && !fifo) {
            throw new InvalidRequestException("contentBasedDeduplication", "is only allowed on FIFO queues");
        }
        if (defaultSubscription == null) {
            throw new InvalidRequestException("defaultSubscription", "is required");
        }
    }

    public Optional<Duration> retentionPeriod() {
        return Optional.ofNullable(retention);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().fifo(fifo).partitions(partitions).retention(retention).deliveryDelay(deliveryDelay)
                .contentBasedDeduplication(contentBasedDeduplication).maxMessageBytes(maxMessageBytes)
                .deleteOnAck(deleteOnAck).batchWindow(batchWindow).batchWindowMessages(batchWindowMessages).defaultSubscription(defaultSubscription)
                .deduplicationScope(deduplicationScope).fifoThroughputLimit(fifoThroughputLimit)
                .faceAttributes(faceAttributes);
    }

    public static final class Builder {
        private boolean fifo;
        private Integer partitions; // null: 1, or HIGH_THROUGHPUT_FIFO_PARTITIONS for a perMessageGroupId FIFO queue
        private Duration retention = Limits.DEFAULT_RETENTION;
        private Duration deliveryDelay = Duration.ZERO;
        private boolean contentBasedDeduplication;
        private long maxMessageBytes = Limits.DEFAULT_MAX_MESSAGE_BYTES;
        private boolean deleteOnAck;
        private Duration batchWindow; // null: DEFAULT_BATCH_WINDOW, or DEFAULT_FIFO_BATCH_WINDOW for a FIFO queue
        private int batchWindowMessages = Limits.DEFAULT_BATCH_WINDOW_MESSAGES;
        private SubscriptionSettings defaultSubscription = SubscriptionSettings.DEFAULT;
        private DeduplicationScope deduplicationScope = DeduplicationScope.QUEUE;
        private FifoThroughputLimit fifoThroughputLimit = FifoThroughputLimit.PER_QUEUE;
        private Map<String, String> faceAttributes = Map.of();

        public Builder fifo(boolean v) { this.fifo = v; return this; }
        public Builder partitions(int v) { this.partitions = v; return this; }
        /** null for unlimited retention. */
        public Builder retention(Duration v) { this.retention = v; return this; }
        public Builder deliveryDelay(Duration v) { this.deliveryDelay = v; return this; }
        public Builder contentBasedDeduplication(boolean v) { this.contentBasedDeduplication = v; return this; }
        public Builder maxMessageBytes(long v) { this.maxMessageBytes = v; return this; }
        public Builder deleteOnAck(boolean v) { this.deleteOnAck = v; return this; }
        /** null for the default of the queue's type. */
        public Builder batchWindow(Duration v) { this.batchWindow = v; return this; }
        public Builder batchWindowMessages(int v) { this.batchWindowMessages = v; return this; }
        public Builder defaultSubscription(SubscriptionSettings v) { this.defaultSubscription = v; return this; }
        public Builder deduplicationScope(DeduplicationScope v) { this.deduplicationScope = v; return this; }
        public Builder fifoThroughputLimit(FifoThroughputLimit v) { this.fifoThroughputLimit = v; return this; }
        public Builder faceAttributes(Map<String, String> v) { this.faceAttributes = v; return this; }

        public QueueSettings build() {
            int p = partitions != null ? partitions
                    : fifo && fifoThroughputLimit == FifoThroughputLimit.PER_MESSAGE_GROUP_ID ? Limits.HIGH_THROUGHPUT_FIFO_PARTITIONS : 1;
            Duration window = batchWindow != null ? batchWindow : fifo ? Limits.DEFAULT_FIFO_BATCH_WINDOW : Limits.DEFAULT_BATCH_WINDOW;
            return new QueueSettings(fifo, p, retention, deliveryDelay, contentBasedDeduplication, maxMessageBytes,
                    deleteOnAck, window, batchWindowMessages, defaultSubscription, deduplicationScope, fifoThroughputLimit, faceAttributes);
        }
    }
}
