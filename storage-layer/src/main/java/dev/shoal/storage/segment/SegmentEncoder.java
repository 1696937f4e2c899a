package dev.shoal.storage.segment;

import com.github.luben.zstd.Zstd;

import java.util.List;
import java.util.Objects;

/**
 * Encodes a batch of records into one immutable segment object (format version 1, see
 * {@code docs/segment-format.md}). Thread-safe and stateless: each call uses its own buffers
 * and compression context.
 *
 * <p>Records fill blocks of about {@code targetBlockBytes} uncompressed bytes: a record joins
 * the current block unless that would take the block past the target, in which case the block
 * is closed first. A record larger than the target therefore gets a block of its own.
 */
public final class SegmentEncoder {

    public static final int DEFAULT_TARGET_BLOCK_BYTES = 64 * 1024;
    public static final int DEFAULT_ZSTD_LEVEL = 3;

    private final int targetBlockBytes;
    private final int zstdLevel;
    private final boolean compress;

    /** Blocks of 64 KiB uncompressed, zstd level 3. */
    public SegmentEncoder() {
        this(DEFAULT_TARGET_BLOCK_BYTES, DEFAULT_ZSTD_LEVEL);
    }

    /**
     * @param targetBlockBytes uncompressed bytes a block aims for, at least 1
     * @param zstdLevel        from {@code Zstd.minCompressionLevel()} to {@code Zstd.maxCompressionLevel()}
     */
    public SegmentEncoder(int targetBlockBytes, int zstdLevel) {
        this(targetBlockBytes, zstdLevel, true);
        if (zstdLevel < Zstd.minCompressionLevel() || zstdLevel > Zstd.maxCompressionLevel()) {
            throw new IllegalArgumentException("zstdLevel must be between " + Zstd.minCompressionLevel() + " and "
                    + Zstd.maxCompressionLevel() + ", was " + zstdLevel);
        }
    }

    private SegmentEncoder(int targetBlockBytes, int zstdLevel, boolean compress) {
        if (targetBlockBytes < 1) {
            throw new IllegalArgumentException("targetBlockBytes must be at least 1, was " + targetBlockBytes);
        }
        this.targetBlockBytes = targetBlockBytes;
        this.zstdLevel = zstdLevel;
        this.compress = compress;
    }

    /** An encoder that stores blocks as they are (codec 0), for data that does not compress. */
    public static SegmentEncoder uncompressed(int targetBlockBytes) {
        return new SegmentEncoder(targetBlockBytes, 0, false);
    }

    /**
     * Encodes {@code records}, in order, into one segment.
     *
     * @throws IllegalArgumentException if {@code records} is empty, holds a string that is not
     *                                  valid UTF-16, or would make an object of 2 GiB or more
     */
    public EncodedSegment encode(List<SegmentRecord> records) {
        Objects.requireNonNull(records, "records");
        if (records.isEmpty()) {
            throw new IllegalArgumentException("records must not be empty: a segment holds at least one record");
        }
        // Small batches are the common case: start with small buffers (zeroing 64 KiB costs more
        // than compressing a few hundred bytes) and let them grow to the block size.
        int expectedBlockBytes = (int) Math.min(targetBlockBytes, Math.min(1L << 20, 256L * records.size()));
        try (BlockCompressor compressor = compress ? BlockCompressor.zstd(zstdLevel) : BlockCompressor.none()) {
            SegmentAssembler segment = new SegmentAssembler(compressor, expectedBlockBytes);
            RecordWriter writer = new RecordWriter(expectedBlockBytes);
            int blockFirst = 0;
            for (int i = 0; i < records.size(); i++) {
                SegmentRecord record = Objects.requireNonNull(records.get(i), "records must not hold null");
                long size = writer.prepare(record);
                if (writer.size() > 0 && writer.size() + size > targetBlockBytes) {
                    segment.addBlock(writer.buffer(), writer.size(), blockFirst, i - blockFirst);
                    writer.startBlock();
                    blockFirst = i;
                }
                writer.write();
            }
            segment.addBlock(writer.buffer(), writer.size(), blockFirst, records.size() - blockFirst);
            return segment.finish(records.size());
        }
    }

    @Override
    public String toString() {
        return "SegmentEncoder[targetBlockBytes=" + targetBlockBytes + ", codec="
                + (compress ? "zstd level " + zstdLevel : "none") + "]";
    }
}
