package dev.shoal.storage.api;

import java.time.Duration;

/** Waits. Injected wherever code backs off or polls, so tests control time instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = new Sleeper() {
        @Override
        public void sleep(Duration duration) {
            try {
                Thread.sleep(duration);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetryableException("interrupted while waiting", e);
            }
        }

        @Override
        public void sleepUntilSignalled(Wakeup signal, long seen, Duration max) {
            try {
                signal.await(seen, max);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetryableException("interrupted while waiting", e);
            }
        }
    };

    void sleep(Duration duration);

    /**
     * Waits up to {@code max}, returning early once {@code signal} has moved past {@code seen}.
     * A sleeper that does not wait in real time (a test's, moving a manual clock) may simply
     * sleep {@code max}, as this default does when the signal has not moved yet.
     */
    default void sleepUntilSignalled(Wakeup signal, long seen, Duration max) {
        if (signal.version() == seen) {
            sleep(max);
        }
    }
}
