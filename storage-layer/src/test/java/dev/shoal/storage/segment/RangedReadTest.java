package dev.shoal.storage.segment;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RangedReadTest {

    private static final List<SegmentRecord> RECORDS =
            IntStream.range(0, 4000).mapToObj(i -> TestRecords.record(i, 1024)).toList();
    private static final EncodedSegment SEGMENT = new SegmentEncoder().encode(RECORDS);

    private final byte[] bytes = SEGMENT.bytes();
    private final SegmentBytes.CountingSource source = new SegmentBytes.CountingSource(bytes);

    @Test
    void readingTenRecordsFetchesOnlyTheHeaderAreaAndOneBlock() {
        SegmentReader reader = SegmentReader.open("q/ranged", new byte[0], bytes.length, source);
        assertEquals(2, source.calls.get(), "fixed header, then the rest of the header area");
        assertEquals(SEGMENT.headerLength(), source.bytes.get());

        int block = SegmentBytes.blockOfRecord(bytes, 500);
        int first = SegmentBytes.firstRecordOfBlock(bytes, block); // ten records inside one block

        List<SegmentRecord> read = reader.read(first, 10);

        assertEquals(RECORDS.subList(first, first + 10), read);
        assertEquals(3, source.calls.get(), "one ranged read for the block");
        assertEquals(SEGMENT.headerLength() + SegmentBytes.blockLength(bytes, block), source.bytes.get());
        assertTrue(source.bytes.get() < bytes.length / 10,
                source.bytes.get() + " bytes fetched of a " + bytes.length + "-byte object");
    }

    @Test
    void windowAcrossBlocksIsFetchedInOneRead() {
        SegmentReader reader = SegmentReader.open("q/ranged", Arrays.copyOf(bytes, SEGMENT.headerLength()),
                bytes.length, source);
        assertEquals(0, source.calls.get(), "the prefix held the whole header area");

        List<SegmentRecord> read = reader.read(1000, 300);

        assertEquals(RECORDS.subList(1000, 1300), read);
        assertEquals(1, source.calls.get());
        assertTrue(source.bytes.get() < bytes.length / 5, source.bytes.get() + " bytes fetched");
    }

    @Test
    void blocksInsideThePrefixAreNotFetchedAgain() {
        byte[] prefix = Arrays.copyOf(bytes, 256 * 1024);
        SegmentReader reader = SegmentReader.open("q/ranged", prefix, bytes.length, source);

        assertEquals(RECORDS.subList(0, 20), reader.read(0, 20));

        assertEquals(0, source.calls.get());
    }

    @Test
    void segmentOf4000RecordsHasABlockIndexOfManyBlocks() {
        SegmentReader reader = SegmentReader.of("q/ranged", bytes);

        assertEquals(4000, reader.recordCount());
        assertTrue(reader.blockCount() > 50, reader.blockCount() + " blocks");
        assertEquals(RECORDS, reader.readAll());
    }
}
