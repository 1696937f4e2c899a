package dev.shoal.storage.testing;

import dev.shoal.storage.api.Sleeper;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** A test engine's sleeper that counts its sleeps and moves the manual clock by each: how a test sees that something waited. */
public final class CountedSleeps implements Sleeper {

    private final ManualClock clock;
    private final AtomicInteger count = new AtomicInteger();

    public CountedSleeps(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public void sleep(Duration duration) {
        count.incrementAndGet();
        clock.advance(duration);
    }

    /** Sleeps so far. */
    public int count() {
        return count.get();
    }
}
