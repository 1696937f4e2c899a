package dev.shoal.storage.log;

import dev.shoal.storage.Sleeper;
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
 */
final class GroupCommit {

    /** A flush holds at most this many bytes of records (one is always taken, however large). */
    static final long MAX_FLUSH_BYTES = 8L * 1024 * 1024;
    /** Bytes counted for a record beyond its body and attributes: its header in the segment. */
    private static final long RECORD_OVERHEAD = 64;

    /** One caller's records for one partition; {@code crowded} when callers arrive fast enough to wait for. */
    record Pending(QueueRef queue, int partition, List<SegmentRecord> records, boolean crowded) {
    }

    /** A flush lingers only when it expects at least this many more callers within the window. */
    static final int CALLERS_WORTH_WAITING_FOR = 4;
    /** Weight of the newest gap in the running mean of gaps between callers. */
    private static final double GAP_WEIGHT = 0.2;

    private final Coalescer<Pending, Long> coalescer;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Map<String, Pace> paces = new ConcurrentHashMap<>();

    /** @param flush writes and commits one segment of the given records */
    GroupCommit(Flush flush, Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.coalescer = new Coalescer<>(batch -> run(flush, batch), GroupCommit::weight, MAX_FLUSH_BYTES, this::linger);
    }

    @FunctionalInterface
    interface Flush {
        IndexEntry append(QueueRef queue, int partition, List<SegmentRecord> records);
    }

    /** Commits {@code records} with whoever else flushes the partition now; returns the offset of the first. */
    long append(QueueRef queue, int partition, List<SegmentRecord> records) {
        String key = queue.partitionKey(partition);
        long window = queue.settings().batchWindow().toMillis();
        double gap = paces.computeIfAbsent(key, k -> new Pace()).arrive(clock.millis());
        boolean crowded = window > 0 && gap * CALLERS_WORTH_WAITING_FOR <= window;
        return coalescer.submit(key, new Pending(queue, partition, records, crowded));
    }

    /** At most one flush of a crowded partition per window: the leader waits out what is left of it. */
    private void linger(String key, Pending leader, int previousFlushCallers) {
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

    private static List<Outcome<Long>> run(Flush flush, List<Pending> batch) {
        Pending first = batch.getFirst();
        List<SegmentRecord> all = new ArrayList<>();
        for (Pending p : batch) {
            all.addAll(p.records());
        }
        IndexEntry committed = flush.append(first.queue(), first.partition(), all);
        List<Outcome<Long>> outcomes = new ArrayList<>(batch.size());
        long base = committed.baseOffset();
        for (Pending p : batch) {
            outcomes.add(Outcome.of(base));
            base += p.records().size();
        }
        return outcomes;
    }

    /** One partition's pace: the running mean of the gaps between its callers, and when its last flush began. */
    private static final class Pace {
        private long last = Long.MIN_VALUE;
        private double meanGap = Double.MAX_VALUE;
        private long lastFlushStart = Long.MIN_VALUE;

        /** Notes an arrival at {@code now}; returns the mean gap, including this one. */
        synchronized double arrive(long now) {
            if (last != Long.MIN_VALUE) {
                long gap = Math.max(0, now - last);
                meanGap = meanGap == Double.MAX_VALUE ? gap : (1 - GAP_WEIGHT) * meanGap + GAP_WEIGHT * gap;
            }
            last = now;
            return meanGap;
        }

        synchronized void flushStarted(long now) {
            lastFlushStart = now;
        }

        synchronized long lastFlushStart() {
            return lastFlushStart;
        }
    }

    private static long weight(Pending p) {
        long bytes = 0;
        for (SegmentRecord r : p.records()) {
            bytes += r.approximateSize() + RECORD_OVERHEAD;
        }
        return bytes;
    }
}
