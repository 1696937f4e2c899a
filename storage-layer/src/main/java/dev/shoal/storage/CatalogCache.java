package dev.shoal.storage;

import dev.shoal.storage.api.Limits;
import dev.shoal.storage.catalog.QueueCatalog;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.catalog.SubscriptionRef;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Queue and subscription settings for the hot path (produce, receive, ack), remembered for a
 * moment so that each call does not read the catalog again. Changes made through this engine
 * are seen at once; changes made elsewhere within {@link #TTL}. Measured with the monotonic
 * clock, not the engine's clock: it bounds staleness in real time.
 *
 * <p>When an entry runs out, one caller reads the catalog again; the callers that come while it
 * reads keep the entry they had, a few milliseconds older. Without that, every call in flight
 * at that moment (dozens on a busy server) read the same item at once.
 */
final class CatalogCache {

    static final Duration TTL = Duration.ofSeconds(2);

    private record Entry<T>(T value, long expiresAtNanos) {
    }

    private final QueueCatalog catalog;
    private final LongSupplier nanoTime;
    private final Map<String, Entry<QueueRef>> queues = new ConcurrentHashMap<>();
    private final Map<String, Entry<SubscriptionRef>> subscriptions = new ConcurrentHashMap<>();
    /** Keys some caller is reading again now. */
    private final Set<String> reloading = ConcurrentHashMap.newKeySet();

    CatalogCache(QueueCatalog catalog) {
        this(catalog, System::nanoTime);
    }

    /** @param nanoTime the monotonic clock (a test moves its own) */
    CatalogCache(QueueCatalog catalog, LongSupplier nanoTime) {
        this.catalog = catalog;
        this.nanoTime = nanoTime;
    }

    QueueRef queue(String name) {
        Limits.checkQueueNameSyntax("queue", name);
        return cached(queues, "q/" + name, () -> catalog.require(name));
    }

    SubscriptionRef subscription(String queue, String name) {
        Limits.checkSubscriptionName("subscription", name);
        return cached(subscriptions, "s/" + queue + "/" + name, () -> catalog.requireSubscription(queue(queue), name));
    }

    void forget(String queue) {
        queues.remove("q/" + queue);
        subscriptions.keySet().removeIf(k -> k.startsWith("s/" + queue + "/"));
    }

    private <T> T cached(Map<String, Entry<T>> map, String key, Supplier<T> load) {
        long now = nanoTime.getAsLong();
        Entry<T> e = map.get(key);
        if (e != null && e.expiresAtNanos() - now > 0) {
            return e.value();
        }
        if (e != null && !reloading.add(key)) {
            return e.value(); // another caller is reading it again
        }
        try {
            T value = load.get();
            map.put(key, new Entry<>(value, now + TTL.toNanos()));
            return value;
        } finally {
            if (e != null) reloading.remove(key);
        }
    }
}
