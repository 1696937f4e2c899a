package dev.shoal.storage.fifo;

import dev.shoal.storage.log.IndexEntry;
import dev.shoal.storage.log.LogIndex;
import dev.shoal.storage.log.SegmentStore;
import dev.shoal.storage.s3.ObjectNotFoundException;
import dev.shoal.storage.segment.SegmentRecord;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads records by offset for a gate's pending list: one read per segment the offsets fall in.
 * Records past retention are absent from the answer, never null in it.
 */
final class FifoReader {

    private final LogIndex index;
    private final SegmentStore segments;

    FifoReader(LogIndex index, SegmentStore segments) {
        this.index = index;
        this.segments = segments;
    }

    /** Records at {@code offsets} (ascending); missing ones (past retention) map to null. */
    Map<Long, SegmentRecord> read(String logKey, List<Long> offsets) {
        Map<Long, SegmentRecord> out = new HashMap<>();
        int i = 0;
        while (i < offsets.size()) {
            long first = offsets.get(i);
            IndexEntry entry = index.containing(logKey, first).orElse(null);
            if (entry == null) {
                i++;
                continue;
            }
            int j = i;
            while (j < offsets.size() && entry.contains(offsets.get(j))) j++;
            long last = offsets.get(j - 1);
            List<SegmentRecord> records;
            try {
                records = segments.read(entry, (int) (first - entry.baseOffset()), (int) (last - first + 1));
            } catch (ObjectNotFoundException expired) {
                // retention deletes the index item before the object: a reader can only see this while both go
                i = j;
                continue;
            }
            for (int k = i; k < j; k++) {
                out.put(offsets.get(k), records.get((int) (offsets.get(k) - first)));
            }
            i = j;
        }
        return out;
    }
}
