package dev.shoal.storage.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A batch of messages to produce to one queue.
 *
 * @param messages   1 to 1,000 messages, kept in this order
 * @param partition  the partition to write to, or null to let Shoal choose (by group id hash, else spread)
 * @param producerId an idempotent producer's id, or null; with it, {@code sequence} makes a
 *                   retried batch a no-op that returns the original ids (requires {@code partition})
 * @param sequence   the producer's batch sequence number in that partition, starting at 0
 */
public record ProduceRequest(List<NewMessage> messages, Integer partition, String producerId, long sequence) {

    public ProduceRequest {
        Objects.requireNonNull(messages, "messages");
        messages = List.copyOf(messages);
    }

    public static ProduceRequest of(List<NewMessage> messages) {
        return new ProduceRequest(messages, null, null, 0);
    }

    public Optional<Integer> targetPartition() {
        return Optional.ofNullable(partition);
    }

    public Optional<String> idempotentProducer() {
        return Optional.ofNullable(producerId);
    }
}
