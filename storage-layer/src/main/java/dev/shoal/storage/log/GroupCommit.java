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
 * flushes once per <em>cadence</em>: the window, or the time the steady pace takes to bring the
 * queue's {@code batchWindowMessages}, if that is shorter. Each flush, whether its leader arrived
 * fresh or was handed the lead by the flush before, waits out what is left of the cadence since
 * the previous flush began. So a flush holds about a receive's worth of single sends (10 by
 * default) when they come fast, without every message waiting the whole window for more than
 * that; but when the window would bring several receives' worth (at the default, from about 800
 * single sends a second), the partition is busy enough that one big flush per window is cheaper,
 * and the window is waited out whole. A lone caller, a sequential one, a slow trickle, or a
 * process serving one request at a time (standard Lambda) never waits.
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

    /** Counts a caller's records as bytes and messages. */
    public static final Weight<List<SegmentRecord>> RECORDS = new Weight<>() {
        public long bytes(List<SegmentRecord> records) {
            return bytesOf(records);
        }

        public int messages(List<SegmentRecord> records) {
            return records.size();
        }
    };

    /** One caller's item for one partition; {@code crowded} when callers arrive fast enough to wait for. */
    private record Pending<T>(QueueRef queue, int partition, T item, boolean crowded) {
    }

    /**
     * A window that brings this many times {@code batchWindowMessages} is waited out whole: its
     * flush is read by several receives, and one segment shared by them (in S3, once it is past
     * the inline limit) costs less per message than as many flushes of a receive's worth.
     */
    static final int RECEIVES_WORTH_A_FULL_WINDOW = 8;

    /** A flush lingers only when it expects at least this many more callers within the window. */
    static final int CALLERS_WORTH_WAITING_FOR = 4;

    private final Coalescer<Pending<T>, R> coalescer;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Map<String, Pace> paces = new ConcurrentHashMap<>();
    private final Weight<T> weight;

    /**
     * @param flush  commits the callers' items of one partition together; one outcome per caller, in order
     * @param weight bytes of a caller's item (a flush holds at most {@value #MAX_FLUSH_BYTES}, and at least one caller)
     */
    GroupCommit(Flush<T, R> flush, Weight<T> weight, Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.weight = weight;
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

    /** The bytes a caller's item adds to a flush, and its messages (one, unless said otherwise). */
    @FunctionalInterface
    public interface Weight<T> {
        long bytes(T item);

        default int messages(T item) {
            return 1;
        }
    }

    /** Commits {@code item} with whoever else flushes the partition now; returns once its flush is committed. */
    public R append(QueueRef queue, int partition, T item) {
        String key = queue.partitionKey(partition);
        long window = queue.settings().batchWindow().toMillis();
        double gap = paces.computeIfAbsent(key, k -> new Pace()).arrive(clock.millis(), weight.messages(item));
        boolean crowded = window > 0 && gap * CALLERS_WORTH_WAITING_FOR <= window;
        return coalescer.submit(key, new Pending<>(queue, partition, item, crowded));
    }

    /** At most one flush of a crowded partition per cadence: the leader waits out what is left of it. */
    private void linger(String key, Pending<T> leader, int previousFlushCallers) {
        Pace pace = paces.computeIfAbsent(key, k -> new Pace());
        if (leader.crowded() && previousFlushCallers > 1) {
            var settings = leader.queue().settings();
            long cadence = pace.cadence(settings.batchWindow().toMillis(), settings.batchWindowMessages());
            long previousStart = pace.lastFlushStart();
            long left = previousStart == Long.MIN_VALUE ? cadence : previousStart + cadence - clock.millis();
            if (left > 0) {
                sleeper.sleep(Duration.ofMillis(Math.min(left, cadence)));
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

    /** One partition's pace: how fast its callers arrive, with how many messages, and when its last flush began. */
    private static final class Pace {
        private static final double WEIGHT = 0.2;
        private final ArrivalGaps gaps = new ArrivalGaps();
        /** The mean that sets the cadence: slow (about the last 50 gaps), so that a burst does not make one flush short and the next wait the window. */
        private final ArrivalGaps steadyGaps = new ArrivalGaps(0.02);
        private double steadyGap = Double.MAX_VALUE;
        private double messagesPerCaller = 1;
        private long lastFlushStart = Long.MIN_VALUE;

        /** Notes an arrival at {@code now} with {@code messages}; returns the mean gap, including this one. */
        synchronized double arrive(long now, int messages) {
            steadyGap = steadyGaps.arrive(now);
            messagesPerCaller = (1 - WEIGHT) * messagesPerCaller + WEIGHT * messages;
            return gaps.arrive(now);
        }

        /**
         * Milliseconds between flushes: the window, or less when the steady pace brings
         * {@code messages} sooner, unless it brings {@value #RECEIVES_WORTH_A_FULL_WINDOW} times
         * that or more within the window. The steady pace, not the recent one: a burst would make
         * flushes uneven, smaller ones costing more receives and longer ones the tail.
         */
        synchronized long cadence(long window, int messages) {
            double toBring = messages / messagesPerCaller * steadyGap;
            if (toBring * RECEIVES_WORTH_A_FULL_WINDOW <= window) {
                return window;
            }
            return toBring >= window ? window : (long) Math.ceil(toBring);
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
