package dev.shoal.storage;

import java.time.Duration;

/** Waits. Injected wherever code backs off or polls, so tests control time instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = duration -> {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableException("interrupted while waiting", e);
        }
    };

    void sleep(Duration duration);
}
