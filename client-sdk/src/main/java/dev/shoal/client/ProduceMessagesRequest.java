package dev.shoal.client;

import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.ProduceRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A batch of messages for one queue ({@code POST /v1/queues/{queue}/messages}).
 *
 * @param queue      the queue
 * @param messages   1 to 1,000 messages, produced in this order
 * @param partition  the partition to write to, or null to let Shoal choose
 * @param producerId an idempotent producer's id, or null; with it, a retried batch with the same
 *                   {@code sequence} returns the original ids instead of writing again
 * @param sequence   the producer's batch sequence number in {@code partition} (with producerId only)
 */
public record ProduceMessagesRequest(String queue, List<NewMessage> messages, Integer partition, String producerId,
                                     Long sequence) {

    public ProduceMessagesRequest {
        Limits.checkQueueNameSyntax("queue", queue);
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        Limits.checkRange("messages", messages.size(), 1, Limits.MAX_BATCH_MESSAGES);
        if (producerId != null && (partition == null || sequence == null)) {
            throw new IllegalArgumentException("an idempotent produce (producerId) needs a partition and a sequence");
        }
        if (producerId == null && sequence != null) {
            throw new IllegalArgumentException("sequence is only meaningful with a producerId");
        }
    }

    public static ProduceMessagesRequest of(String queue, List<NewMessage> messages) {
        return new ProduceMessagesRequest(queue, messages, null, null, null);
    }

    public Optional<Integer> targetPartition() {
        return Optional.ofNullable(partition);
    }

    /**
     * True when retrying this exact request cannot write its messages twice: it names an
     * idempotent producer's sequence, or goes to a FIFO queue, where every message is
     * deduplicated (by its dedup id or its body's hash) within the five-minute window.
     */
    public boolean idempotent() {
        return producerId != null || queue.endsWith(Limits.FIFO_SUFFIX);
    }

    /** The storage layer's form of the same request. */
    public ProduceRequest toProduceRequest() {
        return new ProduceRequest(messages, partition, producerId, sequence == null ? 0 : sequence);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().queue(queue).messages(messages).producerId(producerId);
        b.partition = partition;
        b.sequence = sequence;
        return b;
    }

    public static final class Builder {
        private String queue;
        private final List<NewMessage> messages = new ArrayList<>();
        private Integer partition;
        private String producerId;
        private Long sequence;

        public Builder queue(String v) { this.queue = v; return this; }
        public Builder message(NewMessage v) { this.messages.add(v); return this; }
        /** Replaces the messages given so far. */
        public Builder messages(List<NewMessage> v) { this.messages.clear(); this.messages.addAll(v); return this; }
        public Builder partition(int v) { this.partition = v; return this; }
        public Builder producerId(String v) { this.producerId = v; return this; }
        public Builder sequence(long v) { this.sequence = v; return this; }

        public ProduceMessagesRequest build() {
            return new ProduceMessagesRequest(queue, messages, partition, producerId, sequence);
        }
    }
}
