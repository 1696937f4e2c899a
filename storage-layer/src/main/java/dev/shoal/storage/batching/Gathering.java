package dev.shoal.storage.batching;

import dev.shoal.storage.api.Sleeper;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * When to hold a batch's leader for the callers who have been coming together, so that they
 * share one write: receivers that loop on receive and delete, several at once, otherwise each
 * write their own claim and their own ack.
 *
 * <p>A key is <em>crowded</em> while its callers arrive at least {@code crowdSize} per window
 * (a running mean of the gaps between them). A leader of a crowded key whose previous batch
 * served several callers waits, for at most the window, until as many callers are waiting as
 * that batch served. A lone caller, a slow trickle, or callers that never overlap never wait; a
 * crowd that thins out waits one window once, then its batches shrink to what comes.
 */
public final class Gathering {

    /** How often a lingering leader looks at the queue of waiting callers. */
    static final Duration STEP = Duration.ofMillis(1);

    private final Clock clock;
    private final Sleeper sleeper;
    private final int crowdSize;
    private final Map<String, ArrivalGaps> paces = new ConcurrentHashMap<>();

    /** @param crowdSize callers per window from which a key counts as crowded */
    public Gathering(Clock clock, Sleeper sleeper, int crowdSize) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.crowdSize = crowdSize;
    }

    /** Notes a caller of {@code key}; true when the key is crowded for this window. */
    public boolean arrive(String key, Duration window) {
        double gap = paces.computeIfAbsent(key, k -> new ArrivalGaps()).arrive(clock.millis());
        return !window.isZero() && gap * crowdSize <= window.toMillis();
    }

    /**
     * Holds a leader, when its key is crowded and its previous batch had several callers, until
     * {@code waiting} reaches that batch's size or the window has passed.
     */
    public void linger(boolean crowded, Duration window, int previousBatchSize, IntSupplier waiting) {
        if (!crowded || previousBatchSize < 2) {
            return;
        }
        long deadline = clock.millis() + window.toMillis();
        while (waiting.getAsInt() < previousBatchSize && clock.millis() < deadline) {
            sleeper.sleep(STEP);
        }
    }
}
