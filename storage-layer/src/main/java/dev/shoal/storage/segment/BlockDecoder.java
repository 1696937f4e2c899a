package dev.shoal.storage.segment;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;

/**
 * Verifies and decompresses stored blocks and hands out a {@link RecordParser} over each. One per
 * {@link SegmentReader#read} call: the zstd context (borrowed from {@link ZstdContexts}) and the
 * output buffer are reused across the call's blocks (records copy their bytes out, so reusing the buffer is safe).
 */
final class BlockDecoder implements AutoCloseable {

    private final BlockIndex index;
    private final ZstdDecompressCtx zstd;
    private byte[] raw;

    BlockDecoder(int codec, BlockIndex index) {
        this.index = index;
        this.zstd = codec == SegmentFormat.CODEC_ZSTD ? ZstdContexts.decompressor() : null;
    }

    /**
     * Checks block {@code block}, whose stored bytes start at {@code src[offset]}, against its
     * CRC32C and uncompressed length, and returns a parser over its records.
     */
    RecordParser open(int block, byte[] src, int offset) {
        int stored = index.compressedLength(block);
        int expected = index.checksum(block);
        int actual = HeaderCodec.crc32c(src, offset, stored);
        if (actual != expected) {
            throw new FormatViolation(String.format("checksum mismatch: index says CRC32C 0x%08X, stored bytes have 0x%08X",
                    expected, actual));
        }
        int rawLength = index.uncompressedLength(block);
        if (zstd == null) {
            return new RecordParser(src, offset, stored);
        }
        if (raw == null || raw.length < rawLength) {
            raw = new byte[rawLength];
        }
        int produced;
        try {
            produced = zstd.decompressByteArray(raw, 0, rawLength, src, offset, stored);
        } catch (ZstdException e) {
            throw new FormatViolation("zstd cannot decompress it (" + e.getMessage() + ")", e);
        }
        if (produced != rawLength) {
            throw new FormatViolation("decompressed to " + produced + " bytes, index says " + rawLength);
        }
        return new RecordParser(raw, 0, rawLength);
    }

    @Override
    public void close() {
        if (zstd != null) {
            ZstdContexts.release(zstd);
        }
    }
}
