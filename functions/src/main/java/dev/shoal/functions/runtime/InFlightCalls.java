package dev.shoal.functions.runtime;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts the calls in flight through an interface (the engine's {@code QueueService}), so that
 * a stop can wait for them: a produce is in flight until its group commit is done, an ack until
 * its coalesced write is. A call's answer is what the caller relies on; closing the clients
 * under it would lose the answer of something that happened.
 */
public final class InFlightCalls {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int count;

    /** {@code target} seen through {@code type}, every call counted while it runs. */
    public <T> T track(Class<T> type, T target) {
        InvocationHandler handler = (proxy, method, args) -> {
            enter();
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                leave();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    /** How many calls are running now. */
    public int count() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no call runs, for at most {@code max}; true when none does. */
    public boolean awaitIdle(Duration max) throws InterruptedException {
        long left = max.toNanos();
        lock.lock();
        try {
            while (count > 0) {
                if (left <= 0) return false;
                left = idle.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void enter() {
        lock.lock();
        try {
            count++;
        } finally {
            lock.unlock();
        }
    }

    private void leave() {
        lock.lock();
        try {
            if (--count == 0) idle.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
