package dev.shoal.storage.segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Reads a segment, fetching only the bytes it needs. {@link #open} parses and verifies the header
 * and block index; {@link #read} then fetches, verifies and decompresses only the blocks that
 * hold the records asked for. Thread-safe once opened (it holds no mutable state), so a reader
 * may be cached by segment key.
 */
public final class SegmentReader {

    private final String segmentKey;
    private final HeaderCodec.SegmentHeader header;
    private final byte[] prefix;
    private final RangeSource source;

    private SegmentReader(String segmentKey, HeaderCodec.SegmentHeader header, byte[] prefix, RangeSource source) {
        this.segmentKey = segmentKey;
        this.header = header;
        this.prefix = prefix;
        this.source = source;
    }

    /**
     * Parses and verifies the header and block index.
     *
     * @param segmentKey   the object's key, for error messages
     * @param prefix       the first bytes of the object, possibly empty; if it is shorter than the
     *                     header area, the rest is fetched from {@code source}. Blocks that lie
     *                     inside it are never fetched again. Kept, not copied: do not modify it.
     * @param objectLength the total size of the object
     * @param source       fetches the bytes not in {@code prefix}
     * @throws CorruptSegmentException            bad magic, checksum mismatch, truncation
     * @throws UnsupportedSegmentVersionException unknown version, codec or flags
     */
    public static SegmentReader open(String segmentKey, byte[] prefix, long objectLength, RangeSource source) {
        Objects.requireNonNull(segmentKey, "segmentKey");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(source, "source");
        if (prefix.length > objectLength) {
            throw new IllegalArgumentException("prefix of " + prefix.length + " bytes is longer than the object ("
                    + objectLength + ")");
        }
        if (objectLength < SegmentFormat.FIXED_HEADER_BYTES) {
            throw new CorruptSegmentException(segmentKey, "truncated: the object is " + objectLength
                    + " bytes, shorter than the " + SegmentFormat.FIXED_HEADER_BYTES + "-byte fixed header");
        }
        byte[] head = extend(segmentKey, prefix, SegmentFormat.FIXED_HEADER_BYTES, source);
        int headerLength = HeaderCodec.headerLength(segmentKey, head, objectLength);
        head = extend(segmentKey, head, headerLength, source);
        HeaderCodec.SegmentHeader header = HeaderCodec.parse(segmentKey, head, objectLength);
        return new SegmentReader(segmentKey, header, head, source);
    }

    /** Convenience: the whole object in memory. */
    public static SegmentReader of(String segmentKey, byte[] wholeObject) {
        return open(segmentKey, wholeObject, wholeObject.length, RangeSource.of(wholeObject));
    }

    public String segmentKey() {
        return segmentKey;
    }

    public int recordCount() {
        return header.recordCount();
    }

    /** Bytes of the encoded records before compression. */
    public long uncompressedSize() {
        return header.uncompressedSize();
    }

    /** Bytes from offset 0 that hold the header and block index. */
    public int headerLength() {
        return header.headerLength();
    }

    public int blockCount() {
        return header.index().blockCount();
    }

    /**
     * Records {@code [first, first + count)} in order. Fetches and decompresses only the blocks
     * that hold them, with one {@link RangeSource#read} for the run of blocks (none for blocks
     * inside the prefix given to {@link #open}), and verifies each block's checksum.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= first <= first + count <= recordCount()}
     * @throws CorruptSegmentException   a block fails its checksum or does not decode
     */
    public List<SegmentRecord> read(int first, int count) {
        Objects.checkFromIndexSize(first, count, recordCount());
        if (count == 0) {
            return List.of();
        }
        BlockIndex index = header.index();
        int firstBlock = index.blockOf(first);
        int lastBlock = index.blockOf(first + count - 1);
        List<SegmentRecord> out = new ArrayList<>(count);
        try (BlockDecoder decoder = new BlockDecoder(header.codec(), index)) {
            int block = firstBlock;
            while (block <= lastBlock) {
                int runEnd = runEnd(index, block, lastBlock);
                byte[] bytes = fetch(index.offset(block), index.end(runEnd));
                long base = bytes == prefix ? 0 : index.offset(block);
                for (; block <= runEnd; block++) {
                    decodeBlock(decoder, block, bytes, (int) (index.offset(block) - base), first, count, out);
                }
            }
        }
        return out;
    }

    public List<SegmentRecord> readAll() {
        return read(0, recordCount());
    }

    /** The last block of the run from {@code block} that one array (one ranged GET) can hold. */
    private static int runEnd(BlockIndex index, int block, int lastBlock) {
        int end = block;
        while (end < lastBlock && index.end(end + 1) - index.offset(block) <= SegmentFormat.MAX_ARRAY_BYTES) {
            end++;
        }
        return end;
    }

    /** Bytes [from, to) of the object: the prefix itself if it holds them, else a ranged read. */
    private byte[] fetch(long from, long to) {
        if (to <= prefix.length) {
            return prefix;
        }
        int length = (int) (to - from);
        byte[] bytes = source.read(from, length);
        if (bytes == null || bytes.length < length) {
            throw new CorruptSegmentException(segmentKey, "truncated: expected " + length + " bytes at offset " + from
                    + ", the object returned " + (bytes == null ? 0 : bytes.length));
        }
        return bytes;
    }

    private void decodeBlock(BlockDecoder decoder, int block, byte[] bytes, int offset, int first, int count,
                             List<SegmentRecord> out) {
        BlockIndex index = header.index();
        int blockFirst = index.firstRecord(block);
        int blockCount = index.recordCount(block);
        int from = Math.max(first, blockFirst) - blockFirst;
        int to = Math.min(first + count, blockFirst + blockCount) - blockFirst;
        try {
            RecordParser parser = decoder.open(block, bytes, offset);
            for (int i = 0; i < from; i++) {
                parser.skip();
            }
            for (int i = from; i < to; i++) {
                out.add(parser.next());
            }
            if (to == blockCount) {
                parser.expectEnd(blockCount);
            }
        } catch (FormatViolation e) {
            throw new CorruptSegmentException(segmentKey, "block " + block + " (records " + blockFirst + " to "
                    + (blockFirst + blockCount - 1) + ", bytes " + index.offset(block) + " to " + index.end(block)
                    + "): " + e.getMessage(), e);
        }
    }

    /** {@code have} extended to at least {@code length} bytes with bytes fetched from {@code source}. */
    private static byte[] extend(String key, byte[] have, int length, RangeSource source) {
        if (have.length >= length) {
            return have;
        }
        int missing = length - have.length;
        byte[] rest = source.read(have.length, missing);
        if (rest == null || rest.length < missing) {
            throw new CorruptSegmentException(key, "truncated: expected " + missing + " header bytes at offset "
                    + have.length + ", the object returned " + (rest == null ? 0 : rest.length));
        }
        byte[] joined = Arrays.copyOf(have, length);
        System.arraycopy(rest, 0, joined, have.length, missing);
        return joined;
    }

    @Override
    public String toString() {
        return "SegmentReader[" + segmentKey + ", " + recordCount() + " records in " + blockCount() + " blocks, codec "
                + SegmentFormat.codecName(header.codec()) + "]";
    }
}
