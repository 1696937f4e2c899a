package dev.shoal.storage.batching;

import dev.shoal.storage.api.Wakeup;

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
 *
 * <p>Each raise also says how many messages it announces ({@link Signal#announced}, a running
 * total), so that the receivers of a subscription can share them out: a commit of one message
 * then sends one of fifty waiting receivers to the store, not fifty (each look is a few reads).
 */
public final class Signals {

    private final Map<String, Signal> signals = new ConcurrentHashMap<>();
    private volatile boolean ending;

    public Signal of(String key) {
        return signals.computeIfAbsent(key, k -> new Signal());
    }

    /** Wakes everyone waiting on {@code key}, announcing {@code messages} that may be visible now. */
    public void raise(String key, int messages) {
        Signal s = signals.get(key);
        if (s != null) {
            s.raise(messages);
        }
    }

    /**
     * The process is stopping: wakes every waiter of every key, and from now on {@link #ending()}
     * tells waiters to answer with what they have instead of waiting again.
     */
    public void endWaits() {
        ending = true;
        signals.values().forEach(s -> s.raise(0));
    }

    public boolean ending() {
        return ending;
    }

    /**
     * One key's counter and the threads waiting for it to move. A lock and condition rather than
     * a monitor, so that waiting virtual threads never pin their carrier (JDK 21).
     */
    public static final class Signal implements Wakeup {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition moved = lock.newCondition();
        private long version;
        private long announced;

        @Override
        public long version() {
            lock.lock();
            try {
                return version;
            } finally {
                lock.unlock();
            }
        }

        void raise(int messages) {
            lock.lock();
            try {
                version++;
                announced += Math.max(0, messages);
                moved.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Messages announced on this key since the process started (a running total). */
        public long announced() {
            lock.lock();
            try {
                return announced;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Waits until the counter is past {@code seen} or {@code max} has passed (real time: the
         * system sleeper's side of {@link dev.shoal.storage.api.Sleeper#sleepUntilSignalled}).
         *
         * @throws InterruptedException when the waiting thread is interrupted
         */
        @Override
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
