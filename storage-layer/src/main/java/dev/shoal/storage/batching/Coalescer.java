package dev.shoal.storage.batching;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Runs the work of concurrent callers as one batch per key: callers that arrive while a batch
 * of their key is running wait and join the next one (group commit). It has no threads of its
 * own. The first caller of an idle key leads: it takes every waiting item (up to the batch
 * limit), runs the batch, and hands leadership to the oldest caller still waiting, so every
 * caller's thread runs at most one batch, the one that holds its own item, and returns as soon
 * as that batch is done.
 *
 * <p>Contract of a {@link BatchRun}: it returns one {@link Outcome} per item, in order; an
 * exception it throws fails every item of the batch with that exception. A caller's result is
 * handed over only after the batch that holds its item has run: with a commit as the batch,
 * nobody is answered before the commit that holds their message.
 *
 * @param <T> what a caller brings
 * @param <R> what a caller gets back
 */
public final class Coalescer<T, R> {

    /** Runs one batch: one outcome per item, in the items' order. */
    @FunctionalInterface
    public interface BatchRun<T, R> {
        List<Outcome<R>> run(List<T> items);
    }

    /**
     * Called by every leader (fresh, or handed the lead by the batch before), with its own item and
     * the size of the key's previous batch, before it takes its batch: the place to linger for
     * more callers.
     */
    @FunctionalInterface
    public interface Linger<T> {
        void beforeBatch(String key, T leaderItem, int previousBatchSize);

        static <T> Linger<T> none() {
            return (key, item, previous) -> { };
        }
    }

    /** Every this many submits, lanes idle since the sweep before are forgotten. */
    static final int SWEEP_EVERY = 4096;

    private final BatchRun<T, R> run;
    private final Function<T, Long> weight;
    private final long maxWeight;
    private final Linger<T> linger;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicLong submits = new AtomicLong();

    /**
     * @param weight    the weight of an item (bytes, messages); a batch holds at most {@code maxWeight},
     *                  but always at least one item
     * @param linger    what a leader does before taking its batch
     */
    public Coalescer(BatchRun<T, R> run, Function<T, Long> weight, long maxWeight, Linger<T> linger) {
        this.run = run;
        this.weight = weight;
        this.maxWeight = maxWeight;
        this.linger = linger;
    }

    /** Adds {@code item} to the next batch of {@code key}, and returns its outcome once that batch ran. */
    public R submit(String key, T item) {
        if (submits.incrementAndGet() % SWEEP_EVERY == 0) {
            sweepIdleLanes();
        }
        Waiter<T, R> waiter = new Waiter<>(item);
        boolean[] leads = new boolean[1];
        // joined inside the map's compute, so that a sweep never drops a lane between its lookup and the join
        Lane lane = lanes.compute(key, (k, existing) -> {
            Lane l = existing == null ? new Lane() : existing;
            leads[0] = l.join(waiter);
            return l;
        });
        if (leads[0] || waiter.awaitTurn()) { // this caller leads: it arrived first, or was handed the lead
            linger.beforeBatch(key, item, lane.previousBatchSize());
            lane.lead(waiter);
        }
        return waiter.result();
    }

    /**
     * Forgets the lanes that were idle at the sweep before this one and still are, so a process
     * keeps no state for keys it stopped serving. A lane busy in between is kept, with the size
     * of its previous batch that lingering needs.
     */
    void sweepIdleLanes() {
        for (String key : lanes.keySet()) {
            lanes.computeIfPresent(key, (k, lane) -> lane.idleSinceLastSweep() ? null : lane);
        }
    }

    /** Keys this coalescer keeps a lane for. */
    int lanes() {
        return lanes.size();
    }

    /** Callers of {@code key} waiting for a batch to take their item (not those in the batch running now). */
    public int waiting(String key) {
        Lane lane = lanes.get(key);
        return lane == null ? 0 : lane.waitingCount();
    }

    /** Callers of one key: the items waiting, and whether someone is running a batch. */
    private final class Lane {
        private final ArrayDeque<Waiter<T, R>> waiting = new ArrayDeque<>();
        private boolean led;
        private int previousBatchSize;
        private boolean usedSinceSweep = true;
        private boolean idleAtLastSweep;

        /** True when nobody used the lane since the sweep before, and nobody is in it now; marks the lane idle otherwise. */
        synchronized boolean idleSinceLastSweep() {
            boolean idle = !led && waiting.isEmpty();
            boolean forget = idle && idleAtLastSweep && !usedSinceSweep;
            idleAtLastSweep = idle;
            usedSinceSweep = false;
            return forget;
        }

        synchronized int previousBatchSize() {
            return previousBatchSize;
        }

        synchronized int waitingCount() {
            return waiting.size();
        }

        /** Queues the waiter; true when it is to lead (nobody was). */
        synchronized boolean join(Waiter<T, R> waiter) {
            usedSinceSweep = true;
            waiting.add(waiter);
            if (led) {
                return false;
            }
            led = true;
            return true;
        }

        void lead(Waiter<T, R> self) {
            List<Waiter<T, R>> batch = take();
            try {
                List<Outcome<R>> outcomes = run.run(batch.stream().map(w -> w.item).toList());
                if (outcomes.size() != batch.size()) {
                    throw new IllegalStateException("a batch of " + batch.size() + " gave " + outcomes.size() + " outcomes");
                }
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).finish(outcomes.get(i));
                }
            } catch (RuntimeException | Error e) {
                for (Waiter<T, R> w : batch) {
                    w.finish(Outcome.failed(e));
                }
            } finally {
                handOver();
            }
            if (!self.isDone()) {
                throw new IllegalStateException("a leader's own item was not in its batch");
            }
        }

        private synchronized List<Waiter<T, R>> take() {
            List<Waiter<T, R>> batch = new ArrayList<>();
            long total = 0;
            while (!waiting.isEmpty()) {
                long w = weight.apply(waiting.peek().item);
                if (!batch.isEmpty() && total + w > maxWeight) {
                    break;
                }
                total += w;
                batch.add(waiting.poll());
            }
            previousBatchSize = batch.size();
            return batch;
        }

        private synchronized void handOver() {
            Waiter<T, R> next = waiting.peek();
            if (next == null) {
                led = false;
            } else {
                next.promote();
            }
        }
    }

    /** One caller: its item, and then either its outcome or the call to lead (a lock, not a monitor: no pinned carriers). */
    private static final class Waiter<T, R> {
        private final T item;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private Outcome<R> outcome;
        private boolean promoted;

        Waiter(T item) {
            this.item = item;
        }

        /** Waits until the item's batch ran (false) or this caller is to lead the next batch (true). */
        boolean awaitTurn() {
            boolean interrupted = false;
            lock.lock();
            try {
                while (outcome == null && !promoted) {
                    try {
                        changed.await();
                    } catch (InterruptedException e) {
                        interrupted = true; // the item is queued: leaving now would lose its answer
                    }
                }
                return outcome == null;
            } finally {
                lock.unlock();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        void finish(Outcome<R> o) {
            lock.lock();
            try {
                outcome = o;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void promote() {
            lock.lock();
            try {
                promoted = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        boolean isDone() {
            lock.lock();
            try {
                return outcome != null;
            } finally {
                lock.unlock();
            }
        }

        R result() {
            lock.lock();
            try {
                return outcome.get();
            } finally {
                lock.unlock();
            }
        }
    }
}
