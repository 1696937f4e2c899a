package dev.shoal.storage.segment;

import java.util.Arrays;

/**
 * Collects compressed blocks and their index entries, then lays out the object: header area
 * first, blocks after it in order. Not thread-safe; one per {@link SegmentEncoder#encode} call.
 */
final class SegmentAssembler {

    private final BlockCompressor compressor;
    private final BlockIndex.Builder index = new BlockIndex.Builder(8);
    private byte[] blocks;
    private int blocksLength;
    private long uncompressedSize;

    SegmentAssembler(BlockCompressor compressor, int expectedBlockBytes) {
        this.compressor = compressor;
        this.blocks = new byte[Math.max(64, expectedBlockBytes)];
    }

    /** Compresses {@code raw[0, rawLength)}, which holds {@code count} records from {@code first}. */
    void addBlock(byte[] raw, int rawLength, int first, int count) {
        ensureCapacity(compressor.maxCompressedLength(rawLength));
        int stored = compressor.compress(raw, rawLength, blocks, blocksLength);
        int crc = HeaderCodec.crc32c(blocks, blocksLength, stored);
        index.add(first, count, blocksLength, stored, rawLength, crc);
        blocksLength += stored;
        uncompressedSize += rawLength;
    }

    EncodedSegment finish(int recordCount) {
        long headerLength = SegmentFormat.headerLength(index.size());
        long total = headerLength + blocksLength;
        if (total > SegmentFormat.MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException("segment of " + total + " bytes is too large; split the batch");
        }
        byte[] object = new byte[(int) total];
        HeaderCodec.write(object, compressor.codec(), recordCount, uncompressedSize, index.build(headerLength));
        System.arraycopy(blocks, 0, object, (int) headerLength, blocksLength);
        return new EncodedSegment(object, recordCount, (int) headerLength);
    }

    private void ensureCapacity(long extra) {
        long needed = blocksLength + extra;
        if (needed > blocks.length) {
            if (needed > SegmentFormat.MAX_ARRAY_BYTES) {
                throw new IllegalArgumentException("segment of more than " + blocksLength + " bytes is too large;"
                        + " split the batch");
            }
            blocks = Arrays.copyOf(blocks, (int) Math.min(SegmentFormat.MAX_ARRAY_BYTES,
                    Math.max(needed, 2L * blocks.length)));
        }
    }
}
