package dev.shoal.storage.segment;

import java.util.Objects;

/**
 * One encoded segment, ready to be stored as an object.
 *
 * @param bytes        the whole object
 * @param recordCount  the records it holds
 * @param headerLength bytes from offset 0 that hold the header and the block index: what a
 *                     ranged reader must fetch first
 */
public record EncodedSegment(byte[] bytes, int recordCount, int headerLength) {

    public EncodedSegment {
        Objects.requireNonNull(bytes, "bytes");
        if (recordCount < 1) {
            throw new IllegalArgumentException("recordCount must be at least 1, was " + recordCount);
        }
        if (headerLength < SegmentFormat.FIXED_HEADER_BYTES || headerLength > bytes.length) {
            throw new IllegalArgumentException("headerLength must be within the object's "
                    + bytes.length + " bytes, was " + headerLength);
        }
    }

    @Override
    public String toString() {
        return "EncodedSegment[" + bytes.length + " bytes, " + recordCount + " records, header "
                + headerLength + " bytes]";
    }
}
