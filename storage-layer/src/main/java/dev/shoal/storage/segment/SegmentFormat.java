package dev.shoal.storage.segment;

/**
 * Constants of segment format version 1. The layout is documented byte by byte in
 * {@code docs/segment-format.md}; keep the two in step.
 */
final class SegmentFormat {

    /** "SHLS" in ASCII: the first four bytes of every segment, whatever its version. */
    static final int MAGIC = 0x53484C53;
    static final int VERSION = 1;

    static final int CODEC_NONE = 0;
    static final int CODEC_ZSTD = 1;

    /** Magic, version, codec, flags, header length, record count, uncompressed size, block count. */
    static final int FIXED_HEADER_BYTES = 28;
    /** First record, record count, offset, compressed length, uncompressed length, CRC32C. */
    static final int INDEX_ENTRY_BYTES = 28;
    /** The CRC32C that closes the header area. */
    static final int CHECKSUM_BYTES = 4;

    // Field offsets in the fixed header.
    static final int OFF_VERSION = 4;
    static final int OFF_CODEC = 5;
    static final int OFF_FLAGS = 6;
    static final int OFF_HEADER_LENGTH = 8;
    static final int OFF_RECORD_COUNT = 12;
    static final int OFF_UNCOMPRESSED_SIZE = 16;
    static final int OFF_BLOCK_COUNT = 24;

    /** The largest Java array we ask the JVM for. */
    static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private SegmentFormat() {
    }

    /** Bytes of header, block index and checksum for a segment of {@code blockCount} blocks. */
    static long headerLength(long blockCount) {
        return FIXED_HEADER_BYTES + INDEX_ENTRY_BYTES * blockCount + CHECKSUM_BYTES;
    }

    static String codecName(int codec) {
        return switch (codec) {
            case CODEC_NONE -> "none";
            case CODEC_ZSTD -> "zstd";
            default -> "unknown";
        };
    }
}
