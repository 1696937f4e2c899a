package dev.shoal.storage.log;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Bounded exponential backoff with full jitter: a random wait in [0, min(cap, base * 2^attempt)). */
public record Backoff(Duration base, Duration cap) {

    static final Backoff COMMIT = new Backoff(Duration.ofMillis(2), Duration.ofMillis(200));
    /** Conditional-write loops of subscription state (ack, nack, seek, claims) after a lost race. */
    public static final Backoff LOST_RACE = new Backoff(Duration.ofMillis(5), Duration.ofMillis(200));

    public Duration delay(int attempt) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(Math.max(1, ceiling)));
    }
}
