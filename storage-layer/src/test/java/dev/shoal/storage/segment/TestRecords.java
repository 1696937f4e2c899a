package dev.shoal.storage.segment;

import dev.shoal.storage.api.MessageAttribute;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Arbitrary records for the property tests, and plain builders for the example tests. */
final class TestRecords {

    static final long NOW = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private TestRecords() {
    }

    static Arbitrary<List<SegmentRecord>> recordLists() {
        return records().list().ofMinSize(1).ofMaxSize(60).withSizeDistribution(RandomDistribution.uniform());
    }

    static Arbitrary<SegmentRecord> records() {
        Arbitrary<Long> timestamps = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.longs().between(NOW - 60_000, NOW + 60_000)),
                Tuple.of(2, Arbitraries.longs()));
        Arbitrary<Long> delays = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(0L)),
                Tuple.of(3, Arbitraries.longs().between(0, 15 * 60_000)),
                Tuple.of(1, Arbitraries.longs().between(0, Long.MAX_VALUE)));
        Arbitrary<String> ids = unicode().injectNull(0.4);
        Arbitrary<Map<String, MessageAttribute>> attributes =
                Arbitraries.maps(unicode(), attributeValues()).ofMaxSize(10)
                        .withSizeDistribution(RandomDistribution.uniform());
        return Combinators.combine(timestamps, delays, ids, ids, attributes, bodies())
                .as((ts, delay, group, dedup, attrs, body) -> new SegmentRecord(ts,
                        ts > Long.MAX_VALUE - delay ? Long.MAX_VALUE : ts + delay, group, dedup, attrs, body));
    }

    /** Strings of any code points (supplementary ones included), never unpaired surrogates. */
    static Arbitrary<String> unicode() {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(2, Arbitraries.integers().between(0, 0x7FF)),
                Tuple.of(2, Arbitraries.integers().between(0x800, 0xFFFF)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF)))
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE);
        return codePoints.list().ofMaxSize(24).map(cps -> {
            StringBuilder s = new StringBuilder();
            cps.forEach(s::appendCodePoint);
            return s.toString();
        });
    }

    static Arbitrary<MessageAttribute> attributeValues() {
        Arbitrary<MessageAttribute> strings = unicode().map(MessageAttribute::string);
        Arbitrary<MessageAttribute> numbers = Arbitraries.longs().map(n -> MessageAttribute.number(Long.toString(n)));
        Arbitrary<MessageAttribute> binaries = Arbitraries.bytes().array(byte[].class).ofMaxSize(100)
                .map(MessageAttribute::binary);
        Arbitrary<MessageAttribute> custom = Combinators.combine(
                Arbitraries.of("String.custom", "Number.int", "Binary.gif", "Ünïcode.type"),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40)).as(MessageAttribute::new);
        return Arbitraries.oneOf(strings, numbers, binaries, custom);
    }

    /** Bodies of 0 to 200 KiB, mostly small, some compressible, some random. */
    static Arbitrary<byte[]> bodies() {
        Arbitrary<Integer> sizes = Arbitraries.frequencyOf(
                Tuple.of(70, Arbitraries.integers().between(0, 300).withDistribution(RandomDistribution.uniform())),
                Tuple.of(25, Arbitraries.integers().between(0, 8 * 1024).withDistribution(RandomDistribution.uniform())),
                Tuple.of(5, Arbitraries.integers().between(0, 200 * 1024).withDistribution(RandomDistribution.uniform())));
        return Combinators.combine(sizes, Arbitraries.longs(), Arbitraries.of(true, false))
                .as((size, seed, compressible) -> compressible ? text(size, seed) : random(size, seed));
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    /** JSON-like text, which compresses the way real payloads do. */
    static byte[] text(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder s = new StringBuilder(size + 64);
        while (s.length() < size) {
            s.append("{\"order\":").append(random.nextInt(100_000)).append(",\"status\":\"")
                    .append(random.nextBoolean() ? "shipped" : "pending").append("\"}\n");
        }
        return s.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    /** A plain record: timestamp {@code NOW + i}, a group, and a body of {@code bodySize} random bytes. */
    static SegmentRecord record(int i, int bodySize) {
        Map<String, MessageAttribute> attributes = new TreeMap<>();
        attributes.put("i", MessageAttribute.number(Integer.toString(i)));
        return new SegmentRecord(NOW + i, NOW + i, "group-" + (i % 7), null, attributes, random(bodySize, i));
    }
}
