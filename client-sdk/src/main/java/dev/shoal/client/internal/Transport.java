package dev.shoal.client.internal;

import dev.shoal.storage.api.QueueService;

/**
 * How a client reaches Shoal: the storage layer's {@link QueueService} contract (its Javadoc
 * is this interface's contract, errors included), carried over HTTP or straight to the engine.
 * Implementations do not retry; {@link Calls} does, in one place for both.
 */
public interface Transport extends QueueService, AutoCloseable {

    /** For logs: "http https://..." or "direct". */
    String description();

    /** Releases what the transport owns (never clients the caller passed in). */
    @Override
    void close();
}
