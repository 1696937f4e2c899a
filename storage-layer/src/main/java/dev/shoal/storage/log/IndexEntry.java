package dev.shoal.storage.log;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One committed segment in a partition's log: offsets {@code [baseOffset, baseOffset + count)}
 * live in the segment {@code segmentKey}, which is an S3 object, or, for a small segment, the
 * bytes {@code inline} kept in this entry itself (ADR 0016).
 *
 * @param partitionKey     the log item's partition key ({@code <queueId>#<partition>})
 * @param baseOffset       offset of the segment's first record
 * @param count            number of records
 * @param segmentKey       the segment's name: its S3 key, or an inline name ({@link SegmentKeys#isInline})
 * @param bytes            size of the segment
 * @param headerLength     bytes from the segment's start holding the header and block index
 * @param firstTimestamp   earliest record timestamp
 * @param lastTimestamp    latest record timestamp
 * @param earliestDelivery earliest record delivery time (delays)
 * @param committedAt      when the commit happened
 * @param inline           the encoded segment when it is kept in the entry, else null
 */
public record IndexEntry(String partitionKey, long baseOffset, int count, String segmentKey, long bytes, int headerLength,
                         Instant firstTimestamp, Instant lastTimestamp, Instant earliestDelivery, Instant committedAt,
                         byte[] inline) {

    public IndexEntry {
        if (inline != null && inline.length != bytes) {
            throw new IllegalArgumentException("inline segment " + segmentKey + " holds " + inline.length + " bytes, not " + bytes);
        }
    }

    /** An entry for a segment stored as an S3 object. */
    public IndexEntry(String partitionKey, long baseOffset, int count, String segmentKey, long bytes, int headerLength,
                      Instant firstTimestamp, Instant lastTimestamp, Instant earliestDelivery, Instant committedAt) {
        this(partitionKey, baseOffset, count, segmentKey, bytes, headerLength, firstTimestamp, lastTimestamp, earliestDelivery,
                committedAt, null);
    }

    /** True when the segment's bytes are in this entry, and there is no S3 object. */
    public boolean isInline() {
        return inline != null;
    }

    /** The offset after this segment's last record: where the next segment starts. */
    public long endOffset() {
        return baseOffset + count;
    }

    public boolean contains(long offset) {
        return offset >= baseOffset && offset < endOffset();
    }

    public IndexEntry at(long newBaseOffset, Instant newCommittedAt) {
        return new IndexEntry(partitionKey, newBaseOffset, count, segmentKey, bytes, headerLength,
                firstTimestamp, lastTimestamp, earliestDelivery, newCommittedAt, inline);
    }

    /** Where the segment is, for a reader that has no entry in hand. */
    public SegmentLocation location() {
        return new SegmentLocation(partitionKey, baseOffset, segmentKey, bytes, headerLength);
    }

    // entries are values: two reads of one log item are equal, inline bytes included

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexEntry e && baseOffset == e.baseOffset && count == e.count && bytes == e.bytes
                && headerLength == e.headerLength && partitionKey.equals(e.partitionKey) && segmentKey.equals(e.segmentKey)
                && firstTimestamp.equals(e.firstTimestamp) && lastTimestamp.equals(e.lastTimestamp)
                && earliestDelivery.equals(e.earliestDelivery) && committedAt.equals(e.committedAt)
                && Arrays.equals(inline, e.inline);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partitionKey, baseOffset, segmentKey, committedAt);
    }

    @Override
    public String toString() {
        return "IndexEntry[" + partitionKey + " @" + baseOffset + " +" + count + " " + segmentKey + " " + bytes + " bytes"
                + (inline != null ? " inline" : "") + ", committed " + committedAt + "]";
    }
}
