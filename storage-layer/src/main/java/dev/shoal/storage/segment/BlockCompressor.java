package dev.shoal.storage.segment;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;

/**
 * Compresses blocks with the segment's codec. One per {@link SegmentEncoder#encode} call: it
 * borrows a zstd context from {@link ZstdContexts} and gives it back on {@link #close}.
 */
final class BlockCompressor implements AutoCloseable {

    private final int codec;
    private final ZstdCompressCtx zstd;

    private BlockCompressor(int codec, ZstdCompressCtx zstd) {
        this.codec = codec;
        this.zstd = zstd;
    }

    static BlockCompressor zstd(int level) {
        // No zstd frame checksum: the block index holds a CRC32C of the stored bytes.
        return new BlockCompressor(SegmentFormat.CODEC_ZSTD, ZstdContexts.compressor(level));
    }

    static BlockCompressor none() {
        return new BlockCompressor(SegmentFormat.CODEC_NONE, null);
    }

    int codec() {
        return codec;
    }

    /** The most bytes {@link #compress} can write for {@code rawLength} input bytes. */
    long maxCompressedLength(int rawLength) {
        return codec == SegmentFormat.CODEC_NONE ? rawLength : Zstd.compressBound(rawLength);
    }

    /** Compresses {@code src[0, length)} into {@code dst} at {@code dstOffset}; returns the bytes written. */
    int compress(byte[] src, int length, byte[] dst, int dstOffset) {
        if (codec == SegmentFormat.CODEC_NONE) {
            System.arraycopy(src, 0, dst, dstOffset, length);
            return length;
        }
        return zstd.compressByteArray(dst, dstOffset, dst.length - dstOffset, src, 0, length);
    }

    @Override
    public void close() {
        if (zstd != null) {
            ZstdContexts.release(zstd);
        }
    }
}
