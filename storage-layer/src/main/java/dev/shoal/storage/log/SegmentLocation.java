package dev.shoal.storage.log;

/**
 * Where a segment is, as a holder of consumer state keeps it (a chunk names its segment this way
 * instead of re-reading the log): enough to fetch it from S3, or, for an inline segment, to find
 * the log entry that holds its bytes.
 *
 * @param partitionKey the log partition the segment was committed to
 * @param baseOffset   the segment's base offset in that partition
 * @param key          the segment's name ({@link SegmentKeys#isInline} tells where it is)
 * @param bytes        the segment's size
 * @param headerLength bytes from its start holding the header and block index
 */
public record SegmentLocation(String partitionKey, long baseOffset, String key, long bytes, int headerLength) {
}
