package dev.shoal.storage.segment;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SegmentRoundTripProperties {

    @Property(tries = 150)
    void encodedRecordsReadBackUnchanged(@ForAll("recordLists") List<SegmentRecord> records,
                                         @ForAll("encoders") SegmentEncoder encoder) {
        EncodedSegment segment = encoder.encode(records);

        SegmentReader reader = SegmentReader.of("q/round-trip", segment.bytes());

        assertEquals(records.size(), segment.recordCount());
        assertEquals(records.size(), reader.recordCount());
        assertEquals(records, reader.readAll());
    }

    @Property(tries = 150)
    void anyWindowReadsBackTheSameRecordsThroughRangedReads(
            @ForAll("recordLists") List<SegmentRecord> records, @ForAll("encoders") SegmentEncoder encoder,
            @ForAll @IntRange(max = 10_000) int start, @ForAll @IntRange(max = 10_000) int size,
            @ForAll @IntRange(max = 100_000) int prefixSize) {
        byte[] bytes = encoder.encode(records).bytes();
        int first = start % records.size();
        int count = size % (records.size() - first + 1);
        byte[] prefix = Arrays.copyOf(bytes, Math.min(prefixSize, bytes.length));

        SegmentReader reader = SegmentReader.open("q/window", prefix, bytes.length, RangeSource.of(bytes));

        assertEquals(records.subList(first, first + count), reader.read(first, count));
    }

    @Property(tries = 100)
    void uncompressedSizeIsTheSameWhateverTheCodec(@ForAll("recordLists") List<SegmentRecord> records) {
        byte[] zstd = new SegmentEncoder(4096, 3).encode(records).bytes();
        byte[] none = SegmentEncoder.uncompressed(4096).encode(records).bytes();

        assertEquals(SegmentReader.of("q/none", none).uncompressedSize(),
                SegmentReader.of("q/zstd", zstd).uncompressedSize());
    }

    @Provide
    Arbitrary<List<SegmentRecord>> recordLists() {
        return TestRecords.recordLists();
    }

    @Provide
    Arbitrary<SegmentEncoder> encoders() {
        return Arbitraries.of(
                new SegmentEncoder(),
                new SegmentEncoder(200, 3),
                new SegmentEncoder(4096, 1),
                new SegmentEncoder(16 * 1024, -5),
                SegmentEncoder.uncompressed(1024));
    }
}
