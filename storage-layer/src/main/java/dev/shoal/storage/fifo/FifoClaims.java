package dev.shoal.storage.fifo;

import dev.shoal.storage.log.IndexEntry;
import dev.shoal.storage.log.LogIndex;
import dev.shoal.storage.log.SegmentStore;
import dev.shoal.storage.s3.ObjectNotFoundException;
import dev.shoal.storage.segment.SegmentRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the records after a FIFO subscription's frontier as a new claimed range (not stored yet:
 * the receive puts it, with what it leases of it, in one write). A claim stops before the first
 * record that is not due yet (a queue's delivery delay), so a group's order is never broken by a
 * delay, and it does not grow the live window past {@link #MAX_WINDOW} offsets.
 *
 * <p>One claim reads up to {@link #MAX_SEGMENTS} segments (one message each when producers send
 * one at a time), so that a receive looking past busy groups finds the others' messages.
 */
final class FifoClaims {

    static final int MAX_CLAIM = 500;
    static final int MAX_SEGMENTS = 25;
    /**
     * At most this many offsets lie between a partition's ack floor and its frontier (as Kafka's
     * share-partition record-lock limit): a receive reads the whole window, so it bounds reads.
     * One message held long at the floor therefore stops claiming in its partition once this
     * many later ones were claimed; the others of the window still go out.
     */
    static final int MAX_WINDOW = 5_000;

    /**
     * How long a look past the log's known end that found nothing stands for the next ones: at
     * most five such looks a second per partition (the receive of a message this process
     * committed itself never needs one).
     */
    static final Duration PEEK_PAUSE = Duration.ofMillis(200);

    private final LogIndex index;
    private final SegmentStore segments;
    /** Per partition, when a look past the log's known end last found nothing. */
    private final Map<String, Long> emptyLooks = new ConcurrentHashMap<>();

    FifoClaims(LogIndex index, SegmentStore segments) {
        this.index = index;
        this.segments = segments;
    }

    private boolean lookedEmptyLately(String logKey, long now) {
        Long last = emptyLooks.get(logKey);
        return last != null && now >= last && now - last < PEEK_PAUSE.toMillis();
    }

    /** A claim: the range to put, and the records it covers (read already: the receive need not read them again). */
    record Claim(ClaimedRange range, List<SegmentRecord> records) {
    }

    /**
     * Up to {@code limit} records (at most {@link #MAX_CLAIM}) from the window's frontier on, as a
     * range to put. When the frontier is where this process knows the log to end, only other
     * processes' commits can lie beyond: a look sent by news of a commit in this process
     * ({@code fresh}) does not look for them (the news was claimed already), and the other looks
     * do not look again for {@link #PEEK_PAUSE} after such a look found nothing (as a long poll
     * pauses between polls): this process finds another's commits that much later, at most.
     */
    Optional<Claim> claimNext(String logKey, RangeTable.Window window, int limit, long now, boolean fresh) {
        long frontier = window.frontier();
        int room = (int) Math.min(Math.min(limit, MAX_CLAIM), MAX_WINDOW - window.width());
        if (room <= 0) {
            return Optional.empty();
        }
        boolean atKnownEnd = index.knownToEndAt(logKey, frontier);
        if (atKnownEnd && (fresh || lookedEmptyLately(logKey, now))) {
            return Optional.empty();
        }
        List<IndexEntry> entries = entriesFrom(logKey, frontier);
        if (entries.isEmpty()) {
            if (atKnownEnd) emptyLooks.put(logKey, now);
            return Optional.empty();
        }
        long start = Math.max(frontier, entries.getFirst().baseOffset());
        List<SegmentRecord> records = dueRecords(entries, start, room, now);
        if (records.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Claim(ClaimedRange.claimed(window.cursor().gen(), start, records.stream().map(SegmentRecord::groupId).toList()),
                records));
    }

    /**
     * Up to {@link #MAX_SEGMENTS} consecutive segments from the one holding {@code frontier} (or
     * the first after it), reading the index only for what this process does not know: a
     * segment it committed or found is not read again, and past the newest one it committed
     * (while no other process was seen committing to the partition) it does not look further;
     * later commits of other processes are claimed by the next claim, from there. The look for
     * segments after the frontier reads eventually consistent: a segment it misses (committed a
     * moment ago) is claimed by the next claim, and what it finds is committed and never changes;
     * a claim stops at a gap, so it never skips one.
     */
    private List<IndexEntry> entriesFrom(String logKey, long frontier) {
        Optional<IndexEntry> known = index.known(logKey, frontier);
        if (known.isPresent()) {
            List<IndexEntry> entries = new ArrayList<>(List.of(known.get()));
            if (index.likelyEnd(logKey).orElse(-1L) != known.get().endOffset()) {
                entries.addAll(index.peekFrom(logKey, known.get().endOffset(), MAX_SEGMENTS - 1));
            }
            return entries;
        }
        List<IndexEntry> after = index.peekFrom(logKey, frontier, MAX_SEGMENTS);
        if (!after.isEmpty() && after.getFirst().baseOffset() == frontier) {
            return after; // a segment starts at the frontier: none holds it from before
        }
        if (after.isEmpty() && index.knownToEndAt(logKey, frontier)) {
            return after; // nothing new, as far as a moment ago
        }
        Optional<IndexEntry> holding = index.containing(logKey, frontier);
        if (holding.isEmpty()) {
            // at the log's end, or past a retention gap: what starts after it, read consistently (a segment the
            // eventually consistent read missed would otherwise be skipped)
            return after.isEmpty() ? after : index.from(logKey, frontier, MAX_SEGMENTS);
        }
        List<IndexEntry> entries = new ArrayList<>(List.of(holding.get()));
        for (IndexEntry e : after) {
            if (entries.size() < MAX_SEGMENTS) entries.add(e); // they start at its end or later; a claim stops at a gap
        }
        return entries;
    }

    /** The records from {@code start} on, over consecutive segments, up to the first one not due yet. */
    private List<SegmentRecord> dueRecords(List<IndexEntry> entries, long start, int limit, long now) {
        List<SegmentRecord> out = new ArrayList<>();
        long next = start;
        for (IndexEntry entry : entries) {
            if (!entry.contains(next) || out.size() >= limit) break; // a gap, or enough
            int count = (int) Math.min(limit - out.size(), entry.endOffset() - next);
            List<SegmentRecord> records;
            try {
                records = segments.read(entry, (int) (next - entry.baseOffset()), count);
            } catch (ObjectNotFoundException expired) {
                break; // retention deleted it while we looked: the next claim starts past it
            }
            for (SegmentRecord r : records) {
                if (r.deliverAtMillis() > now) return out;
                out.add(r);
            }
            next += count;
        }
        return out;
    }
}
