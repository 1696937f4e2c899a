package dev.shoal.storage.segment;

import java.util.Arrays;

/**
 * The block index of one segment, held in primitive arrays: block {@code i} holds records
 * {@code [firstRecord(i), firstRecord(i) + recordCount(i))} and occupies bytes
 * {@code [offset(i), offset(i) + compressedLength(i))} of the object. Immutable.
 */
final class BlockIndex {

    private final int[] firstRecord;
    private final int[] recordCount;
    private final long[] offset;
    private final int[] compressedLength;
    private final int[] uncompressedLength;
    private final int[] checksum;

    private BlockIndex(int[] firstRecord, int[] recordCount, long[] offset, int[] compressedLength,
                       int[] uncompressedLength, int[] checksum) {
        this.firstRecord = firstRecord;
        this.recordCount = recordCount;
        this.offset = offset;
        this.compressedLength = compressedLength;
        this.uncompressedLength = uncompressedLength;
        this.checksum = checksum;
    }

    int blockCount() {
        return firstRecord.length;
    }

    int firstRecord(int block) {
        return firstRecord[block];
    }

    int recordCount(int block) {
        return recordCount[block];
    }

    long offset(int block) {
        return offset[block];
    }

    /** The first byte after the block. */
    long end(int block) {
        return offset[block] + compressedLength[block];
    }

    int compressedLength(int block) {
        return compressedLength[block];
    }

    int uncompressedLength(int block) {
        return uncompressedLength[block];
    }

    int checksum(int block) {
        return checksum[block];
    }

    /** The block that holds {@code record}, which must be within the segment. */
    int blockOf(int record) {
        int found = Arrays.binarySearch(firstRecord, record);
        return found >= 0 ? found : -found - 2;
    }

    /** Collects entries while a segment is encoded or parsed. */
    static final class Builder {
        private int size;
        private int[] firstRecord;
        private int[] recordCount;
        private long[] offset;
        private int[] compressedLength;
        private int[] uncompressedLength;
        private int[] checksum;

        Builder(int expectedBlocks) {
            int capacity = Math.max(1, expectedBlocks);
            firstRecord = new int[capacity];
            recordCount = new int[capacity];
            offset = new long[capacity];
            compressedLength = new int[capacity];
            uncompressedLength = new int[capacity];
            checksum = new int[capacity];
        }

        Builder add(int first, int count, long blockOffset, int compressed, int uncompressed, int crc) {
            if (size == firstRecord.length) {
                int capacity = size * 2;
                firstRecord = Arrays.copyOf(firstRecord, capacity);
                recordCount = Arrays.copyOf(recordCount, capacity);
                offset = Arrays.copyOf(offset, capacity);
                compressedLength = Arrays.copyOf(compressedLength, capacity);
                uncompressedLength = Arrays.copyOf(uncompressedLength, capacity);
                checksum = Arrays.copyOf(checksum, capacity);
            }
            firstRecord[size] = first;
            recordCount[size] = count;
            offset[size] = blockOffset;
            compressedLength[size] = compressed;
            uncompressedLength[size] = uncompressed;
            checksum[size] = crc;
            size++;
            return this;
        }

        int size() {
            return size;
        }

        /** The index, with every offset moved by {@code shift} (the encoder adds the header length). */
        BlockIndex build(long shift) {
            long[] shifted = Arrays.copyOf(offset, size);
            for (int i = 0; i < size; i++) {
                shifted[i] += shift;
            }
            return new BlockIndex(Arrays.copyOf(firstRecord, size), Arrays.copyOf(recordCount, size), shifted,
                    Arrays.copyOf(compressedLength, size), Arrays.copyOf(uncompressedLength, size),
                    Arrays.copyOf(checksum, size));
        }
    }
}
