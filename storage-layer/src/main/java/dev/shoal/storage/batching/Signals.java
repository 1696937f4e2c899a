package dev.shoal.storage.batching;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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

    /**
     * One key's counter and the threads waiting for it to move. A lock and condition rather than
     * a monitor, so that waiting virtual threads never pin their carrier (JDK 21).
     */
    public static final class Signal {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition moved = lock.newCondition();
        private long version;

        public long version() {
            lock.lock();
            try {
                return version;
            } finally {
                lock.unlock();
            }
        }

        void raise() {
            lock.lock();
            try {
                version++;
                moved.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /**
         * Waits until the counter is past {@code seen} or {@code max} has passed (real time: the
         * system sleeper's side of {@link dev.shoal.storage.Sleeper#sleepUntilSignalled}).
         *
         * @throws InterruptedException when the waiting thread is interrupted
         */
        public void await(long seen, Duration max) throws InterruptedException {
            lock.lock();
            try {
                long left = max.toNanos();
                while (version == seen && left > 0) {
                    left = moved.awaitNanos(left);
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
