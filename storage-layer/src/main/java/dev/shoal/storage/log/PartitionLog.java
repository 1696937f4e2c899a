package dev.shoal.storage.log;

import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.api.Sleeper;
import dev.shoal.storage.batching.Outcome;
import dev.shoal.storage.batching.Signals;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.segment.EncodedSegment;
import dev.shoal.storage.segment.SegmentEncoder;
import dev.shoal.storage.segment.SegmentRecord;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The log of a queue's partitions: append a batch as one segment, read records by offset or
 * time. Appending writes the segment under a fresh key ({@link SegmentKeys}), then commits it; a segment
 * whose commit never happens is an orphan that no reader can see, and the janitor removes it.
 *
 * <p>A small segment (at most {@link #DEFAULT_INLINE_LIMIT} bytes, of a queue that keeps messages
 * at most {@link #MAX_INLINE_RETENTION}) is not written to S3: its bytes ride in its log entry,
 * written by the commit itself (ADR 0016). The entry's write units cost less than a PUT, and the
 * commit is one round trip instead of two.
 */
public final class PartitionLog {

    private final LogIndex index;
    private final SegmentStore segments;
    private final Committer committer;
    private final SegmentEncoder encoder = new SegmentEncoder();
    private final SegmentEncoder inlineEncoder = new SegmentEncoder(SegmentEncoder.DEFAULT_TARGET_BLOCK_BYTES, INLINE_ZSTD_LEVEL);
    private final Clock clock;
    private final GroupCommit<List<SegmentRecord>, Long> groupCommit;
    private final Signals signals;
    private final Sleeper sleeper;
    private final long inlineLimit;

    /**
     * Segments up to this size ride in their log entry: with the entry's other attributes (under
     * 1 KB) its write is at most 7 write units, against an S3 PUT's price of 8 at list prices plus
     * the entry's own unit, and a read of it at most 2 read units, against a GET's price of 3.2.
     */
    public static final long DEFAULT_INLINE_LIMIT = 6 * 1024;
    /**
     * Only queues that keep messages at most this long inline them: DynamoDB storage costs 11x
     * S3's per GB-month, so a 6 KiB entry kept for about three months costs what a PUT does.
     */
    public static final Duration MAX_INLINE_RETENTION = Duration.ofDays(14);
    /**
     * Segments that may ride inline are compressed harder: their entry is billed by the kilobyte
     * written. On JSON bodies level 6 is a tenth smaller than level 3 for about 50 µs more per
     * flush of ten 1 KiB messages; higher levels gain little more and cost several times that.
     */
    static final int INLINE_ZSTD_LEVEL = 6;
    /** Batches of more raw bytes than this many inline limits will not fit: they are compressed as usual. */
    private static final int INLINE_CANDIDATE_RATIO = 4;
    /** DynamoDB items hold at most 400 KB; a log entry must keep room for its other attributes. */
    public static final long MAX_INLINE_LIMIT = 256 * 1024;

    public PartitionLog(LogIndex index, SegmentStore segments, Clock clock, Sleeper sleeper) {
        this(index, segments, clock, sleeper, new Signals(), DEFAULT_INLINE_LIMIT);
    }

    /**
     * @param signals     raised for a queue after each commit to it, so local long polls wake at once
     * @param inlineLimit the largest segment kept inline in its log entry, in bytes (0: every segment goes to S3)
     */
    public PartitionLog(LogIndex index, SegmentStore segments, Clock clock, Sleeper sleeper, Signals signals, long inlineLimit) {
        if (inlineLimit < 0 || inlineLimit > MAX_INLINE_LIMIT) {
            throw new IllegalArgumentException("inline segment limit must be 0-" + MAX_INLINE_LIMIT + " bytes, not " + inlineLimit);
        }
        this.inlineLimit = inlineLimit;
        this.index = index;
        this.segments = segments;
        this.clock = clock;
        this.committer = new Committer(index, clock, sleeper);
        this.signals = signals;
        this.sleeper = sleeper;
        this.groupCommit = new GroupCommit<>(this::flushShared, GroupCommit.RECORDS, clock, sleeper);
    }

    public LogIndex index() {
        return index;
    }

    public SegmentStore segments() {
        return segments;
    }

    /** Writes {@code records} as one segment and commits it; returns the committed entry. */
    public IndexEntry append(QueueRef queue, int partition, List<SegmentRecord> records) {
        return commit(queue, partition, write(queue, partition, records, inlineLimit), base -> List.of());
    }

    /**
     * Commits {@code records} together with the other callers appending to the partition now
     * (group commit): one segment and one commit for all of them. Returns once the commit that
     * holds them is done, with the offset of the first of them; they are consecutive.
     */
    public long appendShared(QueueRef queue, int partition, List<SegmentRecord> records) {
        return groupCommit.append(queue, partition, records);
    }

    /** One shared flush of a standard partition: every caller's records in one segment, each caller its first offset. */
    private List<Outcome<Long>> flushShared(QueueRef queue, int partition, List<List<SegmentRecord>> callers) {
        List<SegmentRecord> all = new ArrayList<>();
        callers.forEach(all::addAll);
        long base = append(queue, partition, all).baseOffset();
        List<Outcome<Long>> outcomes = new ArrayList<>(callers.size());
        for (List<SegmentRecord> records : callers) {
            outcomes.add(Outcome.of(base));
            base += records.size();
        }
        return outcomes;
    }

    /** As {@link #append(QueueRef, int, List)}, with guard conditions committed atomically with it. */
    public IndexEntry append(QueueRef queue, int partition, List<SegmentRecord> records,
                             LongFunction<List<TransactWriteItem>> guards) {
        return commit(queue, partition, write(queue, partition, records, transactionalInlineLimit()), guards);
    }

    private IndexEntry commit(QueueRef queue, int partition, IndexEntry entry, LongFunction<List<TransactWriteItem>> guards) {
        IndexEntry committed = committer.commit(entry, guards);
        signals.raise(queue.id(), entry.count());
        return committed;
    }

    /**
     * Writes {@code records} as one segment and commits it with guards decided at each offset
     * tried (see {@link Committer#commitGuarded}); a failed guard or a refusal is an outcome,
     * and leaves the segment an orphan for the janitor.
     */
    public <D> GuardedCommit<D> appendGuarded(QueueRef queue, int partition, List<SegmentRecord> records,
                                              LongFunction<CommitGuards<D>> guards) {
        return appendGuarded(queue, partition, records, guards, true);
    }

    /**
     * As {@link #appendGuarded(QueueRef, int, List, LongFunction)}, for a caller that knows whether its
     * guards will hold items: without them the commit is a plain put, and inlines up to the full limit.
     *
     * @param transactional whether the guards may hold conditional items (the commit is then a transaction)
     */
    public <D> GuardedCommit<D> appendGuarded(QueueRef queue, int partition, List<SegmentRecord> records,
                                              LongFunction<CommitGuards<D>> guards, boolean transactional) {
        long limit = transactional ? transactionalInlineLimit() : inlineLimit;
        GuardedCommit<D> outcome = committer.commitGuarded(write(queue, partition, records, limit), guards);
        if (outcome instanceof GuardedCommit.Committed<D>) {
            signals.raise(queue.id(), records.size());
        }
        return outcome;
    }

    /**
     * A group commit of the caller's own kind over this log's clock and sleeper (FIFO produce
     * shares flushes with its deduplication this way); see {@link GroupCommit}.
     */
    public <T, R> GroupCommit<T, R> groupCommit(GroupCommit.Flush<T, R> flush, GroupCommit.Weight<T> weight) {
        return new GroupCommit<>(flush, weight, clock, sleeper);
    }

    /**
     * Writes the segment under a fresh key, or keeps it for its entry when it is small enough to
     * ride inline; returns its index entry, not committed yet.
     */
    private IndexEntry write(QueueRef queue, int partition, List<SegmentRecord> records, long limit) {
        boolean candidate = retainedBriefly(queue) && rawBytes(records) <= INLINE_CANDIDATE_RATIO * limit;
        EncodedSegment encoded = (candidate ? inlineEncoder : encoder).encode(records);
        boolean inline = candidate && encoded.bytes().length <= limit;
        String key;
        if (inline) {
            key = SegmentKeys.nextInline(queue.segmentPrefix(partition), clock.instant());
            segments.keep(key, encoded);
        } else {
            key = SegmentKeys.next(queue.segmentPrefix(partition), clock.instant());
            segments.write(key, encoded);
        }
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE, due = Long.MAX_VALUE;
        for (SegmentRecord r : records) {
            first = Math.min(first, r.timestampMillis());
            last = Math.max(last, r.timestampMillis());
            due = Math.min(due, r.deliverAtMillis());
        }
        return new IndexEntry(queue.partitionKey(partition), 0, records.size(), key, encoded.bytes().length,
                encoded.headerLength(), Instant.ofEpochMilli(first), Instant.ofEpochMilli(last), Instant.ofEpochMilli(due), clock.instant(),
                inline ? encoded.bytes() : null);
    }

    /**
     * A commit with guards may be a transaction, which bills each item twice: its entry stays
     * cheaper than a PUT up to about 4 KB, so half the limit.
     */
    private long transactionalInlineLimit() {
        return inlineLimit / 2;
    }

    private static long rawBytes(List<SegmentRecord> records) {
        long bytes = 0;
        for (SegmentRecord r : records) bytes += r.approximateSize();
        return bytes;
    }

    private static boolean retainedBriefly(QueueRef queue) {
        return queue.settings().retentionPeriod().filter(r -> r.compareTo(MAX_INLINE_RETENTION) <= 0).isPresent();
    }

    /** The offset the next committed record of the partition will get. */
    public long endOffset(QueueRef queue, int partition) {
        return index.last(queue.partitionKey(partition)).map(IndexEntry::endOffset).orElse(0L);
    }

    /** The oldest retained offset of the partition (its end when nothing is retained). */
    public long startOffset(QueueRef queue, int partition) {
        String pk = queue.partitionKey(partition);
        return index.firstEntry(pk).map(IndexEntry::baseOffset).orElseGet(() -> endOffset(queue, partition));
    }

    /** Up to {@code max} records from {@code offset} on, in offset order (fewer at the log's end). */
    public List<LogRecord> read(QueueRef queue, int partition, long offset, int max) {
        String pk = queue.partitionKey(partition);
        List<LogRecord> out = new ArrayList<>();
        Optional<IndexEntry> current = index.containing(pk, offset);
        long next = offset;
        if (current.isEmpty()) {
            // before the oldest retained segment, or in the future: start at the next segment
            List<IndexEntry> after = index.from(pk, offset, 1);
            if (after.isEmpty()) return out;
            current = Optional.of(after.getFirst());
            next = after.getFirst().baseOffset();
        }
        while (current.isPresent() && out.size() < max) {
            IndexEntry e = current.get();
            int first = (int) (next - e.baseOffset());
            int count = Math.min(e.count() - first, max - out.size());
            List<SegmentRecord> records = segments.read(e, first, count);
            for (int i = 0; i < records.size(); i++) {
                out.add(new LogRecord(new MessageId(partition, next + i), records.get(i)));
            }
            next = e.endOffset();
            List<IndexEntry> following = out.size() < max ? index.from(pk, next, 1) : List.of();
            current = following.isEmpty() ? Optional.empty() : Optional.of(following.getFirst());
        }
        return out;
    }

    /**
     * The first offset whose segment was committed at or after {@code time} (the log's end when
     * none was). Binary search over the chain: O(log n) reads.
     */
    public long offsetAt(QueueRef queue, int partition, Instant time) {
        String pk = queue.partitionKey(partition);
        long lo = startOffset(queue, partition), hi = endOffset(queue, partition);
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            Optional<IndexEntry> e = index.containing(pk, mid);
            if (e.isEmpty()) {
                lo = mid + 1;
            } else if (e.get().committedAt().isBefore(time)) {
                lo = e.get().endOffset();
            } else {
                hi = e.get().baseOffset();
            }
        }
        return lo;
    }

    /** The id a record gets: convenience for callers that hold an entry. */
    public static MessageId idOf(IndexEntry entry, int partition, int indexInSegment) {
        return new MessageId(partition, entry.baseOffset() + indexInSegment);
    }
}
