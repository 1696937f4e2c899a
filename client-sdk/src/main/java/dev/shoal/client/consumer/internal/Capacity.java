package dev.shoal.client.consumer.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds the messages a consumer holds (received and not yet settled) to its concurrency. The
 * poll loop reserves room before it receives, so it never leases more than it can handle
 * before the leases run out.
 */
public final class Capacity {

    private final int max;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int used;
    private boolean stopped;

    public Capacity(int max) {
        this.max = max;
    }

    /** Blocks until there is room, then takes up to {@code want} units; 0 once {@link #stop()} was called. */
    public int reserve(int want) throws InterruptedException {
        lock.lock();
        try {
            while (used >= max && !stopped) {
                changed.await();
            }
            if (stopped) {
                return 0;
            }
            int n = Math.min(want, max - used);
            used += n;
            return n;
        } finally {
            lock.unlock();
        }
    }

    public void release(int n) {
        if (n <= 0) return;
        lock.lock();
        try {
            used -= n;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** No more reservations: a poll loop waiting for room returns at once. */
    public void stop() {
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public int used() {
        lock.lock();
        try {
            return used;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until nothing is held, at most until {@code deadlineNanos} (System.nanoTime); true when idle. */
    public boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (used > 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) return false;
                changed.await(left, TimeUnit.NANOSECONDS);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
