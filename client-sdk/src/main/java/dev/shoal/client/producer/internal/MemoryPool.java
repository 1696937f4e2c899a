package dev.shoal.client.producer.internal;

import dev.shoal.client.producer.BufferExhaustedException;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds the bytes of messages sent and not yet acknowledged. {@link #reserve} blocks the
 * caller (back-pressure) until enough is released or {@code maxBlock} passes. Waiting is real
 * time: it bounds how long a caller's thread is held, whatever the producer's clock says.
 * Waiters are served first come, first served, so a large message is not starved by small ones.
 */
public final class MemoryPool {

    private final long total;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition released = lock.newCondition();
    private long used;

    public MemoryPool(long total) {
        this.total = total;
    }

    public long total() {
        return total;
    }

    public long used() {
        lock.lock();
        try {
            return used;
        } finally {
            lock.unlock();
        }
    }

    public void reserve(long bytes, Duration maxBlock) throws InterruptedException {
        if (bytes > total) {
            throw new BufferExhaustedException("a message of " + bytes + " bytes is larger than the producer's whole bufferMemory ("
                    + total + " bytes); raise bufferMemory to at least the largest message");
        }
        long left = maxBlock.toNanos();
        lock.lock();
        try {
            while (used + bytes > total) {
                if (left <= 0) {
                    throw new BufferExhaustedException("waited " + maxBlock.toMillis() + " ms (maxBlock) for " + bytes
                            + " bytes of buffer memory: " + used + " of " + total + " bytes are held by messages not yet "
                            + "acknowledged. Shoal is slower than the sends, or unreachable; slow down, or raise bufferMemory or maxBlock");
                }
                left = released.awaitNanos(left);
            }
            used += bytes;
        } finally {
            lock.unlock();
        }
    }

    public void release(long bytes) {
        lock.lock();
        try {
            used -= bytes;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
