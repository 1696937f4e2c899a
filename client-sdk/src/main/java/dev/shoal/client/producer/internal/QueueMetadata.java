package dev.shoal.client.producer.internal;

import dev.shoal.client.ShoalClient;
import dev.shoal.storage.api.QueueSettings;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the producer needs to know about a queue (its partitions, whether it is FIFO, its
 * message size limit), read with describeQueue and kept for a minute. Partitions only ever
 * grow, so a stale count is still a valid one.
 */
public final class QueueMetadata {

    static final Duration TTL = Duration.ofMinutes(1);

    private record Entry(QueueSettings settings, long expiresAtNanos) {
    }

    private final ShoalClient client;
    private final Map<String, Entry> queues = new ConcurrentHashMap<>();

    public QueueMetadata(ShoalClient client) {
        this.client = client;
    }

    public QueueSettings settings(String queue) {
        long now = System.nanoTime();
        Entry e = queues.get(queue);
        if (e == null || e.expiresAtNanos() - now <= 0) {
            e = new Entry(client.describeQueue(queue).settings(), now + TTL.toNanos());
            queues.put(queue, e);
        }
        return e.settings();
    }
}
