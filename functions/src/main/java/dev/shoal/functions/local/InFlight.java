package dev.shoal.functions.local;

import java.time.Duration;

/**
 * Counts the requests being served, and closes the door: once {@link #close()} is called, no
 * new request is admitted, and {@link #awaitIdle} waits for the admitted ones to finish.
 * Thread-safe.
 */
final class InFlight {

    private int count;
    private boolean closed;

    /** Admits one request; false once closed (the caller must then refuse it and not call {@link #leave()}). */
    synchronized boolean enter() {
        if (closed) return false;
        count++;
        return true;
    }

    synchronized void leave() {
        if (--count == 0) notifyAll();
    }

    /** Admits nothing from now on. */
    synchronized void close() {
        closed = true;
    }

    synchronized int count() {
        return count;
    }

    /**
     * Waits until no admitted request is left, or {@code timeout} has passed.
     *
     * @return true when every admitted request finished in time
     */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
