package dev.shoal.storage.segment;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

import static dev.shoal.storage.segment.SegmentFormat.CHECKSUM_BYTES;
import static dev.shoal.storage.segment.SegmentFormat.CODEC_NONE;
import static dev.shoal.storage.segment.SegmentFormat.CODEC_ZSTD;
import static dev.shoal.storage.segment.SegmentFormat.FIXED_HEADER_BYTES;
import static dev.shoal.storage.segment.SegmentFormat.INDEX_ENTRY_BYTES;
import static dev.shoal.storage.segment.SegmentFormat.MAGIC;
import static dev.shoal.storage.segment.SegmentFormat.MAX_ARRAY_BYTES;
import static dev.shoal.storage.segment.SegmentFormat.OFF_BLOCK_COUNT;
import static dev.shoal.storage.segment.SegmentFormat.OFF_CODEC;
import static dev.shoal.storage.segment.SegmentFormat.OFF_FLAGS;
import static dev.shoal.storage.segment.SegmentFormat.OFF_HEADER_LENGTH;
import static dev.shoal.storage.segment.SegmentFormat.OFF_RECORD_COUNT;
import static dev.shoal.storage.segment.SegmentFormat.OFF_UNCOMPRESSED_SIZE;
import static dev.shoal.storage.segment.SegmentFormat.OFF_VERSION;
import static dev.shoal.storage.segment.SegmentFormat.VERSION;

/**
 * Writes and parses the header area: the fixed header, the block index and the CRC32C that
 * closes it. Parsing checks, in this order: magic, version (its layout decides where
 * everything else is), lengths, checksum, then codec, flags and the index's consistency.
 */
final class HeaderCodec {

    /** A parsed, verified header area. */
    record SegmentHeader(int codec, int recordCount, long uncompressedSize, int headerLength, BlockIndex index) {
    }

    private HeaderCodec() {
    }

    /** Writes the header area into {@code out[0, headerLength)}. */
    static void write(byte[] out, int codec, int recordCount, long uncompressedSize, BlockIndex index) {
        int blocks = index.blockCount();
        int headerLength = (int) SegmentFormat.headerLength(blocks);
        ByteBuffer b = ByteBuffer.wrap(out, 0, headerLength);
        b.putInt(MAGIC).put((byte) VERSION).put((byte) codec).putShort((short) 0)
                .putInt(headerLength).putInt(recordCount).putLong(uncompressedSize).putInt(blocks);
        for (int i = 0; i < blocks; i++) {
            b.putInt(index.firstRecord(i)).putInt(index.recordCount(i)).putLong(index.offset(i))
                    .putInt(index.compressedLength(i)).putInt(index.uncompressedLength(i)).putInt(index.checksum(i));
        }
        b.putInt(crc32c(out, headerLength - CHECKSUM_BYTES));
    }

    /**
     * Checks magic and version in the fixed header ({@code head} holds at least
     * {@link SegmentFormat#FIXED_HEADER_BYTES}) and returns the length of the whole header area.
     */
    static int headerLength(String key, byte[] head, long objectLength) {
        ByteBuffer b = ByteBuffer.wrap(head);
        int magic = b.getInt(0);
        if (magic != MAGIC) {
            throw new CorruptSegmentException(key, String.format(
                    "bad magic: expected 0x%08X (\"SHLS\"), found 0x%08X (\"%s\")", MAGIC, magic, ascii(head)));
        }
        int version = head[OFF_VERSION] & 0xFF;
        if (version != VERSION) {
            throw new UnsupportedSegmentVersionException(key, "format version", String.valueOf(version),
                    String.valueOf(VERSION));
        }
        long blockCount = Integer.toUnsignedLong(b.getInt(OFF_BLOCK_COUNT));
        long headerLength = Integer.toUnsignedLong(b.getInt(OFF_HEADER_LENGTH));
        if (blockCount < 1) {
            throw new CorruptSegmentException(key, "block count is 0; a segment holds at least one block");
        }
        if (headerLength != SegmentFormat.headerLength(blockCount)) {
            throw new CorruptSegmentException(key, "header length field says " + headerLength + " bytes, but "
                    + blockCount + " blocks need " + SegmentFormat.headerLength(blockCount));
        }
        if (headerLength > objectLength || headerLength > MAX_ARRAY_BYTES) {
            throw new CorruptSegmentException(key, "truncated: header and block index need " + headerLength
                    + " bytes, but the object is " + objectLength + " bytes");
        }
        return (int) headerLength;
    }

    /** Parses and verifies the header area, {@code head[0, headerLength(...))}. */
    static SegmentHeader parse(String key, byte[] head, long objectLength) {
        int headerLength = headerLength(key, head, objectLength);
        ByteBuffer b = ByteBuffer.wrap(head);
        int stored = b.getInt(headerLength - CHECKSUM_BYTES);
        int computed = crc32c(head, headerLength - CHECKSUM_BYTES);
        if (stored != computed) {
            throw new CorruptSegmentException(key, String.format(
                    "header checksum mismatch: stored CRC32C 0x%08X, computed 0x%08X over %d bytes",
                    stored, computed, headerLength - CHECKSUM_BYTES));
        }
        int codec = head[OFF_CODEC] & 0xFF;
        if (codec != CODEC_NONE && codec != CODEC_ZSTD) {
            throw new UnsupportedSegmentVersionException(key, "codec", String.valueOf(codec), "0 (none), 1 (zstd)");
        }
        int flags = b.getShort(OFF_FLAGS) & 0xFFFF;
        if (flags != 0) {
            throw new UnsupportedSegmentVersionException(key, "flags", String.format("0x%04X", flags),
                    "none (0x0000) in version " + VERSION);
        }
        int recordCount = b.getInt(OFF_RECORD_COUNT);
        long uncompressedSize = b.getLong(OFF_UNCOMPRESSED_SIZE);
        if (recordCount < 1) {
            throw new CorruptSegmentException(key, "record count is " + Integer.toUnsignedLong(recordCount)
                    + "; expected 1 to " + Integer.MAX_VALUE);
        }
        BlockIndex index = parseIndex(key, b, codec, headerLength, objectLength, recordCount, uncompressedSize);
        return new SegmentHeader(codec, recordCount, uncompressedSize, headerLength, index);
    }

    private static BlockIndex parseIndex(String key, ByteBuffer b, int codec, int headerLength, long objectLength,
                                         int recordCount, long uncompressedSize) {
        int blocks = b.getInt(OFF_BLOCK_COUNT);
        BlockIndex.Builder index = new BlockIndex.Builder(blocks);
        long nextRecord = 0;
        long nextOffset = headerLength;
        long uncompressed = 0;
        for (int i = 0; i < blocks; i++) {
            int at = FIXED_HEADER_BYTES + i * INDEX_ENTRY_BYTES;
            int first = b.getInt(at);
            int count = b.getInt(at + 4);
            long offset = b.getLong(at + 8);
            int compressed = b.getInt(at + 16);
            int raw = b.getInt(at + 20);
            if (first != nextRecord || count < 1 || offset != nextOffset || compressed < 0 || raw < 0
                    || (codec == CODEC_NONE && compressed != raw)) {
                throw new CorruptSegmentException(key, "block " + i + " index entry is inconsistent: expected first"
                        + " record " + nextRecord + " at offset " + nextOffset + ", found first record "
                        + Integer.toUnsignedLong(first) + ", " + Integer.toUnsignedLong(count) + " records at offset "
                        + offset + ", " + Integer.toUnsignedLong(compressed) + " bytes stored, "
                        + Integer.toUnsignedLong(raw) + " uncompressed (codec " + SegmentFormat.codecName(codec) + ")");
            }
            index.add(first, count, offset, compressed, raw, b.getInt(at + 24));
            nextRecord += count;
            nextOffset += compressed;
            uncompressed += raw;
        }
        if (nextRecord != recordCount) {
            throw new CorruptSegmentException(key, "header says " + recordCount + " records, blocks hold " + nextRecord);
        }
        if (uncompressed != uncompressedSize) {
            throw new CorruptSegmentException(key, "header says " + uncompressedSize
                    + " uncompressed bytes, blocks hold " + uncompressed);
        }
        if (nextOffset != objectLength) {
            throw new CorruptSegmentException(key, (nextOffset > objectLength ? "truncated: " : "trailing bytes: ")
                    + "blocks end at byte " + nextOffset + ", but the object is " + objectLength + " bytes");
        }
        return index.build(0);
    }

    static int crc32c(byte[] bytes, int length) {
        return crc32c(bytes, 0, length);
    }

    static int crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private static String ascii(byte[] head) {
        StringBuilder s = new StringBuilder(4);
        for (int i = 0; i < 4; i++) {
            int c = head[i] & 0xFF;
            s.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
        }
        return s.toString();
    }
}
