package dev.shoal.storage.api;

import java.time.Duration;

/**
 * Something a waiter can be woken by: a counter that moves when there is news (the engine's
 * signals of local commits). What a {@link Sleeper} needs to know of it, so that the API does
 * not depend on the engine's batching package.
 */
public interface Wakeup {

    /** The counter now. */
    long version();

    /**
     * Waits in real time until the counter is past {@code seen} or {@code max} has passed.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void await(long seen, Duration max) throws InterruptedException;
}
