package dev.shoal.storage.testing;

import dev.shoal.storage.api.Sleeper;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A test engine's sleeper that can hold one long poll in its first wait, on a thread of its own,
 * until released: a receive under way in the process while the test does something else. Every
 * other sleep runs {@code others} first. All sleeps move the manual clock.
 */
public final class HeldLongPoll implements Sleeper {

    private final ManualClock clock;
    private final Consumer<Duration> others;
    private final CountDownLatch waiting = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile Thread poller;

    public HeldLongPoll(ManualClock clock, Consumer<Duration> others) {
        this.clock = clock;
        this.others = others;
    }

    @Override
    public void sleep(Duration duration) {
        if (Thread.currentThread() == poller) {
            if (waiting.getCount() > 0) {
                waiting.countDown();
                await(release);
            }
        } else {
            others.accept(duration);
        }
        clock.advance(duration);
    }

    /** Starts {@code receive} (a long poll that finds nothing at first) on its own thread; returns once it waits. */
    public void start(Runnable receive) {
        poller = new Thread(receive, "held-long-poll");
        poller.start();
        if (!await(waiting)) throw new AssertionError("the long poll never waited: it found messages, or failed");
    }

    /** Lets the long poll go on, and waits for it to end. */
    public void release() throws InterruptedException {
        release.countDown();
        poller.join(10_000);
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
