package dev.shoal.storage.log;

import dev.shoal.storage.api.Sleeper;
import dev.shoal.storage.batching.ArrivalGaps;
import dev.shoal.storage.batching.Coalescer;
import dev.shoal.storage.batching.Outcome;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.segment.SegmentRecord;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Group commit: produce calls for the same partition that arrive while a flush of it is in
 * flight, or within the queue's batching window, become one segment and one commit. Each caller
 * is answered only after that commit, with where its own records landed; a failed flush fails
 * every caller in it with the same error (the commit loop has already reconciled what it could:
 * {@code CommitStateUnknown} means the whole flush may or may not be in the log).
 *
 * <p>The window is a dial between latency and cost, and it is only worth waiting when others are
 * arriving at the same time: a fresh flush lingers for the window only when the partition's
 * previous flush served several callers (callers do overlap) and, at the recent rate of callers,
 * at least {@value #CALLERS_WORTH_WAITING_FOR} more are due within the window. Then the partition
 * flushes at most once per window: each flush, whether its leader arrived fresh or was handed
 * the lead by the flush before, waits out what is left of the window since the previous flush
 * began. A lone caller, a sequential one, a slow trickle, or a process serving one request at a
 * time (standard Lambda) never waits.
 *
 * <p>What a flush does is the caller's: standard queues write and commit one segment of every
 * caller's records ({@link PartitionLog#appendShared}); FIFO produce also deduplicates the
 * flush's messages, among themselves and against the partition, before and in its commit.
 *
 * @param <T> what one caller brings (its records, and what else its flush needs)
 * @param <R> what one caller gets back
 */
public final class GroupCommit<T, R> {

    /** A flush holds at most this many bytes of records (one is always taken, however large). */
    static final long MAX_FLUSH_BYTES = 8L * 1024 * 1024;
    /** Bytes counted for a record beyond its body and attributes: its header in the segment. */
    private static final long RECORD_OVERHEAD = 64;

    /** One caller's item for one partition; {@code crowded} when callers arrive fast enough to wait for. */
    private record Pending<T>(QueueRef queue, int partition, T item, boolean crowded) {
    }

    /** A flush lingers only when it expects at least this many more callers within the window. */
    static final int CALLERS_WORTH_WAITING_FOR = 4;

    private final Coalescer<Pending<T>, R> coalescer;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Map<String, Pace> paces = new ConcurrentHashMap<>();

    /**
     * @param flush  commits the callers' items of one partition together; one outcome per caller, in order
     * @param weight bytes of a caller's item (a flush holds at most {@value #MAX_FLUSH_BYTES}, and at least one caller)
     */
    GroupCommit(Flush<T, R> flush, Weight<T> weight, Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.coalescer = new Coalescer<>(batch -> run(flush, batch), p -> weight.bytes(p.item()), MAX_FLUSH_BYTES, this::linger);
    }

    /**
     * Commits one partition's flush. Contract: one outcome per caller, in the callers' order; each
     * caller is answered only after this returns, so an outcome must only say done once the
     * commit holding that caller's records is done. A throw fails every caller of the flush.
     */
    @FunctionalInterface
    public interface Flush<T, R> {
        List<Outcome<R>> commit(QueueRef queue, int partition, List<T> callers);
    }

    /** The bytes a caller's item adds to a flush. */
    @FunctionalInterface
    public interface Weight<T> {
        long bytes(T item);
    }

    /** Commits {@code item} with whoever else flushes the partition now; returns once its flush is committed. */
    public R append(QueueRef queue, int partition, T item) {
        String key = queue.partitionKey(partition);
        long window = queue.settings().batchWindow().toMillis();
        double gap = paces.computeIfAbsent(key, k -> new Pace()).arrive(clock.millis());
        boolean crowded = window > 0 && gap * CALLERS_WORTH_WAITING_FOR <= window;
        return coalescer.submit(key, new Pending<>(queue, partition, item, crowded));
    }

    /** At most one flush of a crowded partition per window: the leader waits out what is left of it. */
    private void linger(String key, Pending<T> leader, int previousFlushCallers) {
        Pace pace = paces.computeIfAbsent(key, k -> new Pace());
        if (leader.crowded() && previousFlushCallers > 1) {
            long window = leader.queue().settings().batchWindow().toMillis();
            long previousStart = pace.lastFlushStart();
            long left = previousStart == Long.MIN_VALUE ? window : previousStart + window - clock.millis();
            if (left > 0) {
                sleeper.sleep(Duration.ofMillis(Math.min(left, window)));
            }
        }
        pace.flushStarted(clock.millis());
    }

    private List<Outcome<R>> run(Flush<T, R> flush, List<Pending<T>> batch) {
        Pending<T> first = batch.getFirst();
        List<T> items = new ArrayList<>(batch.size());
        for (Pending<T> p : batch) {
            items.add(p.item());
        }
        return flush.commit(first.queue(), first.partition(), items);
    }

    /** One partition's pace: how fast its callers arrive, and when its last flush began. */
    private static final class Pace {
        private final ArrivalGaps gaps = new ArrivalGaps();
        private long lastFlushStart = Long.MIN_VALUE;

        /** Notes an arrival at {@code now}; returns the mean gap, including this one. */
        double arrive(long now) {
            return gaps.arrive(now);
        }

        synchronized void flushStarted(long now) {
            lastFlushStart = now;
        }

        synchronized long lastFlushStart() {
            return lastFlushStart;
        }
    }

    /** The bytes of records in a flush: bodies, attributes and a header each. */
    public static long bytesOf(List<SegmentRecord> records) {
        long bytes = 0;
        for (SegmentRecord r : records) {
            bytes += r.approximateSize() + RECORD_OVERHEAD;
        }
        return bytes;
    }
}
