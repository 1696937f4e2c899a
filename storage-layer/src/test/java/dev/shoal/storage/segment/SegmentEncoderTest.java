package dev.shoal.storage.segment;

import dev.shoal.storage.api.MessageAttribute;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentEncoderTest {

    @Test
    void emptyBatchIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SegmentEncoder().encode(List.of()));

        assertTrue(e.getMessage().contains("must not be empty"), e.getMessage());
    }

    @Test
    void invalidSettingsAreRejectedNamingTheAllowedRange() {
        assertThrows(IllegalArgumentException.class, () -> new SegmentEncoder(0, 3));
        var e = assertThrows(IllegalArgumentException.class, () -> new SegmentEncoder(1024, 99));
        assertTrue(e.getMessage().startsWith("zstdLevel must be between "), e.getMessage());
    }

    @Test
    void stringWithAnUnpairedSurrogateIsRejectedRatherThanAltered() {
        SegmentRecord record = new SegmentRecord(1, 1, "group\uD800", null, Map.of(), new byte[0]);

        var e = assertThrows(IllegalArgumentException.class, () -> new SegmentEncoder().encode(List.of(record)));

        assertTrue(e.getMessage().contains("unpaired surrogate at index 5"), e.getMessage());
    }

    @Test
    void segmentStartsWithTheDocumentedHeader() {
        EncodedSegment segment = new SegmentEncoder().encode(List.of(TestRecords.record(0, 10)));
        byte[] b = segment.bytes();

        assertArrayEquals("SHLS".getBytes(StandardCharsets.US_ASCII), java.util.Arrays.copyOf(b, 4));
        assertEquals(1, b[4], "version");
        assertEquals(1, b[5], "codec zstd");
        assertEquals(28 + 28 + 4, segment.headerLength(), "one block");
        assertEquals(segment.headerLength(), java.nio.ByteBuffer.wrap(b).getInt(8));
        assertEquals(1, segment.recordCount());
    }

    @Test
    void recordBytesMatchTheExampleInTheFormatDocument() {
        SegmentRecord record = new SegmentRecord(1_767_225_600_000L, 1_767_225_600_000L, "g1", null,
                Map.of("k", MessageAttribute.string("v")), "hi".getBytes(StandardCharsets.UTF_8));

        EncodedSegment segment = SegmentEncoder.uncompressed(1024).encode(List.of(record));

        byte[] block = java.util.Arrays.copyOfRange(segment.bytes(), segment.headerLength(), segment.bytes().length);
        assertEquals("80 A0 D5 ED EE 66 00 03 67 31 00 01 01 6B 06 53 74 72 69 6E 67 01 76 02 68 69", hex(block));
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(s.isEmpty() ? "" : " ").append(String.format("%02X", b));
        }
        return s.toString();
    }

    @Test
    void recordsFillBlocksUpToTheTargetSize() {
        List<SegmentRecord> records = IntStream.range(0, 100).mapToObj(i -> TestRecords.record(i, 1000)).toList();

        SegmentReader reader = SegmentReader.of("q", new SegmentEncoder(10_000, 3).encode(records).bytes());

        // About 1,030 encoded bytes a record: 9 records fill a 10,000-byte block.
        assertEquals(12, reader.blockCount());
        assertEquals(records, reader.readAll());
    }

    @Test
    void recordLargerThanTheTargetGetsABlockOfItsOwn() {
        List<SegmentRecord> records = List.of(TestRecords.record(0, 10), TestRecords.record(1, 5000),
                TestRecords.record(2, 10));

        SegmentReader reader = SegmentReader.of("q", new SegmentEncoder(1024, 3).encode(records).bytes());

        assertEquals(3, reader.blockCount());
        assertEquals(records, reader.readAll());
    }

    @Test
    void bodyOf33MiBRoundTripsInItsOwnBlock() {
        byte[] big = TestRecords.random(33 * 1024 * 1024, 42);
        List<SegmentRecord> records = List.of(TestRecords.record(0, 100),
                new SegmentRecord(TestRecords.NOW, TestRecords.NOW + 1000, "g", "d",
                        Map.of("type", MessageAttribute.string("blob")), big),
                TestRecords.record(2, 100));

        byte[] bytes = new SegmentEncoder().encode(records).bytes();
        SegmentReader reader = SegmentReader.of("q/big", bytes);

        assertEquals(3, reader.blockCount());
        assertArrayEquals(big, reader.read(1, 1).getFirst().body());
        assertEquals(records, reader.readAll());
    }

    @Test
    void uncompressedSegmentRoundTrips() {
        List<SegmentRecord> records = IntStream.range(0, 50).mapToObj(i -> TestRecords.record(i, 300)).toList();

        byte[] bytes = SegmentEncoder.uncompressed(4096).encode(records).bytes();

        assertEquals(0, bytes[5], "codec none");
        assertEquals(records, SegmentReader.of("q", bytes).readAll());
    }

    @Test
    void extremeTimestampsRoundTrip() {
        List<SegmentRecord> records = List.of(
                new SegmentRecord(Long.MIN_VALUE, Long.MAX_VALUE, null, null, Map.of(), new byte[0]),
                new SegmentRecord(Long.MAX_VALUE, Long.MAX_VALUE, "", "", Map.of(), new byte[0]),
                new SegmentRecord(Long.MIN_VALUE, Long.MIN_VALUE, null, "", Map.of(), new byte[] {1}));

        assertEquals(records, SegmentReader.of("q", new SegmentEncoder().encode(records).bytes()).readAll());
    }
}
