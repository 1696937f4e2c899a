package dev.shoal.storage.batching;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The receives of each subscription under way in this process, waits included. An ack that
 * would wait for the next claim asks it first: only a receive under way here can make a claim
 * known here while the ack waits. A consumer that receives again only after its ack, or a
 * process that serves one call at a time, never brings one, and would only be slowed.
 */
public final class ReceivesUnderWay {

    private final Map<String, AtomicInteger> receiving = new ConcurrentHashMap<>();

    /** Runs a receive of the subscription ({@code subscriptionKey}), counted while it runs. */
    public <T> T during(String subscriptionKey, Supplier<T> receive) {
        AtomicInteger n = receiving.computeIfAbsent(subscriptionKey, k -> new AtomicInteger());
        n.incrementAndGet();
        try {
            return receive.get();
        } finally {
            n.decrementAndGet();
        }
    }

    /** Whether a receive of the subscription is under way in this process. */
    public boolean any(String subscriptionKey) {
        AtomicInteger n = receiving.get(subscriptionKey);
        return n != null && n.get() > 0;
    }
}
