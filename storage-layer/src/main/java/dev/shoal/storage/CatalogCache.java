package dev.shoal.storage;

import dev.shoal.storage.api.Limits;
import dev.shoal.storage.catalog.QueueCatalog;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.catalog.SubscriptionRef;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Queue and subscription settings for the hot path (produce, receive, ack), remembered for a
 * moment so that each call does not read the catalog again. Changes made through this engine
 * are seen at once; changes made elsewhere within {@link #TTL}. Measured with the monotonic
 * clock, not the engine's clock: it bounds staleness in real time.
 */
final class CatalogCache {

    static final Duration TTL = Duration.ofSeconds(2);

    private record Entry<T>(T value, long expiresAtNanos) {
    }

    private final QueueCatalog catalog;
    private final Map<String, Entry<QueueRef>> queues = new ConcurrentHashMap<>();
    private final Map<String, Entry<SubscriptionRef>> subscriptions = new ConcurrentHashMap<>();

    CatalogCache(QueueCatalog catalog) {
        this.catalog = catalog;
    }

    QueueRef queue(String name) {
        Limits.checkQueueNameSyntax("queue", name);
        return cached(queues, name, () -> catalog.require(name));
    }

    SubscriptionRef subscription(String queue, String name) {
        Limits.checkSubscriptionName("subscription", name);
        return cached(subscriptions, queue + "/" + name, () -> catalog.requireSubscription(queue(queue), name));
    }

    void forget(String queue) {
        queues.remove(queue);
        subscriptions.keySet().removeIf(k -> k.startsWith(queue + "/"));
    }

    private static <T> T cached(Map<String, Entry<T>> map, String key, Supplier<T> load) {
        long now = System.nanoTime();
        Entry<T> e = map.get(key);
        if (e != null && e.expiresAtNanos() - now > 0) {
            return e.value();
        }
        T value = load.get();
        map.put(key, new Entry<>(value, now + TTL.toNanos()));
        return value;
    }
}
