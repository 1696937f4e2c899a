package dev.shoal.client.producer.internal;

import dev.shoal.client.producer.ProducerClosedException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Collects sent messages into batches per {@link BatchKey}, as Kafka's RecordAccumulator does.
 * Every decision takes {@code now} as a parameter, so linger and expiry are pure functions of
 * the clock: a batch is ready when it is full, when a newer batch of its key exists, when it
 * has lingered long enough, or while a flush or close is in progress. A key whose batch is being
 * delivered is muted (one batch in flight per key), which keeps a partition's batches, and so
 * a FIFO group's messages, in order, and lets idempotent sequences be retried without gaps.
 */
public final class RecordAccumulator {

    private final long lingerMillis;
    private final int maxCount;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Map<BatchKey, Deque<ProducerBatch>> batches = new LinkedHashMap<>();
    private final Map<BatchKey, ProducerBatch> muted = new HashMap<>();
    private final Set<ProducerBatch> incomplete = new LinkedHashSet<>();
    private int flushes;
    private boolean closed;
    private boolean signalled;

    public RecordAccumulator(long lingerMillis, int maxCount, long maxBytes) {
        this.lingerMillis = lingerMillis;
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
    }

    /** What an append did: whether it opened a batch, and whether the batch it went into is now full. */
    public record AppendResult(boolean newBatch, boolean batchFull) {
    }

    public AppendResult append(BatchKey key, PendingMessage message, long now) {
        lock.lock();
        try {
            if (closed) {
                throw new ProducerClosedException("the producer is closed; this message was not sent");
            }
            Deque<ProducerBatch> deque = batches.computeIfAbsent(key, k -> new ArrayDeque<>());
            ProducerBatch last = deque.peekLast();
            if (last != null && last.tryAppend(message, maxCount, maxBytes)) {
                boolean full = last.isFull(maxCount, maxBytes);
                if (full) signal();
                return new AppendResult(false, full);
            }
            ProducerBatch batch = new ProducerBatch(key, now);
            batch.tryAppend(message, maxCount, maxBytes);
            deque.addLast(batch);
            incomplete.add(batch);
            signal(); // the sender's next deadline may now be earlier
            return new AppendResult(true, batch.isFull(maxCount, maxBytes));
        } finally {
            lock.unlock();
        }
    }

    private boolean ready(ProducerBatch first, int queued, long now) {
        return queued > 1 || first.isFull(maxCount, maxBytes) || now - first.createdAtMillis() >= lingerMillis
                || flushes > 0 || closed;
    }

    /** Takes the first batch of every unmuted key that is ready at {@code now}, and mutes those keys. */
    public List<ProducerBatch> drain(long now) {
        lock.lock();
        try {
            List<ProducerBatch> out = new ArrayList<>();
            for (var e : batches.entrySet()) {
                ProducerBatch first = e.getValue().peekFirst();
                if (first != null && !muted.containsKey(e.getKey()) && ready(first, e.getValue().size(), now)) {
                    ProducerBatch batch = e.getValue().pollFirst();
                    out.add(batch);
                    muted.put(e.getKey(), batch);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Milliseconds from {@code now} until some batch becomes ready (0: one is; Long.MAX_VALUE: none waits). */
    public long nextReadyDelay(long now) {
        lock.lock();
        try {
            long next = Long.MAX_VALUE;
            for (var e : batches.entrySet()) {
                ProducerBatch first = e.getValue().peekFirst();
                if (first == null || muted.containsKey(e.getKey())) continue;
                if (ready(first, e.getValue().size(), now)) return 0;
                next = Math.min(next, first.createdAtMillis() + lingerMillis - now);
            }
            return next;
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns the batches still waiting (not being delivered) whose delivery timeout passed at {@code now}. */
    public List<ProducerBatch> expire(long now, long deliveryTimeoutMillis) {
        lock.lock();
        try {
            List<ProducerBatch> out = new ArrayList<>();
            for (Deque<ProducerBatch> deque : batches.values()) {
                Iterator<ProducerBatch> it = deque.iterator();
                while (it.hasNext()) {
                    ProducerBatch b = it.next();
                    if (b.deadlineMillis(deliveryTimeoutMillis) > now) break; // later batches hold later messages
                    it.remove();
                    out.add(b);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns every batch still waiting, for a close that ran out of time. */
    public List<ProducerBatch> abortWaiting() {
        lock.lock();
        try {
            List<ProducerBatch> out = new ArrayList<>();
            batches.values().forEach(out::addAll);
            batches.clear();
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** A batch's delivery ended (delivered, failed or expired): unmute its key, forget it. */
    public void completed(ProducerBatch batch) {
        lock.lock();
        try {
            muted.remove(batch.key(), batch); // an expired batch that never left does not unmute its key
            incomplete.remove(batch);
            Deque<ProducerBatch> deque = batches.get(batch.key());
            if (deque != null && deque.isEmpty()) {
                batches.remove(batch.key());
            }
            signal();
        } finally {
            lock.unlock();
        }
        batch.markDone();
    }

    /** Batches not yet done, for flush to wait on. */
    public List<ProducerBatch> incomplete() {
        lock.lock();
        try {
            return List.copyOf(incomplete);
        } finally {
            lock.unlock();
        }
    }

    public boolean idle() {
        lock.lock();
        try {
            return incomplete.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    public boolean closed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** While a flush is in progress every batch is ready, whatever its linger. */
    public void beginFlush() {
        lock.lock();
        try {
            flushes++;
            signal();
        } finally {
            lock.unlock();
        }
    }

    public void endFlush() {
        lock.lock();
        try {
            flushes--;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses further appends; every waiting batch is ready from now on. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            signal();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code millis} (real time) or until something changes. */
    public void await(long millis) throws InterruptedException {
        lock.lock();
        try {
            if (!signalled && millis > 0) {
                work.await(millis, TimeUnit.MILLISECONDS);
            }
            signalled = false;
        } finally {
            lock.unlock();
        }
    }

    public void wakeup() {
        lock.lock();
        try {
            signal();
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        signalled = true;
        work.signalAll();
    }
}
