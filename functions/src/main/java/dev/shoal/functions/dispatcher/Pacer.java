package dev.shoal.functions.dispatcher;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One push subscription's pace, kept between passes: how many invocations may be in flight
 * now, and until when dispatch pauses after the target turned invocations away.
 *
 * <p>Additive back-off would take minutes to react to a target that is at its limit; halving
 * the concurrency on a throttle and doubling it on each delivered batch finds the target's
 * capacity in a few batches either way (AIMD's multiplicative half, both directions, as
 * Lambda's SQS poller scales). Throttles that arrive during a pause (the other invocations that
 * were in flight when the first came back) do not halve again.
 */
final class Pacer {

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private int limit = Integer.MAX_VALUE;
    private int inFlight;
    private Duration backoff = Duration.ZERO;
    private Instant pausedUntil = Instant.MIN;

    Pacer(Duration initialBackoff, Duration maxBackoff) {
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** The invocations allowed in flight now, at most {@code max} (the subscription's maxConcurrency). */
    int limit(int max) {
        lock.lock();
        try {
            return Math.max(1, Math.min(limit, max));
        } finally {
            lock.unlock();
        }
    }

    boolean paused(Instant now) {
        lock.lock();
        try {
            return now.isBefore(pausedUntil);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes an in-flight slot, waiting while all are taken. False when no slot came free before
     * {@code until} on {@code clock}, or when dispatch is paused.
     */
    boolean acquire(int max, Instant until, Clock clock) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                Instant now = clock.instant();
                if (now.isBefore(pausedUntil) || !now.isBefore(until)) {
                    return false;
                }
                if (inFlight < Math.max(1, Math.min(limit, max))) {
                    inFlight++;
                    return true;
                }
                // bounded waits: the deadline is on the injected clock, which real time does not move in tests
                released.await(50, TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    void release() {
        lock.lock();
        try {
            inFlight--;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** The target ran a batch (successfully or not): climb back towards maxConcurrency. */
    void delivered(int max) {
        lock.lock();
        try {
            limit = limit >= max ? max : Math.min(max, limit * 2);
            backoff = Duration.ZERO;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The target turned an invocation away: halve the concurrency and pause. Returns how long
     * to keep the batch's messages invisible, so they come back when dispatch resumes.
     */
    Duration throttled(Instant now, Duration hint, int max) {
        lock.lock();
        try {
            if (now.isBefore(pausedUntil)) {
                return Duration.between(now, pausedUntil);
            }
            limit = Math.max(1, Math.min(limit, max) / 2);
            backoff = backoff.isZero() ? initialBackoff : min(backoff.multipliedBy(2), maxBackoff);
            Duration pause = hint == null ? backoff : min(max(hint, backoff), maxBackoff);
            pausedUntil = now.plus(pause);
            return pause;
        } finally {
            lock.unlock();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
