package dev.shoal.storage;

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
 * @param defaultSubscription       settings of the subscription every queue has, named "default"
 * @param faceAttributes            what a face keeps for its clients and the engine stores but never
 *                                  interprets (the SQS face: Policy, KMS settings, the default receive
 *                                  wait, tags), by namespaced key; at most {@link #MAX_FACE_ATTRIBUTES_CHARS}
 *                                  characters of keys and values in all
 */
public record QueueSettings(boolean fifo, int partitions, Duration retention, Duration deliveryDelay,
                            boolean contentBasedDeduplication, long maxMessageBytes, boolean deleteOnAck,
                            Duration batchWindow, SubscriptionSettings defaultSubscription, Map<String, String> faceAttributes) {

    /** Keeps the catalog item far below DynamoDB's 400 KB. */
    public static final int MAX_FACE_ATTRIBUTES_CHARS = 128 * 1024;

    public QueueSettings {
        faceAttributes = faceAttributes == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(faceAttributes));
        long chars = faceAttributes.entrySet().stream().mapToLong(e -> e.getKey().length() + (long) e.getValue().length()).sum();
        if (chars > MAX_FACE_ATTRIBUTES_CHARS) {
            throw new InvalidRequestException("faceAttributes", "may hold at most " + MAX_FACE_ATTRIBUTES_CHARS + " characters, was " + chars);
        }
        Limits.checkRange("partitions", partitions, 1, Limits.MAX_PARTITIONS);
        if (retention != null) {
            Limits.checkRange("retention", retention, Limits.MIN_RETENTION, Duration.ofDays(365 * 100));
        }
        Limits.checkRange("deliveryDelay", deliveryDelay, Duration.ZERO, Limits.MAX_QUEUE_DELAY);
        Limits.checkRange("maxMessageBytes", maxMessageBytes, 1, Limits.MAX_MESSAGE_BYTES);
        Limits.checkRange("batchWindow", batchWindow, Duration.ZERO, Limits.MAX_BATCH_WINDOW);
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
                .deleteOnAck(deleteOnAck).batchWindow(batchWindow).defaultSubscription(defaultSubscription)
                .faceAttributes(faceAttributes);
    }

    public static final class Builder {
        private boolean fifo;
        private int partitions = 1;
        private Duration retention = Limits.DEFAULT_RETENTION;
        private Duration deliveryDelay = Duration.ZERO;
        private boolean contentBasedDeduplication;
        private long maxMessageBytes = Limits.DEFAULT_MAX_MESSAGE_BYTES;
        private boolean deleteOnAck;
        private Duration batchWindow = Limits.DEFAULT_BATCH_WINDOW;
        private SubscriptionSettings defaultSubscription = SubscriptionSettings.DEFAULT;
        private Map<String, String> faceAttributes = Map.of();

        public Builder fifo(boolean v) { this.fifo = v; return this; }
        public Builder partitions(int v) { this.partitions = v; return this; }
        /** null for unlimited retention. */
        public Builder retention(Duration v) { this.retention = v; return this; }
        public Builder deliveryDelay(Duration v) { this.deliveryDelay = v; return this; }
        public Builder contentBasedDeduplication(boolean v) { this.contentBasedDeduplication = v; return this; }
        public Builder maxMessageBytes(long v) { this.maxMessageBytes = v; return this; }
        public Builder deleteOnAck(boolean v) { this.deleteOnAck = v; return this; }
        public Builder batchWindow(Duration v) { this.batchWindow = v; return this; }
        public Builder defaultSubscription(SubscriptionSettings v) { this.defaultSubscription = v; return this; }
        public Builder faceAttributes(Map<String, String> v) { this.faceAttributes = v; return this; }

        public QueueSettings build() {
            return new QueueSettings(fifo, partitions, retention, deliveryDelay, contentBasedDeduplication,
                    maxMessageBytes, deleteOnAck, batchWindow, defaultSubscription, faceAttributes);
        }
    }
}
