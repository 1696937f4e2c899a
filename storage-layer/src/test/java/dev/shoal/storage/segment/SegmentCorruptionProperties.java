package dev.shoal.storage.segment;

import dev.shoal.storage.api.ShoalException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SegmentCorruptionProperties {

    /** Multi-block segments of a few KiB, zstd and uncompressed, so every region gets hit often. */
    private static final List<byte[]> SEGMENTS = List.of(
            new SegmentEncoder(512, 3).encode(records(40, 60)).bytes(),
            SegmentEncoder.uncompressed(700).encode(records(25, 90)).bytes(),
            new SegmentEncoder().encode(records(1, 0)).bytes());

    @Property(tries = 400)
    void flippedByteIsRejected(@ForAll("segments") byte[] original, @ForAll @IntRange(max = Integer.MAX_VALUE) int at,
                               @ForAll @IntRange(min = 1, max = 255) int mask) {
        byte[] damaged = original.clone();
        damaged[at % damaged.length] ^= (byte) mask;

        assertRejected(() -> SegmentReader.of("q/flipped", damaged).readAll());
        assertRejected(() -> SegmentReader.open("q/flipped", new byte[0], damaged.length, RangeSource.of(damaged))
                .readAll());
    }

    @Property(tries = 200)
    void truncatedSegmentIsRejectedAsCorrupt(@ForAll("segments") byte[] original,
                                             @ForAll @IntRange(max = Integer.MAX_VALUE) int cut) {
        byte[] truncated = Arrays.copyOf(original, cut % original.length);

        assertThrows(CorruptSegmentException.class, () -> SegmentReader.of("q/truncated", truncated).readAll());
    }

    @Property(tries = 200)
    void objectShorterThanAnnouncedIsRejectedAsCorrupt(@ForAll("segments") byte[] original,
                                                       @ForAll @IntRange(max = Integer.MAX_VALUE) int cut) {
        byte[] truncated = Arrays.copyOf(original, cut % original.length);

        // The caller believes the object is whole (e.g. from a stale HEAD); the store serves less.
        assertThrows(CorruptSegmentException.class, () -> SegmentReader
                .open("q/short", new byte[0], original.length, RangeSource.of(truncated)).readAll());
    }

    @Provide
    Arbitrary<byte[]> segments() {
        return Arbitraries.of(SEGMENTS);
    }

    private static void assertRejected(Runnable read) {
        ShoalException e = assertThrows(ShoalException.class, read::run);
        if (!(e instanceof UnsupportedSegmentVersionException)) {
            assertInstanceOf(CorruptSegmentException.class, e);
        }
    }

    private static List<SegmentRecord> records(int count, int bodySize) {
        return IntStream.range(0, count).mapToObj(i -> TestRecords.record(i, bodySize)).toList();
    }
}
