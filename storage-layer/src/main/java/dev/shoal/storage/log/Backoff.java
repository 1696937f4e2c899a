package dev.shoal.storage.log;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Bounded exponential backoff with full jitter: a random wait in [0, min(cap, base * 2^attempt)). */
record Backoff(Duration base, Duration cap) {

    static final Backoff COMMIT = new Backoff(Duration.ofMillis(2), Duration.ofMillis(200));

    Duration delay(int attempt) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(Math.max(1, ceiling)));
    }
}
