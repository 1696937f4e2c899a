package dev.shoal.storage.log;

import java.time.Instant;

/**
 * One committed segment in a partition's log: offsets {@code [baseOffset, baseOffset + count)}
 * live in the S3 object {@code segmentKey}.
 *
 * @param partitionKey     the log item's partition key ({@code <queueId>#<partition>})
 * @param baseOffset       offset of the segment's first record
 * @param count            number of records
 * @param segmentKey       S3 key of the segment
 * @param bytes            size of the S3 object
 * @param headerLength     bytes from the object's start holding the header and block index
 * @param firstTimestamp   earliest record timestamp
 * @param lastTimestamp    latest record timestamp
 * @param earliestDelivery earliest record delivery time (delays)
 * @param committedAt      when the commit happened
 */
public record IndexEntry(String partitionKey, long baseOffset, int count, String segmentKey, long bytes, int headerLength,
                         Instant firstTimestamp, Instant lastTimestamp, Instant earliestDelivery, Instant committedAt) {

    /** The offset after this segment's last record: where the next segment starts. */
    public long endOffset() {
        return baseOffset + count;
    }

    public boolean contains(long offset) {
        return offset >= baseOffset && offset < endOffset();
    }

    public IndexEntry at(long newBaseOffset, Instant newCommittedAt) {
        return new IndexEntry(partitionKey, newBaseOffset, count, segmentKey, bytes, headerLength,
                firstTimestamp, lastTimestamp, earliestDelivery, newCommittedAt);
    }
}
