package dev.shoal.storage.segment;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentVersionAndCorruptionTest {

    private final byte[] segment = new SegmentEncoder(1024, 3).encode(
            IntStream.range(0, 20).mapToObj(i -> TestRecords.record(i, 200)).toList()).bytes();

    @Test
    void unknownVersionIsRejectedNamingTheVersionFoundAndTheVersionsSupported() {
        segment[4] = 2;

        var e = assertThrows(UnsupportedSegmentVersionException.class, () -> SegmentReader.of("q/v2", segment));

        assertEquals("UnsupportedSegmentVersion", e.code());
        assertEquals("Segment 'q/v2' uses format version 2, which this reader does not support (supported: 1)",
                e.getMessage());
    }

    @Test
    void unknownCodecIsRejectedNamingTheCodecFoundAndTheCodecsSupported() {
        segment[5] = 7;
        SegmentBytes.resealHeader(segment);

        var e = assertThrows(UnsupportedSegmentVersionException.class, () -> SegmentReader.of("q/codec7", segment));

        assertEquals("Segment 'q/codec7' uses codec 7, which this reader does not support"
                + " (supported: 0 (none), 1 (zstd))", e.getMessage());
    }

    @Test
    void unknownFlagIsRejectedAsUnsupported() {
        segment[7] = 0x04;
        SegmentBytes.resealHeader(segment);

        var e = assertThrows(UnsupportedSegmentVersionException.class, () -> SegmentReader.of("q/flags", segment));

        assertTrue(e.getMessage().contains("flags 0x0004"), e.getMessage());
    }

    @Test
    void badMagicIsCorruptAndTheMessageSaysWhatWasExpectedAndFound() {
        segment[0] = 'X';

        var e = assertThrows(CorruptSegmentException.class, () -> SegmentReader.of("q/magic", segment));

        assertEquals("CorruptSegment", e.code());
        assertEquals("q/magic", e.segmentKey());
        assertEquals("Segment 'q/magic' is corrupt: bad magic: expected 0x53484C53 (\"SHLS\"),"
                + " found 0x58484C53 (\"XHLS\")", e.getMessage());
    }

    @Test
    void flippedHeaderByteIsRejectedAsChecksumMismatch() {
        segment[14] ^= 1; // record count

        var e = assertThrows(CorruptSegmentException.class, () -> SegmentReader.of("q/header", segment));

        assertTrue(e.getMessage().contains("header checksum mismatch: stored CRC32C 0x"), e.getMessage());
    }

    @Test
    void flippedBlockByteIsRejectedWhenTheBlockIsRead() {
        int lastBlock = SegmentReader.of("q", segment).blockCount() - 1;
        segment[(int) SegmentBytes.blockOffset(segment, lastBlock)] ^= 0x10;
        SegmentReader reader = SegmentReader.of("q/block", segment);

        assertEquals(1, reader.read(0, 1).size(), "blocks not read are not checked");
        var e = assertThrows(CorruptSegmentException.class, reader::readAll);
        assertTrue(e.getMessage().startsWith("Segment 'q/block' is corrupt: block " + lastBlock + " (records "),
                e.getMessage());
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }

    @Test
    void undecompressableBlockWithAMatchingChecksumIsCorruptNotAZstdError() {
        int offset = (int) SegmentBytes.blockOffset(segment, 0);
        for (int i = 0; i < SegmentBytes.blockLength(segment, 0); i++) {
            segment[offset + i] = (byte) (i * 31);
        }
        SegmentBytes.resealBlock(segment, 0);

        var e = assertThrows(CorruptSegmentException.class, () -> SegmentReader.of("q/zstd", segment).readAll());

        assertTrue(e.getMessage().contains("zstd cannot decompress it"), e.getMessage());
    }

    @Test
    void trailingBytesAreRejectedAsCorrupt() {
        byte[] longer = java.util.Arrays.copyOf(segment, segment.length + 1);

        var e = assertThrows(CorruptSegmentException.class, () -> SegmentReader.of("q/trailing", longer));

        assertTrue(e.getMessage().contains("trailing bytes: blocks end at byte " + segment.length), e.getMessage());
    }

    @Test
    void emptyObjectIsRejectedAsTruncated() {
        var e = assertThrows(CorruptSegmentException.class, () -> SegmentReader.of("q/empty", new byte[0]));

        assertEquals("Segment 'q/empty' is corrupt: truncated: the object is 0 bytes, shorter than the 28-byte"
                + " fixed header", e.getMessage());
    }

    @Test
    void sourceThatServesFewerBytesThanAskedIsRejectedAsTruncated() {
        RangeSource shortReads = (offset, length) -> RangeSource.of(segment).read(offset, length - 1);

        var e = assertThrows(CorruptSegmentException.class,
                () -> SegmentReader.open("q/short", new byte[0], segment.length, shortReads));

        assertTrue(e.getMessage().contains("truncated: expected 28 header bytes at offset 0, the object returned 27"),
                e.getMessage());
    }

    @Test
    void readOutsideTheSegmentIsAnIndexError() {
        SegmentReader reader = SegmentReader.of("q", segment);

        assertThrows(IndexOutOfBoundsException.class, () -> reader.read(15, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> reader.read(-1, 1));
        assertEquals(List.of(), reader.read(20, 0));
    }

    @Test
    void corruptSegmentIsAShoalExceptionWithAStableCode() {
        segment[0] = 0;

        var e = assertThrows(RuntimeException.class, () -> SegmentReader.of("q", segment));

        assertInstanceOf(dev.shoal.storage.api.ShoalException.class, e);
    }
}
