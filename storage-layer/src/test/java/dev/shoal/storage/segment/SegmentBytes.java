package dev.shoal.storage.segment;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/** Byte-level surgery on encoded segments, and a range source that counts what it serves. */
final class SegmentBytes {

    private SegmentBytes() {
    }

    /** Recomputes the header-area checksum after a deliberate change to a header field. */
    static void resealHeader(byte[] segment) {
        ByteBuffer b = ByteBuffer.wrap(segment);
        int headerLength = b.getInt(8);
        CRC32C crc = new CRC32C();
        crc.update(segment, 0, headerLength - 4);
        b.putInt(headerLength - 4, (int) crc.getValue());
    }

    /** Recomputes block {@code block}'s checksum in the index (then reseals the header). */
    static void resealBlock(byte[] segment, int block) {
        ByteBuffer b = ByteBuffer.wrap(segment);
        int entry = 28 + 28 * block;
        int offset = (int) b.getLong(entry + 8);
        int length = b.getInt(entry + 16);
        CRC32C crc = new CRC32C();
        crc.update(segment, offset, length);
        b.putInt(entry + 24, (int) crc.getValue());
        resealHeader(segment);
    }

    static long blockOffset(byte[] segment, int block) {
        return ByteBuffer.wrap(segment).getLong(28 + 28 * block + 8);
    }

    static int blockLength(byte[] segment, int block) {
        return ByteBuffer.wrap(segment).getInt(28 + 28 * block + 16);
    }

    static int firstRecordOfBlock(byte[] segment, int block) {
        return ByteBuffer.wrap(segment).getInt(28 + 28 * block);
    }

    /** The block whose index entry covers {@code record}. */
    static int blockOfRecord(byte[] segment, int record) {
        ByteBuffer b = ByteBuffer.wrap(segment);
        int blocks = b.getInt(24);
        for (int i = 0; i < blocks; i++) {
            int first = b.getInt(28 + 28 * i);
            if (record >= first && record < first + b.getInt(28 + 28 * i + 4)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no block holds record " + record);
    }

    /** Serves ranges of an in-memory object and counts the calls and the bytes served. */
    static final class CountingSource implements RangeSource {
        private final byte[] object;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();

        CountingSource(byte[] object) {
            this.object = object;
        }

        @Override
        public byte[] read(long offset, int length) {
            byte[] range = RangeSource.of(object).read(offset, length);
            calls.incrementAndGet();
            bytes.addAndGet(range.length);
            return range;
        }
    }
}
