package dev.shoal.client.producer.internal;

import dev.shoal.storage.api.NewMessage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks a message's partition. A message with a group goes where the engine would put it
 * ({@code floorMod(groupId.hashCode(), partitions)}), so a group stays on one partition and in
 * order. Messages without a group stick to one partition per queue until its batch is closed
 * (Kafka's sticky partitioner): batches fill up instead of spreading thin, and the next batch
 * moves on, so partitions share the load.
 */
public final class Partitioner {

    private final Map<String, Integer> sticky = new ConcurrentHashMap<>();

    public int partition(String queue, NewMessage message, int partitions) {
        if (message.groupId() != null) {
            return Math.floorMod(message.groupId().hashCode(), partitions);
        }
        if (partitions == 1) {
            return 0;
        }
        return Math.floorMod(sticky.computeIfAbsent(queue, q -> ThreadLocalRandom.current().nextInt(partitions)), partitions);
    }

    /** The sticky partition's batch was closed (full, or drained): the next group-less message starts elsewhere. */
    public void batchClosed(BatchKey key, int partitions) {
        if (partitions > 1) {
            sticky.computeIfPresent(key.queue(), (q, p) -> p == key.partition() ? (p + 1) % partitions : p);
        }
    }
}
