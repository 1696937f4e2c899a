package dev.shoal.storage.subscription;

import dev.shoal.storage.log.IndexEntry;
import dev.shoal.storage.segment.SegmentRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the records just past the frontier into the chunks that claim them: runs of records due
 * now become one leased chunk; runs not yet due become delayed chunks that the {@code due} index
 * brings back when their time comes (one per distinct delivery time, so none waits longer
 * than asked).
 */
final class FreshChunks {

    private FreshChunks() {
    }

    static List<Chunk> split(long gen, long start, IndexEntry segment, List<SegmentRecord> records, String lease,
                             long now, long visibilityMillis) {
        List<Chunk> pieces = new ArrayList<>();
        int runStart = 0;
        for (int i = 1; i <= records.size(); i++) {
            if (i == records.size() || dueKey(records.get(i), now) != dueKey(records.get(runStart), now)) {
                long due = dueKey(records.get(runStart), now);
                long from = start + runStart, to = start + i;
                pieces.add(due <= now
                        ? Chunk.fresh(gen, from, to, segment, lease, now, visibilityMillis)
                        : Chunk.delayed(gen, from, to, segment, due));
                runStart = i;
            }
        }
        return pieces;
    }

    /** The time a record becomes deliverable, with everything already due folded into {@code now}. */
    private static long dueKey(SegmentRecord record, long now) {
        return Math.max(record.deliverAtMillis(), now) == now ? now : record.deliverAtMillis();
    }
}
