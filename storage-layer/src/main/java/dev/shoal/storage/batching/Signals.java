package dev.shoal.storage.batching;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * News for waiting receivers, per key (a queue): a counter that moves whenever something in
 * this process may have made messages visible (a commit, a nack). A long poll notes the counter,
 * looks, and if it found nothing waits until the counter moves or its pause ends, so a local
 * commit wakes it at once instead of at its next poll.
 */
public final class Signals {

    private final Map<String, Signal> signals = new ConcurrentHashMap<>();

    public Signal of(String key) {
        return signals.computeIfAbsent(key, k -> new Signal());
    }

    /** Wakes everyone waiting on {@code key}. */
    public void raise(String key) {
        Signal s = signals.get(key);
        if (s != null) {
            s.raise();
        }
    }

    /** One key's counter and the threads waiting for it to move. */
    public static final class Signal {
        private long version;

        public synchronized long version() {
            return version;
        }

        synchronized void raise() {
            version++;
            notifyAll();
        }

        /**
         * Waits until the counter is past {@code seen} or {@code max} has passed (real time: the
         * system sleeper's side of {@link dev.shoal.storage.Sleeper#sleepUntilSignalled}).
         *
         * @throws InterruptedException when the waiting thread is interrupted
         */
        public synchronized void await(long seen, Duration max) throws InterruptedException {
            long deadline = System.nanoTime() + max.toNanos();
            while (version == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
